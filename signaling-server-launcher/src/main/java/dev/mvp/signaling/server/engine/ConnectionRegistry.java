package dev.mvp.signaling.server.engine;

/**
 * The server's one registry of open WebSockets, which the shutdown sequence and the liveness rule walk.
 * An engine reports each WebSocket once when it opens (before the hub sees its first frame) and once when
 * it has closed, whatever the reason. Thread-safe.
 */
public interface ConnectionRegistry {
    /**
     * A WebSocket is open: its 101 response is written and the hub is about to open its session.
     *
     * @param connection the connection
     * @param acceptedNanos when its TCP connection was accepted, a {@link System#nanoTime()} value: the
     *     server reports the handshake's duration to its {@link dev.mvp.signaling.server.ServerListener}s
     */
    void opened(EngineConnection connection, long acceptedNanos);

    /**
     * A WebSocket has closed; unknown or repeated reports are ignored.
     *
     * @param connection the connection
     */
    void closed(EngineConnection connection);

    /**
     * The open WebSockets.
     *
     * @return how many
     */
    int size();
}
