package dev.mvp.signaling.server.jws;

import dev.mvp.signaling.server.engine.Engine;
import dev.mvp.signaling.server.engine.EngineContext;
import dev.mvp.signaling.server.engine.EngineFactory;

/**
 * The built-in engine, {@value #NAME}: Java-WebSocket (org.java-websocket). Registered for
 * {@link java.util.ServiceLoader} like any plug-in; users choose it by name, not by this class.
 */
public final class JavaWebSocketEngineFactory implements EngineFactory {
    /** The engine's name. */
    public static final String NAME = "java-websocket";

    /** The factory {@link java.util.ServiceLoader} instantiates. */
    public JavaWebSocketEngineFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String threadWord() {
        return "ws";
    }

    @Override
    public Engine create(EngineContext context) {
        return new JavaWebSocketEngine(context);
    }
}
