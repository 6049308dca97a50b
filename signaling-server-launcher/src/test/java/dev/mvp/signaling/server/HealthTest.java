package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.HubConfig;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /livez} and {@code /readyz} as an orchestrator's probes see them, in each state of the server. */
class HealthTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String get(int port, String path) throws Exception {
        return Raw.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    private static JsonObject body(String response) {
        return JsonParser.parseString(response.substring(response.indexOf("\r\n\r\n") + 4)).getAsJsonObject();
    }

    @Test
    void aRunningServerIsLiveAndReady() throws Exception {
        server = Servers.start();
        String live = get(server.port(), "/livez");
        assertThat(live).startsWith("HTTP/1.1 200").contains("Content-Type: application/json; charset=utf-8");
        assertThat(body(live).get("status").getAsString()).isEqualTo("live");
        String ready = get(server.port(), "/readyz");
        assertThat(ready).startsWith("HTTP/1.1 200");
        assertThat(body(ready).get("status").getAsString()).isEqualTo("ready");
        assertThat(body(ready).has("reasons")).isFalse();
        assertThat(Raw.exchange(server.port(), "HEAD /readyz HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200")
                .endsWith("\r\n\r\n");
    }

    @Test
    void aFullServerIsNotReadyButLiveAndBecomesReadyWhenAPlaceFreesUp() throws Exception {
        server = Servers.start(HubConfig.builder().maxConnections(2).maxPeers(1).build());
        try (WsClient alice = WsClient.register(server, "alice")) {
            String peersFull = get(server.port(), "/readyz");
            assertThat(peersFull).startsWith("HTTP/1.1 503");
            assertThat(body(peersFull).get("status").getAsString()).isEqualTo("not-ready");
            assertThat(body(peersFull).getAsJsonArray("reasons").toString())
                    .contains("full: 1 registered peers, the most allowed is 1");
            try (WsClient bob = WsClient.connect(server.webSocketUri("bob"))) {
                Await.until("two connections", () -> server.hub().stats().connections() == 2);
                assertThat(body(get(server.port(), "/readyz")).getAsJsonArray("reasons").toString())
                        .contains("full: 2 connections, the most allowed is 2");
                assertThat(get(server.port(), "/livez")).startsWith("HTTP/1.1 200");
            }
            alice.closeNormally();
            Await.until("no connections", () -> server.hub().stats().connections() == 0);
            assertThat(get(server.port(), "/readyz")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aReadinessCheckThatSaysNoMakesTheServerNotReadyAndNeverFailsLiveness() throws Exception {
        AtomicReference<String> backplane = new AtomicReference<>("cut off from Redis");
        server = new SignalingServer(Servers.loopback().readinessCheck("redis", backplane::get)
                .readinessCheck("broken", () -> {
                    if (backplane.get() != null) {
                        throw new IllegalStateException("boom");
                    }
                    return null;
                }).build()).start();
        String ready = get(server.port(), "/readyz");
        assertThat(ready).startsWith("HTTP/1.1 503");
        assertThat(body(ready).getAsJsonArray("reasons").toString())
                .contains("redis: cut off from Redis", "broken: the check failed: IllegalStateException");
        assertThat(get(server.port(), "/livez")).startsWith("HTTP/1.1 200");
        backplane.set(null);
        assertThat(get(server.port(), "/readyz")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aDrainingServerIsNotReadyButStillLive() throws Exception {
        server = new SignalingServer(Servers.loopback().shutdownTimeout(Duration.ofSeconds(20)).build()).start();
        int port = server.port();
        try (RawWs deaf = RawWs.open(port, "/ws/deaf", 0);
             Socket readyProbe = Raw.open(port);
             Socket liveProbe = Raw.open(port)) {
            deaf.sendText("{\"type\":\"register\",\"id\":\"deaf\"}");
            assertThat(deaf.read().text()).contains("registered");
            Await.until("both probes accepted", () -> server.socketCount() == 3);
            Thread closer = new Thread(server::close, "health-test-closer");
            closer.start();
            try {
                // the deaf client never answers the close, so the server drains until it hangs up
                assertThat(deaf.read().text()).isEqualTo(SignalingServer.SHUTDOWN_NOTICE);
                Raw.write(readyProbe, "GET /readyz HTTP/1.1\r\nHost: a\r\n\r\n");
                String ready = Raw.readToEnd(readyProbe);
                assertThat(ready).startsWith("HTTP/1.1 503");
                assertThat(body(ready).getAsJsonArray("reasons").toString()).contains("draining");
                Raw.write(liveProbe, "GET /livez HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(Raw.readToEnd(liveProbe)).startsWith("HTTP/1.1 200");
            } finally {
                deaf.close();
                closer.join(10_000);
            }
            assertThat(closer.isAlive()).isFalse();
        }
    }

    @Test
    void theProbePathsCannotBeTakenByARoute() {
        for (String path : new String[] {"/livez", "/readyz"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.builder()
                    .route(path, r -> dev.mvp.signaling.server.http.HttpResponse.ok("text/plain", "")))
                    .hasMessageContaining("the server answers " + path + " itself");
        }
    }
}
