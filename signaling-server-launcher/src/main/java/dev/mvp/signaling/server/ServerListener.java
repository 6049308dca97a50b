package dev.mvp.signaling.server;

import java.time.Duration;

/**
 * Observes what the server does on the network, beside what its hub does ({@link dev.mvp.signaling.core.HubListener}):
 * for metrics. Every method has an empty default. Added with {@link ServerConfig.Builder#serverListener}.
 *
 * <p>Methods are called synchronously on the engine's I/O thread; keep them short and never block. An
 * exception thrown by a listener is logged and otherwise ignored.
 */
public interface ServerListener {
    /**
     * A WebSocket handshake succeeded: the time from the accept of its TCP connection (TLS handshake and
     * the client's request included) to the server's 101 response, written just before the hub opens its
     * session. The same measure on every engine.
     *
     * @param took how long it took
     */
    default void handshakeCompleted(Duration took) {}
}
