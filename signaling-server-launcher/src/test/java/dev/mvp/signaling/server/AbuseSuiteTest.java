package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.HmacTokens;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and careless clients over real sockets, each answered as docs/PROTOCOL.md and docs/HTTP.md
 * say: the error code, and whether and how the connection is closed.
 */
class AbuseSuiteTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String code(JsonObject error) {
        assertThat(error.get("type").getAsString()).isEqualTo("error");
        return error.get("code").getAsString();
    }

    @Test
    void aWrongFromIsRefusedAndNotRelayed() throws Exception {
        server = Servers.start();
        try (WsClient mallory = WsClient.register(server, "mallory"); WsClient bob = WsClient.register(server, "bob")) {
            mallory.send("{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":1}");
            JsonObject e = mallory.nextJson();
            assertThat(code(e)).isEqualTo("from-mismatch");
            assertThat(e.get("mid").getAsInt()).isEqualTo(1);
            mallory.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"honest\"}");
            assertThat(bob.nextJson().get("from").getAsString()).isEqualTo("mallory"); // the forged one never came
        }
    }

    @Test
    void aLiveIdCannotBeHijacked() throws Exception {
        server = Servers.start();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob");
             WsClient thief = WsClient.connect(server.webSocketUri("alice"))) {
            thief.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(code(thief.nextJson())).isEqualTo("id-taken");
            bob.send("{\"type\":\"offer\",\"to\":\"alice\",\"sdp\":\"for the real alice\"}");
            assertThat(alice.next()).contains("for the real alice");
            assertThat(thief.poll(100)).isNull();
        }
    }

    @Test
    void textsOverTheHubLimitAreRefusedAndTextsOverTheFrameCapCloseWith1009() throws Exception {
        // hub limit 1,024 chars; transport cap 3 x 1,024 bytes
        server = new SignalingServer(Servers.loopback().maxFrameBytes(3 * 1024)
                .hubConfig(HubConfig.builder().maxMessageLength(1024).build()).build()).start();
        try (WsClient alice = WsClient.register(server, "alice")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"" + "x".repeat(2000) + "\"}");
            assertThat(code(alice.nextJson())).isEqualTo("message-too-large");
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("pong"); // still open
            try {
                alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"" + "x".repeat(4000) + "\"}");
            } catch (Exception closedWhileSending) {
                // the server may close before the client has finished writing
            }
            assertThat(alice.awaitClose()).startsWith(CloseCodes.MESSAGE_TOO_BIG + " ");
        }
    }

    @Test
    void theDefaultFrameCapIsOneMebibyteAndCountsFragmentsTogether() throws Exception {
        server = Servers.start();
        assertThat(server.config().maxFrameBytes()).isEqualTo(1024 * 1024);
        try (RawWs raw = RawWs.open(server.port(), "/ws/alice", 0)) {
            byte[] part = new byte[600 * 1024];
            java.util.Arrays.fill(part, (byte) 'x');
            raw.sendFrame(0x1, part, false); // a text message in two fragments, 1.2 MB together
            try {
                raw.sendFrame(0x0, part, true);
            } catch (java.io.IOException closedWhileSending) {
                // the server may reset while we still write
            }
            assertThat(raw.readUntilClose()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void binaryFramesAreRefusedAndTheConnectionStays() throws Exception {
        server = Servers.start();
        try (WsClient alice = WsClient.register(server, "alice")) {
            alice.sendBinary(new byte[] {1, 2, 3});
            assertThat(code(alice.nextJson())).isEqualTo("binary-not-supported");
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("pong");
        }
    }

    @Test
    void invalidUtf8InATextFrameClosesWith1007() throws Exception {
        server = Servers.start();
        try (RawWs raw = RawWs.open(server.port(), "/ws/alice", 0)) {
            raw.sendText("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(raw.read().text()).contains("registered");
            byte[] bad = "{\"type\":\"ping\",\"x\":\"??\"}".getBytes(StandardCharsets.US_ASCII);
            bad[bad.length - 4] = (byte) 0xC3; // a lead byte followed by "(": not UTF-8
            bad[bad.length - 3] = (byte) 0x28;
            raw.sendFrame(0x1, bad, true);
            assertThat(raw.readUntilClose()).isEqualTo(1007);
        }
        Await.until("the hub forgot alice", () -> !server.hub().isRegistered("alice"));
    }

    @Test
    void aFloodIsAnsweredRateLimitedThenClosedWith1008() throws Exception {
        server = Servers.start(HubConfig.builder().rateLimit(new RateLimit(1, 5)).build());
        try (WsClient flooder = WsClient.register(server, "flooder"); WsClient bob = WsClient.register(server, "bob")) {
            for (int i = 0; i < 40 && !flooder.closed.isDone(); i++) {
                try {
                    flooder.send("{\"type\":\"ping\",\"mid\":" + i + "}");
                } catch (Exception closed) {
                    break;
                }
            }
            int pongs = 0;
            int limited = 0;
            String frame;
            while ((frame = flooder.poll(500)) != null) {
                if (frame.contains("\"pong\"")) {
                    pongs++;
                } else if (frame.contains("rate-limited")) {
                    limited++;
                }
            }
            assertThat(pongs).isBetween(4, 6); // the register took one token of the burst of 5
            assertThat(limited).isGreaterThanOrEqualTo(5);
            assertThat(flooder.awaitClose()).isEqualTo("1008 rate limit exceeded");
            bob.send("{\"type\":\"ping\"}");
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("pong"); // others unaffected
        }
    }

    @Test
    void connectionsOverTheMaximumAreRefusedWithServerFullAnd1013() throws Exception {
        server = Servers.start(HubConfig.builder().maxConnections(2).build());
        try (WsClient a = WsClient.register(server, "a"); WsClient b = WsClient.register(server, "b");
             WsClient c = WsClient.connect(server.webSocketUri("c"))) {
            assertThat(code(c.nextJson())).isEqualTo("server-full");
            assertThat(c.awaitClose()).startsWith("1013 ");
            a.send("{\"type\":\"offer\",\"to\":\"b\",\"sdp\":\"still served\"}");
            assertThat(b.next()).contains("still served");
        }
        Await.until("slots freed", () -> server.hub().stats().connections() == 0);
        try (WsClient d = WsClient.register(server, "d")) {
            assertThat(server.hub().isRegistered("d")).isTrue();
        }
    }

    @Test
    void badPathsAndBadOriginsAreRefusedBeforeAnyState() throws Exception {
        server = new SignalingServer(Servers.loopback().allowedOrigins(java.util.List.of("https://app.example")).build()).start();
        int port = server.port();
        assertThat(Raw.exchange(port, Raw.upgrade("/nowhere"))).startsWith("HTTP/1.1 404").contains("not-found");
        assertThat(Raw.exchange(port, Raw.upgrade("/ws/"))).startsWith("HTTP/1.1 400").contains("invalid-id");
        assertThat(Raw.exchange(port, Raw.upgrade("/ws/a/b"))).startsWith("HTTP/1.1 404");
        assertThat(Raw.exchange(port, Raw.upgrade("/ws/%zz"))).startsWith("HTTP/1.1 400").contains("invalid-id"); // a broken escape is a bad id
        assertThat(Raw.exchange(port, Raw.upgrade("/ws/%3Cscript%3E"))).startsWith("HTTP/1.1 400").contains("invalid-id");
        assertThat(Raw.exchange(port, Raw.upgrade("/ws/" + "a".repeat(129)))).startsWith("HTTP/1.1 400");
        String evil = Raw.upgrade("/ws/alice").replace("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n");
        assertThat(Raw.exchange(port, evil)).startsWith("HTTP/1.1 403").contains("origin-not-allowed");
        assertThat(server.hub().stats().connections()).isZero();
        try (WsClient good = WsClient.connectFrom("https://app.example", server.webSocketUri("alice"))) {
            good.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(good.nextJson().get("type").getAsString()).isEqualTo("registered");
        }
    }

    @Test
    void badTokensAreEachRefusedWithTheirCodeAndClosedWith1008() throws Exception {
        String secret = "0123456789abcdef0123456789abcdef";
        HmacTokens tokens = HmacTokens.withSecret(secret.getBytes(StandardCharsets.UTF_8));
        server = new SignalingServer(Servers.loopback().hubConfig(HubConfig.builder().authenticator(tokens.authenticator())
                .build()).build()).start();
        HmacTokens forger = HmacTokens.withSecret("a-different-secret-of-32-bytes!!".getBytes(StandardCharsets.UTF_8));
        Instant later = Instant.now().plusSeconds(600);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("null", "token-missing");
        cases.put("\"\"", "token-missing");
        cases.put("\"garbage\"", "token-invalid");
        cases.put("\"" + forger.issue("alice", later) + "\"", "token-invalid");
        cases.put("\"" + tokens.issue("alice", Instant.now().minusSeconds(5)) + "\"", "token-expired");
        cases.put("\"" + tokens.issue("bob", later) + "\"", "token-id-mismatch");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (WsClient alice = WsClient.connect(server.webSocketUri("alice"))) {
                alice.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":" + c.getKey() + "}");
                JsonObject e = alice.nextJson();
                assertThat(code(e)).as(c.getKey()).isEqualTo(c.getValue());
                assertThat(e.toString()).doesNotContain(c.getKey().length() > 10 ? c.getKey().substring(1, 20) : "\u0000");
                assertThat(alice.awaitClose()).startsWith("1008 ");
            }
        }
        try (WsClient alice = WsClient.connect(server.webSocketUri("alice"))) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"" + tokens.issue("alice", later) + "\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("registered");
        }
    }
}
