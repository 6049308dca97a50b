package dev.mvp.signaling.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The launcher's {@link SignalingServer} on {@code 127.0.0.1:0}. The launcher does not serve the demo
 * page yet, so the JDK HTTP server serves it from another loopback port.
 */
final class LauncherServer implements TestServer {
    private final SignalingServer server;
    private final HttpServer http;

    private LauncherServer(SignalingServer server, HttpServer http) {
        this.server = server;
        this.http = http;
    }

    static LauncherServer start() throws IOException {
        SignalingServer server = new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(0).build());
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        HttpServer http;
        try {
            http = DemoPages.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new LauncherServer(server, http);
    }

    @Override
    public URI webSocketBase() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws/");
    }

    @Override
    public URI demoPage(String query) {
        String ws = URLEncoder.encode(webSocketBase().toString(), StandardCharsets.UTF_8);
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/demo/index.html?server=" + ws
                + (query.isEmpty() ? "" : "&" + query));
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            http.stop(0);
        }
    }
}
