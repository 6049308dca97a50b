package dev.mvp.signaling.server.jws;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocketImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no frame stays in a connection's out-queue (ours, see {@link FrameWriter}, or the library's).
 *
 * <p>Java-WebSocket 1.6.0 has a lost-update race: its selector thread writes a connection's queue
 * empty and then sets the key's interest back to read-only; a sender that queued a frame and asked for
 * write interest between those two steps loses its request, and the frame waits until the next one is
 * sent. This guard remembers the connections something was queued on and, {@link #CHECK_INTERVAL_MS}
 * later, looks again: a connection that still has queued data but no write interest gets the interest
 * back and the selector is woken. A frame lost to the race is thus delayed by at most about two
 * intervals instead of indefinitely. Connections whose queue is empty are forgotten, so an idle server
 * does no checks.
 */
final class FlushGuard {
    private static final Logger log = LoggerFactory.getLogger(FlushGuard.class);
    static final long CHECK_INTERVAL_MS = 10;

    private final ScheduledExecutorService timer;
    private final Set<WsConnection> watched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean checkScheduled = new AtomicBoolean();
    private final AtomicLong repairs = new AtomicLong();

    FlushGuard(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Something was queued on {@code c}: check it soon. */
    void watch(WsConnection c) {
        watched.add(c);
        if (checkScheduled.compareAndSet(false, true)) {
            try {
                timer.schedule(this::check, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                checkScheduled.set(false); // shutting down
            }
        }
    }

    /** How many times a connection had queued data and no write interest. */
    long repairs() {
        return repairs.get();
    }

    private void check() {
        checkScheduled.set(false);
        // Re-watch after the pass, not during it: a key added back while the set is being iterated may be
        // met again by the same iteration, which then spins for as long as the connection has data queued.
        List<WsConnection> again = new ArrayList<>();
        for (java.util.Iterator<WsConnection> it = watched.iterator(); it.hasNext(); ) {
            WsConnection c = it.next();
            it.remove();
            WebSocketImpl ws = c.socket();
            if (c.hasEnded() || !c.hasQueuedData()) {
                continue;
            }
            SelectionKey key = ws.getSelectionKey();
            try {
                if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    key.selector().wakeup();
                    repairs.incrementAndGet();
                    log.debug("Bytes were waiting to be written on {} without write interest; requested it again", c);
                }
            } catch (CancelledKeyException e) {
                continue;
            }
            again.add(c); // still data queued: look again next time
        }
        for (WsConnection c : again) {
            watch(c);
        }
    }
}
