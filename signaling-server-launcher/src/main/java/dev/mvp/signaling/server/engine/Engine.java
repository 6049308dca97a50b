package dev.mvp.signaling.server.engine;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One server's WebSocket library at work: it binds the port, performs HTTP and WebSocket handshakes,
 * asks {@link EngineContext#http()} about every plain request and upgrade, opens a hub session for each
 * WebSocket, and reports each open WebSocket to {@link EngineContext#connections()}. Everything that is
 * the same on every engine stays with the server: the shutdown sequence, the liveness rule, the network
 * settings and their defaults.
 *
 * <p>The server calls these methods from one thread at a time, in this order: {@link #start()} once,
 * then {@link #stopAccepting()} and {@link #close(long)} once each when it shuts down.
 */
public interface Engine {
    /**
     * Binds {@code config().host()} and {@code config().port()} and starts serving.
     *
     * @return the bound address
     * @throws IOException if the address cannot be bound; the engine has released everything then
     */
    InetSocketAddress start() throws IOException;

    /**
     * What runs, for the start-up log, e.g. {@code java-websocket} or {@code netty, epoll}.
     *
     * @return a short description
     */
    String description();

    /** Closes the listening socket: new clients are refused at once, open connections stay. */
    void stopAccepting();

    /**
     * Sockets open now, WebSockets or not.
     *
     * @return the count
     */
    int socketCount();

    /**
     * Drops every socket still open (without a close handshake) and stops the engine's threads, waiting
     * for them until the deadline. Called once, after the server's shutdown sequence.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     */
    void close(long deadlineNanos);
}
