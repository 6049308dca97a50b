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
        return LauncherServer.start();
    }

    @Override
    void close();
}
