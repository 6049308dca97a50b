package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
        keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            server.load(in, PASSWORD);
        }
        Certificate certificate = server.getCertificate("server");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        trusting = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
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
