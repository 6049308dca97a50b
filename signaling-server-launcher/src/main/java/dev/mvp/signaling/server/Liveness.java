package dev.mvp.signaling.server;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.server.engine.EngineConnection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one liveness rule, for every engine. Run every half ping interval on the server's timer: pings the
 * connections nothing was heard from for half an interval or more, and drops (1006, no close frame) those
 * silent, not even a pong, for more than two intervals, so a dead peer is noticed between two and two and
 * a half intervals after it last spoke. Clients that talk are never pinged.
 */
final class Liveness implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Liveness.class);

    private final OpenConnections connections;
    private final long intervalNanos;

    Liveness(OpenConnections connections, long intervalNanos) {
        this.connections = connections;
        this.intervalNanos = intervalNanos;
    }

    /** How often {@link #run()} should run. */
    long tickNanos() {
        return Math.max(1, intervalNanos / 2);
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        for (EngineConnection c : connections.snapshot()) {
            long silent = now - c.lastHeardNanos();
            try {
                if (silent > 2 * intervalNanos) {
                    log.debug("Dropping {}: no pong for {} ms", c, TimeUnit.NANOSECONDS.toMillis(silent));
                    c.close(CloseCodes.ABNORMAL, "no pong received in time");
                } else if (silent >= intervalNanos / 2) {
                    c.ping();
                }
            } catch (RuntimeException e) {
                log.debug("Liveness check of {} failed", c, e);
            }
        }
    }
}
