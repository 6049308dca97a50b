package dev.mvp.signaling.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.Session;
import dev.mvp.signaling.core.SignalingHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A minimal transport for the hub, for these tests only, until the launcher's {@code SignalingServer}
 * is merged: Java-WebSocket on {@code 127.0.0.1:0} for {@code /ws/{id}}, and the JDK HTTP server on
 * another loopback port for the demo page (which is told the WebSocket address in its query).
 */
final class StandInServer implements TestServer {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final SignalingHub hub = new SignalingHub();
    private final Ws ws = new Ws();
    private final HttpServer http;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private boolean closed;

    private StandInServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        http.createContext("/demo/", StandInServer::serveDemo);
    }

    static StandInServer start() throws Exception {
        StandInServer server = new StandInServer();
        server.http.start();
        server.ws.setReuseAddr(true);
        server.ws.start();
        try {
            server.started.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    @Override
    public URI webSocketBase() {
        return URI.create("ws://127.0.0.1:" + ws.getPort() + "/ws/");
    }

    @Override
    public URI demoPage(String query) {
        String server = URLEncoder.encode(webSocketBase().toString(), StandardCharsets.UTF_8);
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/demo/index.html?server=" + server
                + (query.isEmpty() ? "" : "&" + query));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        hub.close();
        try {
            ws.stop(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
    }

    private static void serveDemo(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/demo/".length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        try (exchange; InputStream in = name.contains("..") ? null
                : StandInServer.class.getClassLoader().getResourceAsStream("demo/" + name)) {
            if (in == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = in.readAllBytes();
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8";
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private final class Ws extends WebSocketServer {
        Ws() {
            super(new InetSocketAddress(LOOPBACK, 0));
        }

        @Override
        public void onStart() {
            started.complete(null);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake request) {
            String path = request.getResourceDescriptor();
            int query = path.indexOf('?');
            String plainPath = query < 0 ? path : path.substring(0, query);
            String id = plainPath.startsWith("/ws/")
                    ? URLDecoder.decode(plainPath.substring(4), StandardCharsets.UTF_8) : null;
            Handshake handshake = new Handshake(plainPath, query < 0 ? "" : path.substring(query + 1),
                    Map.of("Origin", List.of(String.valueOf(request.getFieldValue("Origin")))), conn.getRemoteSocketAddress());
            Session session = hub.open(new Connection() {
                @Override
                public Handshake handshake() {
                    return handshake;
                }

                @Override
                public void send(String text) {
                    if (conn.isOpen()) {
                        conn.send(text);
                    }
                }

                @Override
                public void close(int code, String reason) {
                    conn.close(code, reason);
                }

                @Override
                public long bufferedBytes() {
                    return 0;
                }
            }, id);
            conn.setAttachment(session);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            Session session = conn.getAttachment();
            session.onText(message);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            Session session = conn.getAttachment();
            if (session != null) {
                session.onClose(code, reason);
            }
        }

        @Override
        public void onError(WebSocket conn, Exception e) {
            if (conn == null) {
                started.completeExceptionally(e);
            }
        }
    }
}
