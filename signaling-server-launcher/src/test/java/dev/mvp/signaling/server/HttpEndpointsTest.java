package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.core.HubConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /, GET /status, CORS and errors, asked by real HTTP clients on the WebSocket port. */
class HttpEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void rootReportsOkAndTheNumberOfConnectedClients() throws Exception {
        server = Servers.start();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.connect(server.webSocketUri("bob"))) {
            // the client sees the 101 before the server has opened the hub session
            Await.until("two connections", () -> server.hub().stats().connections() == 2);
            HttpResponse<String> r = get("/");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonObject o = json(r);
            assertThat(o.get("status").getAsString()).isEqualTo("ok");
            assertThat(o.get("connectedClients").getAsInt()).isEqualTo(2);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        }
    }

    @Test
    void statusShowsMessagesHeldForAbsentPeers() throws Exception {
        server = Servers.start();
        try (WsClient alice = WsClient.register(server, "alice")) {
            alice.send("{\"type\":\"offer\",\"to\":\"later\",\"sdp\":\"v=0\"}");
            alice.send("{\"type\":\"ping\"}");
            alice.next(); // the pong: the offer before it has been handled
            JsonObject o = json(get("/status"));
            assertThat(o.get("heldMessages").getAsInt()).isEqualTo(1);
            assertThat(o.get("suspendedPeers").getAsInt()).isZero();
        }
    }

    @Test
    void statusReportsTheHubCounters() throws Exception {
        server = Servers.start(HubConfig.builder().offlineQueue(OfflineQueuePolicy.DISABLED).build());
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            bob.next();
            alice.send("{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"v=0\"}");
            alice.next();
            Await.until("one message routed", () -> server.hub().stats().messagesRouted() == 1);
            JsonObject o = json(get("/status"));
            assertThat(o.get("status").getAsString()).isEqualTo("ok");
            assertThat(o.get("connections").getAsInt()).isEqualTo(2);
            assertThat(o.get("registeredPeers").getAsInt()).isEqualTo(2);
            assertThat(o.get("messagesRouted").getAsLong()).isEqualTo(1);
            assertThat(o.getAsJsonObject("errorsByCode").get(ErrorCodes.PEER_NOT_FOUND).getAsLong()).isEqualTo(1);
            assertThat(o.get("uptimeSeconds").getAsLong()).isGreaterThanOrEqualTo(0);
            assertThat(o.get("version").getAsString()).isNotBlank();
            assertThat(o.get("startedAt").getAsString()).isNotBlank();
        }
    }

    @Test
    void statusHasTheOwnFieldsOnlyUnlessTheServerIsANodeOfAClusterThenItsClusterObjectToo() throws Exception {
        server = Servers.start();
        assertThat(json(get("/status")).keySet()).containsExactly("status", "version", "startedAt", "uptimeSeconds",
                "connections", "registeredPeers", "messagesRouted", "heldMessages", "suspendedPeers", "errorsByCode");
        server.close();

        java.util.concurrent.atomic.AtomicBoolean connected = new java.util.concurrent.atomic.AtomicBoolean(true);
        ClusterView view = new ClusterView() {
            @Override
            public java.util.Map<String, Object> statusFields() {
                java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
                fields.put("nodeId", "node-1");
                fields.put("status", connected.get() ? "connected" : "degraded");
                fields.put("redisConnected", connected.get());
                fields.put("messagesBounced", java.util.Map.of("cluster-unavailable", 3L));
                return fields;
            }

            @Override
            public boolean connected() {
                return connected.get();
            }

            @Override
            public long messagesSent() {
                return 0;
            }

            @Override
            public long messagesReceived() {
                return 0;
            }

            @Override
            public java.util.Map<String, Long> messagesBounced() {
                return java.util.Map.of("cluster-unavailable", 3L);
            }
        };
        server = new SignalingServer(Servers.loopback().cluster(view).build()).start();
        JsonObject o = json(get("/status"));
        assertThat(o.get("status").getAsString()).isEqualTo("ok");
        assertThat(o.getAsJsonObject("cluster").toString()).isEqualTo("{\"nodeId\":\"node-1\",\"status\":\"connected\","
                + "\"redisConnected\":true,\"messagesBounced\":{\"cluster-unavailable\":3}}");
        connected.set(false); // read at every request
        assertThat(json(get("/status")).getAsJsonObject("cluster").get("status").getAsString()).isEqualTo("degraded");
    }

    @Test
    void unknownPathsGetJson404() throws Exception {
        server = Servers.start();
        HttpResponse<String> r = get("/nowhere?x=1");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").getAsString()).isEqualTo("not-found");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void wrongMethodGets405AndPlainGetOnTheWebSocketPathGets426() throws Exception {
        server = Servers.start();
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(server.uri("/status"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        HttpResponse<String> plain = get("/ws/alice");
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(json(plain).get("error").getAsString()).isEqualTo("upgrade-required");
    }

    @Test
    void preflightIsAnsweredWithTheAllowedMethodsAndHeaders() throws Exception {
        server = Servers.start();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.uri("/status"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .headers("Origin", "https://app.example.com", "Access-Control-Request-Method", "GET",
                        "Access-Control-Request-Headers", "x-requested-with")
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, HEAD, OPTIONS");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("x-requested-with");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void configuredOriginsAreEchoedOthersGetNoCorsHeaderAndNoWebSocket() throws Exception {
        server = new SignalingServer(Servers.loopback().allowedOrigins(List.of("https://app.example.com")).build()).start();
        HttpResponse<String> allowed = get("/status", "Origin", "https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("Vary")).hasValue("Origin");
        HttpResponse<String> other = get("/status", "Origin", "https://evil.example.net");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        String refused = Raw.exchange(server.port(), Raw.upgrade("/ws/alice").replace("Host:", "Origin: https://evil.example.net\r\nHost:"));
        assertThat(refused).startsWith("HTTP/1.1 403").contains("origin-not-allowed");
        String accepted = upgradeStatusLine(Raw.upgrade("/ws/alice").replace("Host:", "Origin: https://app.example.com\r\nHost:"));
        assertThat(accepted).startsWith("HTTP/1.1 101");
    }

    private String upgradeStatusLine(String request) throws IOException {
        try (java.net.Socket s = Raw.open(server.port())) {
            Raw.write(s, request);
            byte[] buf = new byte[12];
            int n = s.getInputStream().readNBytes(buf, 0, buf.length);
            return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void headRequestsGetHeadersWithoutBody() throws Exception {
        server = Servers.start();
        String response = Raw.exchange(server.port(), "HEAD /status HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 OK").contains("Content-Length: ").endsWith("\r\n\r\n");
    }

    @Test
    void curlSeesTheSameJsonAndCorsHeaders() throws Exception {
        assumeTrue(onPath("curl"), "curl is not installed; the HTTP endpoints are covered by the JDK client tests");
        server = Servers.start();
        String out = run("curl", "-sS", "-i", "--max-time", "5", "-H", "Origin: https://a.example", server.uri("/status").toString());
        assertThat(out).startsWith("HTTP/1.1 200").contains("Access-Control-Allow-Origin: *").contains("\"registeredPeers\":0");
        String notFound = run("curl", "-sS", "-i", "--max-time", "5", server.uri("/missing").toString());
        assertThat(notFound).startsWith("HTTP/1.1 404").contains("\"error\":\"not-found\"");
        String http10 = run("curl", "-sS", "-i", "--http1.0", "--max-time", "5", server.uri("/").toString());
        assertThat(http10).contains("200 OK").contains("\"status\":\"ok\"");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (new java.io.File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

}
