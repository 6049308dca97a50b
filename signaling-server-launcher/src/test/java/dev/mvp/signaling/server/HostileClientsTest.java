package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Clients that split, stall, half-close, pipeline or lie, over raw sockets. */
class HostileClientsTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRequestSplitAcrossManyWritesIsAnswered() throws Exception {
        server = Servers.start();
        try (Socket s = Raw.open(server.port())) {
            for (String part : new String[] {"GE", "T /sta", "tus HTTP/1.1\r", "\nHost: x\r\n", "\r", "\n"}) {
                Raw.write(s, part);
                Thread.sleep(5); // encourages separate TCP segments; correctness does not depend on it
            }
            assertThat(Raw.readToEnd(s)).startsWith("HTTP/1.1 200 OK").contains("\"registeredPeers\":0");
        }
    }

    @Test
    void anUpgradeSplitAcrossWritesWithAFrameRightBehindItWorks() throws Exception {
        server = Servers.start();
        try (WsClient bob = WsClient.register(server, "bob"); Socket s = Raw.open(server.port())) {
            String upgrade = Raw.upgrade("/ws/alice");
            Raw.write(s, upgrade.substring(0, 30));
            Thread.sleep(5);
            // the rest of the head and a masked register frame in the same write
            byte[] frame = maskedText("{\"type\":\"register\",\"id\":\"alice\"}");
            s.getOutputStream().write((upgrade.substring(30)).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(frame);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101");
            assertThat(readTextFrame(in)).isEqualTo("{\"type\":\"registered\",\"id\":\"alice\"}");
        }
    }

    @Test
    void hundredsOfIncompleteRequestsDoNotStopOthersBeingServed() throws Exception {
        server = Servers.start();
        List<Socket> stalled = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
            for (int i = 0; i < 300; i++) {
                Socket s = Raw.open(server.port());
                stalled.add(s);
                Raw.write(s, i % 2 == 0 ? "GET /status HTTP/1.1\r\nHost: x\r\n" : "GET /ws/x HTTP/1.1\r\nUpgrade: webso");
            }
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/status"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 #" + i + "\"}");
                assertThat(bob.next()).contains("#" + i + "\"");
            }
            for (Socket s : stalled) {
                assertThat(s.isClosed()).isFalse();
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void http10ClientsGetAResponseAndAClose() throws Exception {
        server = Servers.start();
        assertThat(Raw.exchange(server.port(), "GET / HTTP/1.0\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK").contains("Connection: close").contains("\"status\":\"ok\"");
    }

    @Test
    void keepAliveClientsAreServedRequestAfterRequest() throws Exception {
        server = Servers.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri(i % 2 == 0 ? "/" : "/status"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        String pipelined = Raw.exchange(server.port(),
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /status HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(pipelined).startsWith("HTTP/1.1 200 OK").contains("Connection: close");
        assertThat(pipelined.split("HTTP/1.1 ", -1)).as("one response, then close").hasSize(2);
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestStillGetsTheWholeResponse() throws Exception {
        server = Servers.start();
        try (Socket s = Raw.open(server.port())) {
            Raw.write(s, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n");
            s.shutdownOutput();
            String response = Raw.readToEnd(s);
            assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("}\n");
        }
    }

    @Test
    void aClientThatKeepsSendingAfterItsRequestStillGetsTheResponse() throws Exception {
        server = Servers.start();
        try (Socket s = Raw.open(server.port())) {
            Raw.write(s, "POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(50_000));
            InputStream in = s.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 404");
            // the rest of the body still arrives; the server drains it instead of resetting the connection
            Raw.write(s, "x".repeat(50_000));
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(body).contains("\"error\":\"not-found\"").endsWith("}\n");
        }
    }

    @Test
    void malformedAndOversizedHeadsGetErrors() throws Exception {
        server = Servers.start();
        assertThat(Raw.exchange(server.port(), "NONSENSE\r\n\r\n")).startsWith("HTTP/1.1 400").contains("bad-request");
        assertThat(Raw.exchange(server.port(), "GET / HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
    }

    @Test
    void upgradesToOtherPathsOrInvalidIdsAreRefusedAtTheHandshake() throws Exception {
        server = Servers.start();
        assertThat(Raw.exchange(server.port(), Raw.upgrade("/chat"))).startsWith("HTTP/1.1 404").contains("not-found");
        assertThat(Raw.exchange(server.port(), Raw.upgrade("/ws/alice/extra"))).startsWith("HTTP/1.1 404");
        assertThat(Raw.exchange(server.port(), Raw.upgrade("/ws/has%20space"))).startsWith("HTTP/1.1 400").contains("invalid-id");
        assertThat(Raw.exchange(server.port(), Raw.upgrade("/ws/" + "a".repeat(200)))).startsWith("HTTP/1.1 400");
        assertThat(server.hub().stats().connections()).isZero();
    }

    @Test
    void percentEncodedIdsAreDecoded() throws Exception {
        server = Servers.start();
        try (WsClient c = WsClient.connect(server.webSocketUri("alice@home"))) {
            c.send("{\"type\":\"register\",\"id\":\"alice@home\"}");
            assertThat(c.nextJson().get("id").getAsString()).isEqualTo("alice@home");
        }
    }

    // --- regressions for Java-WebSocket's gaps ----------------------------------------------------

    @Test
    void unfinishedHandshakesAreClosedAfterTheHandshakeTimeout() throws Exception {
        server = new SignalingServer(Servers.loopback().handshakeTimeout(Duration.ofMillis(300)).build()).start();
        try (Socket silent = Raw.open(server.port()); Socket partial = Raw.open(server.port());
             Socket partialUpgrade = Raw.open(server.port())) {
            Raw.write(partial, "GET /status HTTP/1.1\r\nHost: x\r\n");
            Raw.write(partialUpgrade, Raw.upgrade("/ws/alice").substring(0, 50));
            long start = System.nanoTime();
            assertThat(Raw.readToEnd(silent)).isEmpty();
            assertThat(Raw.readToEnd(partial)).isEmpty();
            assertThat(Raw.readToEnd(partialUpgrade)).isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(Raw.TIMEOUT_MS);
        }
        Await.until("every channel released", () -> server.socketCount() == 0);
    }

    @Test
    void aRefusedHandshakeIsAnsweredAlikeOnEveryEngineAndClosesTheSocket() throws Exception {
        server = Servers.start();
        // Raw.exchange reads until the server closes: it returns only if the socket is closed after the answer.
        String noKey = Raw.upgrade("/ws/alice").replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "");
        assertThat(Raw.exchange(server.port(), noKey)).startsWith("HTTP/1.1 400").contains("Sec-WebSocket-Key");
        String oldVersion = Raw.upgrade("/ws/alice").replace("Version: 13", "Version: 8");
        assertThat(Raw.exchange(server.port(), oldVersion)).startsWith("HTTP/1.1 426")
                .contains("Sec-WebSocket-Version: 13").contains("this server speaks version 13");
        assertThat(server.hub().stats().connections()).isZero();
    }

    @Test
    void openWebSocketsAreNotCutByTheHandshakeTimeout() throws Exception {
        server = new SignalingServer(Servers.loopback().handshakeTimeout(Duration.ofMillis(100)).build()).start();
        try (WsClient alice = WsClient.register(server, "alice")) {
            // the deadline passed while we waited for the confirmation; show we are still connected
            Thread.sleep(200); // lets the 100 ms deadline pass: not a synchronisation, the assertion below is
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("pong");
        }
    }

    // --- tiny WebSocket codec for the raw tests -----------------------------------------------------

    static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("short frames only");
        }
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    static String readHead(InputStream in) throws Exception {
        return Raw.readHead(in);
    }

    static String readTextFrame(InputStream in) throws Exception {
        int b0 = in.read();
        int len = in.read() & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        }
        assertThat(b0 & 0x0f).as("text opcode").isEqualTo(1);
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }
}
