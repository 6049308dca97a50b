package dev.mvp.signaling.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Serves the browser demo ({@code demo/} in the launcher's resources) over the JDK's HTTP server on a
 * loopback port, for as long as the launcher does not serve it itself.
 */
final class DemoPages {
    private DemoPages() {}

    static HttpServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/demo/", DemoPages::serve);
        http.start();
        return http;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/demo/".length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        try (exchange; InputStream in = name.contains("..") ? null
                : DemoPages.class.getClassLoader().getResourceAsStream("demo/" + name)) {
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
}
