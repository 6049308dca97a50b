package dev.mvp.signaling.server;

import dev.mvp.signaling.core.HubConfig;

/**
 * Server configurations for tests: loopback, port 0, on the engine named by the system property
 * {@code test.engine} (an engine module runs this suite with its own engine's name), or the default one.
 */
public final class Servers {
    private Servers() {}

    /**
     * The engine under test.
     *
     * @return its name
     */
    public static String engine() {
        return System.getProperty("test.engine", ServerConfig.DEFAULT_ENGINE);
    }

    /**
     * Whether this run tests the Java-WebSocket engine.
     *
     * @return true on the default engine
     */
    public static boolean javaWebSocket() {
        return engine().equals(ServerConfig.DEFAULT_ENGINE);
    }

    /**
     * Loopback, port 0, the engine under test.
     *
     * @return the builder
     */
    public static ServerConfig.Builder loopback() {
        return ServerConfig.builder().host("127.0.0.1").port(0).engine(engine());
    }

    public static SignalingServer start() {
        return new SignalingServer(loopback().build()).start();
    }

    public static SignalingServer start(HubConfig hub) {
        return new SignalingServer(loopback().hubConfig(hub).build()).start();
    }
}
