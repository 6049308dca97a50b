package dev.mvp.signaling.e2e;

import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.net.URI;

/**
 * The launcher's {@link SignalingServer} on {@code 127.0.0.1:0}, serving the browser demo itself at
 * {@code /demo/} (as {@code --demo} does). The page connects back to the server it was loaded from.
 */
final class LauncherServer implements TestServer {
    private final SignalingServer server;

    private LauncherServer(SignalingServer server) {
        this.server = server;
    }

    static LauncherServer start() {
        return start(0);
    }

    /** A server on {@code port} (0: any free one), e.g. the port of one that was just closed, to restart it. */
    static LauncherServer start(int port) {
        SignalingServer server = new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(port).demo(true)
                .build());
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new LauncherServer(server);
    }

    int port() {
        return server.port();
    }

    @Override
    public URI webSocketBase() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws/");
    }

    @Override
    public URI demoPage(String query) {
        return server.uri("/demo/" + (query.isEmpty() ? "" : "?" + query));
    }

    @Override
    public void close() {
        server.close();
    }
}
