/**
 * The engine SPI: how a WebSocket library plugs into the server. An engine module implements
 * {@link dev.mvp.signaling.server.engine.EngineFactory} and lists it in
 * {@code META-INF/services/dev.mvp.signaling.server.engine.EngineFactory}; the server finds it with
 * {@link java.util.ServiceLoader} by the name its configuration asks for, gives it an
 * {@link dev.mvp.signaling.server.engine.EngineContext} (settings, hub, HTTP side, connection registry,
 * timer, thread names) and drives the {@link dev.mvp.signaling.server.engine.Engine} it returns. Each open
 * WebSocket is an {@link dev.mvp.signaling.server.engine.EngineConnection}.
 *
 * <p><b>Threading.</b> The server calls an engine's lifecycle methods from one thread at a time. Engines
 * call the context, the hub and the HTTP side from their I/O threads; all of those are thread-safe and
 * never block. Connections must be thread-safe, as the core's {@code Connection} requires.
 */
package dev.mvp.signaling.server.engine;
