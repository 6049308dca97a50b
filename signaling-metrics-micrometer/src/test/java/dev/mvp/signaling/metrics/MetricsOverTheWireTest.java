package dev.mvp.signaling.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.server.Await;
import dev.mvp.signaling.server.Raw;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.Servers;
import dev.mvp.signaling.server.SignalingServer;
import dev.mvp.signaling.server.WsClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A scripted exchange over real sockets, then {@code GET /metrics} as Prometheus scrapes it. */
class MetricsOverTheWireTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String scrape(SignalingServer server, String path) throws Exception {
        String response = Raw.exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").contains("Content-Type: text/plain; version=0.0.4; charset=utf-8");
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** The value of one series, e.g. {@code signaling_messages_routed_total{type="offer"}}; fails if absent. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aScriptedExchangeShowsUpInTheCountsAndTheUsersListenerStillHearsEverything() throws Exception {
        AtomicInteger usersRegistrations = new AtomicInteger();
        HubListener users = new HubListener() {
            @Override
            public void registered(String id) {
                usersRegistrations.incrementAndGet();
            }
        };
        SignalingMetrics metrics = SignalingMetrics.create();
        ServerConfig config = Servers.loopback().hubConfig(HubConfig.builder().listener(users)
                .authenticator(Authenticator.staticTokens(Map.of("alice", "a-token", "bob", "b-token"))).build()).build();
        server = new SignalingServer(metrics.install(config, SignalingMetrics.DEFAULT_PATH)).start();
        metrics.bind(server);

        try (WsClient alice = WsClient.connect(server.webSocketUri("alice"));
             WsClient bob = WsClient.connect(server.webSocketUri("bob"));
             WsClient mallory = WsClient.connect(server.webSocketUri("mallory"))) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"a-token\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("registered");
            bob.send("{\"type\":\"register\",\"id\":\"bob\",\"token\":\"b-token\"}");
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("registered");
            mallory.send("{\"type\":\"register\",\"id\":\"mallory\",\"token\":\"guess\"}");
            assertThat(mallory.nextJson().get("type").getAsString()).isEqualTo("error");

            alice.send("{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("offer");
            bob.send("{\"type\":\"answer\",\"from\":\"bob\",\"to\":\"alice\",\"sdp\":\"v=0\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("answer");
            for (int i = 0; i < 2; i++) {
                alice.send("{\"type\":\"candidate\",\"from\":\"alice\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"c" + i + "\"}}");
                assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("candidate");
            }
            alice.send("{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"nobody\",\"sdp\":\"v=0\"}");
            alice.send("{\"type\":\"dance\"}");
            assertThat(alice.nextJson().get("code").getAsString()).isEqualTo("unknown-type");
            Await.until("mallory is closed or unregistered", () -> server.hub().stats().registeredPeers() == 2);

            String text = scrape(server, "/metrics");
            assertThat(value(text, "signaling_messages_routed_total{type=\"offer\"}")).isEqualTo(1);
            assertThat(value(text, "signaling_messages_routed_total{type=\"answer\"}")).isEqualTo(1);
            assertThat(value(text, "signaling_messages_routed_total{type=\"candidate\"}")).isEqualTo(2);
            assertThat(value(text, "signaling_rejections_total{code=\"unknown-type\"}")).isEqualTo(1);
            assertThat(value(text, "signaling_authentication_failures_total{code=\"token-invalid\"}")).isEqualTo(1);
            assertThat(value(text, "signaling_registrations_total")).isEqualTo(2);
            assertThat(value(text, "signaling_connections_opened_total")).isEqualTo(3);
            assertThat(value(text, "signaling_registered_peers")).isEqualTo(2);
            assertThat(value(text, "signaling_register_latency_seconds_count")).isEqualTo(2);
            assertThat(value(text, "signaling_handshake_seconds_count")).isEqualTo(3);
            assertThat(value(text, "signaling_handshake_seconds_sum")).isGreaterThan(0);
            assertThat(value(text, "signaling_held_messages")).isEqualTo(server.hub().stats().heldMessages());
            assertThat(value(text, "signaling_buffered_bytes")).isGreaterThanOrEqualTo(0);
            assertThat(text).contains("# TYPE signaling_messages_routed_total counter", "jvm_memory_used_bytes",
                    "process_cpu_usage", "signaling_register_latency_seconds_bucket");
            assertThat(usersRegistrations).hasValue(2);

            alice.closeNormally();
            Await.until("alice left", () -> server.hub().stats().registeredPeers() == 1);
            assertThat(value(scrape(server, "/metrics"), "signaling_peers_left_total{code=\"1000\"}")).isEqualTo(1);
        }
        // /status is as it was
        assertThat(Raw.exchange(server.port(), "GET /status HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200")
                .contains("\"registeredPeers\":");
    }

    @Test
    void aHandshakeIsTimedFromTheAcceptOfItsConnectionToThe101() throws Exception {
        SignalingMetrics metrics = SignalingMetrics.create();
        server = new SignalingServer(metrics.install(Servers.loopback().build(), SignalingMetrics.DEFAULT_PATH)).start();
        metrics.bind(server);
        try (java.net.Socket slow = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            slow.setSoTimeout(10_000);
            Thread.sleep(300); // not a synchronisation: a client that takes its time, which the handshake includes
            slow.getOutputStream().write(("GET /ws/slow HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = slow.getInputStream();
            for (int c; head.indexOf("\r\n\r\n") < 0 && (c = in.read()) != -1; ) {
                head.append((char) c);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");

            String text = scrape(server, "/metrics");
            assertThat(value(text, "signaling_handshake_seconds_count")).isEqualTo(1);
            assertThat(value(text, "signaling_handshake_seconds_max")).isGreaterThanOrEqualTo(0.3);
            assertThat(text).contains("signaling_handshake_seconds_bucket");
        }
    }

    @Test
    void heldMessagesThatExpireAreCounted() throws Exception {
        SignalingMetrics metrics = SignalingMetrics.in(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        ServerConfig config = Servers.loopback().hubConfig(HubConfig.builder()
                .offlineQueue(dev.mvp.signaling.core.OfflineQueuePolicy.DEFAULT.withHoldFor(java.time.Duration.ofMillis(200)))
                .build()).build();
        server = new SignalingServer(metrics.install(config, "/m")).start();
        metrics.bind(server);
        try (WsClient alice = WsClient.register(server, "alice")) {
            alice.send("{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"late\",\"sdp\":\"v=0\"}");
            assertThat(alice.nextJson().get("code").getAsString()).isEqualTo("delivery-expired");
            String text = scrape(server, "/m");
            assertThat(value(text, "signaling_messages_expired_total")).isEqualTo(1);
            assertThat(value(text, "signaling_held_messages")).isEqualTo(0);
            assertThat(text).doesNotContain("jvm_memory_used_bytes"); // the embedder's registry: its binders
        }
    }

    @Test
    void aGivenHubCannotBeInstrumentedByInstall() {
        SignalingMetrics metrics = SignalingMetrics.create();
        try (dev.mvp.signaling.core.SignalingHub hub = new dev.mvp.signaling.core.SignalingHub()) {
            assertThatThrownBy(() -> metrics.install(Servers.loopback().hub(hub).build(), "/metrics"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listener()");
        }
    }
}
