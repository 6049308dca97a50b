package dev.mvp.signaling.server.engine;

/**
 * Makes the {@link Engine} of one server: the plug-in point for a WebSocket library. An engine module
 * registers its factory for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/dev.mvp.signaling.server.engine.EngineFactory}; the server picks the one whose
 * {@link #name()} its configuration asks for ({@code ServerConfig.Builder.engine}, {@code --engine}).
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe: one factory serves
 * every server of the JVM.
 */
public interface EngineFactory {
    /**
     * The name users choose the engine by, in lower case, e.g. {@code java-websocket}.
     *
     * @return the name
     */
    String name();

    /**
     * The short word in the names of the engine's threads, {@code signaling-WORD-N-role}. Defaults to
     * {@link #name()}.
     *
     * @return the word
     */
    default String threadWord() {
        return name();
    }

    /**
     * An engine for one server. It must not bind or start threads before {@link Engine#start()}.
     *
     * @param context what to serve and how
     * @return the engine, not started
     */
    Engine create(EngineContext context);
}
