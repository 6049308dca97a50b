/**
 * The public API of the launcher: {@link dev.mvp.signaling.server.SignalingServer} (the hub on the network),
 * {@link dev.mvp.signaling.server.ServerConfig} (every setting and its default, in one place) and
 * {@link dev.mvp.signaling.server.ServerStartException}. Start reading at {@code SignalingServer}.
 *
 * <p>The server owns what is the same on every engine: the shutdown sequence, the liveness rule (pings on
 * its timer thread), the registry of open WebSockets and the HTTP side; the engine it runs on
 * ({@link dev.mvp.signaling.server.engine}) owns the sockets and its own threads.
 *
 * <p><b>Threading.</b> Every public method is thread-safe. A server's threads are daemons named
 * {@code signaling-WORD-N-ROLE}; none outlives {@link dev.mvp.signaling.server.SignalingServer#close()}.
 */
package dev.mvp.signaling.server;
