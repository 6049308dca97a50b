package dev.mvp.signaling.server.engine;

import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.http.HttpService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;

/**
 * What the server gives its engine: the settings, the hub, the HTTP side, the registry of open
 * connections, a timer and named threads. Thread-safe.
 */
public interface EngineContext {
    /**
     * The server's settings: host, port, accept backlog, frame cap, handshake and shutdown timeouts. The
     * one place of every network default.
     *
     * @return the configuration
     */
    ServerConfig config();

    /**
     * The hub to open a session on for each WebSocket.
     *
     * @return the hub
     */
    SignalingHub hub();

    /**
     * Answers every plain HTTP request and decides every upgrade.
     *
     * @return the HTTP side
     */
    HttpService http();

    /**
     * Where the engine reports open and closed WebSockets.
     *
     * @return the registry
     */
    ConnectionRegistry connections();

    /**
     * The server's total of bytes waiting to be written to clients ({@link ServerConfig#bufferedBytesTotal()}):
     * every frame an engine holds for a client because its socket did not take it, pongs and close frames
     * included. When a charge takes it over, the engine {@link ByteBudget#relieve relieves} it: the
     * connections holding the most are closed {@code 4002}.
     *
     * @return the budget, one per server
     */
    ByteBudget outboundBudget();

    /**
     * The server's total of bytes of frames and fragmented messages not fully arrived
     * ({@link ServerConfig#assemblyBytesTotal()}). Each connection keeps its charge in a
     * {@link ByteBudget.Share}; when a charge takes the total over, the connections holding the most are
     * closed {@code 1009}, largest first, until it fits.
     *
     * @return the budget, one per server
     */
    ByteBudget inboundBudget();

    /**
     * The server's TLS context.
     *
     * @return the context, or null when {@code config().tls()} is off
     */
    SSLContext tls();

    /**
     * The server's timer (one daemon thread), for deadlines and other short tasks; never block on it. The
     * server stops it after {@link Engine#close(long)}.
     *
     * @return the timer
     */
    ScheduledExecutorService timer();

    /**
     * Makes the engine's daemon threads, named {@code signaling-WORD-N-ROLE} (one thread) or
     * {@code signaling-WORD-N-ROLE-M}, where WORD is the engine's and N counts servers in the JVM.
     *
     * @param role what the threads do, e.g. {@code io}
     * @param numbered whether to append {@code -M}, counting from 1
     * @return the factory
     */
    ThreadFactory threads(String role, boolean numbered);

    /**
     * The name a thread of this role gets, {@code signaling-WORD-N-ROLE}.
     *
     * @param role what the thread does
     * @return the name
     */
    String threadName(String role);
}
