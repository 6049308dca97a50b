/**
 * The built-in engine, {@code java-websocket}, on Java-WebSocket (org.java-websocket). Internal except for
 * {@link dev.mvp.signaling.server.jws.JavaWebSocketEngineFactory}, which the service loader instantiates.
 * Every accepted socket goes through a {@code FrontDoorChannel}, which answers plain HTTP itself and hands
 * upgrades to the library; every open WebSocket is a {@code WsConnection}.
 *
 * <p><b>Threading.</b> One selector thread ({@code signaling-ws-N-selector}) does network I/O and HTTP
 * answers; one decoder thread per CPU ({@code signaling-ws-N-worker-M}) decodes frames and runs the hub
 * for them; the server's timer runs handshake deadlines and the out-queue guard; with TLS one more thread
 * ({@code signaling-ws-N-tls}) runs the TLS engines' delegated tasks. The hub may send from any thread.
 */
package dev.mvp.signaling.server.jws;
