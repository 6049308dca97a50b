package dev.mvp.signaling.server.engine;

import dev.mvp.signaling.core.Connection;

/**
 * An open WebSocket as an engine offers it to the hub and to the server: the hub's {@link Connection},
 * plus what the server's liveness rule needs. Thread-safe, as {@link Connection} requires.
 */
public interface EngineConnection extends Connection {
    /**
     * When anything (a frame, a ping, a pong) was last heard from the client.
     *
     * @return a {@link System#nanoTime()} value
     */
    long lastHeardNanos();

    /** Sends a ping frame, unless the connection is closing; any thread. */
    void ping();
}
