package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss:// and https:// on one port, with a key store made by keytool for the test. */
class TlsTest {
    private static final char[] PASSWORD = "test-password".toCharArray();
    @TempDir
    static Path dir;
    private static Path keyStore;
    private static HttpClient trusting;
    private SignalingServer server;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        TestKeyStore made = TestKeyStore.create(dir);
        keyStore = made.file();
        trusting = HttpClient.newBuilder().sslContext(made.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SignalingServer startTls() {
        return new SignalingServer(Servers.loopback().tls(keyStore, PASSWORD).build()).start();
    }

    @Test
    void signalingWorksOverWss() throws Exception {
        server = startTls();
        assertThat(server.webSocketUri("alice").toString()).startsWith("wss://127.0.0.1:");
        try (WsClient alice = WsClient.connect(trusting, server.webSocketUri("alice"));
             WsClient bob = WsClient.connect(trusting, server.webSocketUri("bob"))) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
            bob.send("{\"type\":\"register\",\"id\":\"bob\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("registered");
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("registered");
            String sdp = "v=0 " + "x".repeat(40_000); // several TLS records
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"" + sdp + "\"}");
            assertThat(bob.nextJson().get("sdp").getAsString()).isEqualTo(sdp);
            for (int i = 0; i < 50; i++) {
                bob.send("{\"type\":\"candidate\",\"to\":\"alice\",\"candidate\":{\"candidate\":\"c" + i + "\"}}");
            }
            for (int i = 0; i < 50; i++) {
                assertThat(alice.next()).contains("\"c" + i + "\"");
            }
        }
    }

    @Test
    void httpsServesStatusOnTheSamePort() throws Exception {
        server = startTls();
        assertThat(server.uri("/status").toString()).startsWith("https://");
        for (String path : List.of("/status", "/", "/nothing-here")) {
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(server.uri(path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(path.equals("/nothing-here") ? 404 : 200);
            assertThat(r.body()).startsWith("{");
        }
    }

    @Test
    void plainTextClientsGetNoAnswerAndDoNotDisturbTls() throws Exception {
        server = startTls();
        String reply = Raw.exchange(server.port(), "GET /status HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(reply).doesNotContain("registeredPeers");
        HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(server.uri("/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordOrFileFailsStartClearly() {
        SignalingServer wrong = new SignalingServer(Servers.loopback().tls(keyStore, "nope".toCharArray()).build());
        assertThatThrownBy(wrong::start).isInstanceOf(ServerStartException.class).hasMessageContaining("TLS key store");
        SignalingServer missing = new SignalingServer(Servers.loopback().tls(dir.resolve("none.p12"), PASSWORD).build());
        assertThatThrownBy(missing::start).isInstanceOf(ServerStartException.class).hasMessageContaining("none.p12");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().endsWith("-tls") && t.isAlive()
                && t.getName().startsWith("signaling-ws-"));
    }
}
