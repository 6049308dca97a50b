package dev.mvp.signaling.server;

import dev.mvp.signaling.core.HubConfig;

/** Server configurations for tests: loopback, port 0. */
final class Servers {
    private Servers() {}

    static ServerConfig.Builder loopback() {
        return ServerConfig.builder().host("127.0.0.1").port(0);
    }

    static SignalingServer start() {
        return new SignalingServer(loopback().build()).start();
    }

    static SignalingServer start(HubConfig hub) {
        return new SignalingServer(loopback().hubConfig(hub).build()).start();
    }
}
