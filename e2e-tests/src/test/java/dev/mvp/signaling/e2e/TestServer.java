package dev.mvp.signaling.e2e;

import java.net.URI;

/** A signaling server the end-to-end tests connect real peers through, bound to loopback on port 0. */
interface TestServer extends AutoCloseable {

    /** The WebSocket base the peers append their id to, e.g. {@code ws://127.0.0.1:40123/ws/}. */
    URI webSocketBase();

    /** The browser demo page, with the query parameters the page reads ({@code id}, {@code peer}, ...). */
    URI demoPage(String query);

    /** Starts the server the tests use now. */
    static TestServer start() throws Exception {
        // Until the launcher module (SignalingServer) is on main, a stand-in transport serves the hub
        // over Java-WebSocket and the page over the JDK's HTTP server. See docs/E2E.md.
        return StandInServer.start();
    }

    @Override
    void close();
}
