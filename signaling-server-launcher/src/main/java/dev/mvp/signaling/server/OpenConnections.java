package dev.mvp.signaling.server;

import dev.mvp.signaling.server.engine.ConnectionRegistry;
import dev.mvp.signaling.server.engine.EngineConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The server's registry of open WebSockets, whichever engine reports them. Thread-safe. */
final class OpenConnections implements ConnectionRegistry {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OpenConnections.class);
    private final Set<EngineConnection> open = ConcurrentHashMap.newKeySet();
    /** Notified whenever a WebSocket has closed; see {@link #awaitNone}. */
    private final Object drained = new Object();
    private final List<ServerListener> listeners;

    /** @param listeners told of every handshake */
    OpenConnections(List<ServerListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void opened(EngineConnection connection, long acceptedNanos) {
        Duration took = Duration.ofNanos(Math.max(0, System.nanoTime() - acceptedNanos));
        open.add(connection);
        log.debug("WebSocket opened: {} ({} open)", connection, open.size());
        for (ServerListener l : listeners) {
            try {
                l.handshakeCompleted(took);
            } catch (RuntimeException e) {
                log.warn("ServerListener.handshakeCompleted failed", e);
            }
        }
    }

    @Override
    public void closed(EngineConnection connection) {
        if (open.remove(connection)) {
            log.debug("WebSocket closed: {} ({} open)", connection, open.size());
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    @Override
    public int size() {
        return open.size();
    }

    /** A copy of the open WebSockets. */
    List<EngineConnection> snapshot() {
        return List.copyOf(open);
    }

    /**
     * Waits until every WebSocket has closed, or the deadline ({@link System#nanoTime()}) passes.
     *
     * @return whether none is left
     */
    boolean awaitNone(long deadlineNanos) throws InterruptedException {
        synchronized (drained) {
            while (!open.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
            return true;
        }
    }
}
