package dev.mvp.signaling.server;

import dev.mvp.signaling.core.HubConfig;

/**
 * Server configurations for tests: loopback, port 0, on the transport named by the system property
 * {@code test.transport} (the build runs the wire tests once per transport), or the default one.
 */
final class Servers {
    private Servers() {}

    static Transport transport() {
        String name = System.getProperty("test.transport");
        return name == null ? ServerConfig.defaults().transport() : Transport.parse(name);
    }

    /** Whether this run tests the Java-WebSocket engine (tests of its internals run only then). */
    static boolean javaWebSocket() {
        return transport() == Transport.JAVA_WEBSOCKET;
    }

    static ServerConfig.Builder loopback() {
        return ServerConfig.builder().host("127.0.0.1").port(0).transport(transport());
    }

    static SignalingServer start() {
        return new SignalingServer(loopback().build()).start();
    }

    static SignalingServer start(HubConfig hub) {
        return new SignalingServer(loopback().hubConfig(hub).build()).start();
    }
}
