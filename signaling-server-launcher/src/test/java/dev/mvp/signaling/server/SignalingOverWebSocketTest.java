package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.AuthResult;
import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol end to end over real sockets, with the frames two Chromium pages really sent. */
class SignalingOverWebSocketTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<String> recordedSession() throws IOException {
        try (InputStream in = SignalingOverWebSocketTest.class.getResourceAsStream("/chromium-datachannel-session.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    @Test
    void aliceAndBobExchangeOfferAnswerCandidatesAndByeAsRecorded() throws Exception {
        server = Servers.start();
        List<String> frames = recordedSession();
        try (WsClient alice = WsClient.connect(server.webSocketUri("alice"));
             WsClient bob = WsClient.connect(server.webSocketUri("bob"))) {
            Map<String, WsClient> clients = Map.of("alice", alice, "bob", bob);
            for (String frame : frames) {
                JsonObject o = JsonParser.parseString(frame).getAsJsonObject();
                String type = o.get("type").getAsString();
                if (type.equals("register")) {
                    WsClient c = clients.get(o.get("id").getAsString());
                    c.send(frame);
                    assertThat(c.next()).isEqualTo("{\"type\":\"registered\",\"id\":\"" + o.get("id").getAsString() + "\"}");
                } else {
                    clients.get(o.get("from").getAsString()).send(frame);
                    assertThat(clients.get(o.get("to").getAsString()).next()).as(type).isEqualTo(frame);
                }
            }
            // the hub counts a message after handing it over, so the receiver may see it first
            Await.until("messagesRouted == " + (frames.size() - 2),
                    () -> server.hub().stats().messagesRouted() == frames.size() - 2);
            assertThat(alice.poll(50)).isNull();
            assertThat(bob.poll(50)).isNull();
        }
    }

    @Test
    void aPeerThatDropsIsReportedToTheOtherWithBye() throws Exception {
        server = Servers.start();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
            alice.send(recordedSession().get(2)); // the offer to bob
            bob.next();
            alice.close();
            JsonObject bye = bob.nextJson();
            assertThat(bye.get("type").getAsString()).isEqualTo("bye");
            assertThat(bye.get("from").getAsString()).isEqualTo("alice");
            assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
        }
    }

    @Test
    void everyProtocolErrorReachesTheClientAsAnErrorFrame() throws Exception {
        // peer-not-found at once: holding messages for absent peers is tested on its own below
        server = Servers.start(HubConfig.builder().offlineQueue(OfflineQueuePolicy.DISABLED).build());
        String offer = recordedSession().get(2);
        try (WsClient alice = WsClient.connect(server.webSocketUri("alice"));
             WsClient bob = WsClient.register(server, "bob")) {
            expectError(alice, "this is not json", ErrorCodes.INVALID_JSON);
            expectError(alice, "{\"id\":\"alice\"}", ErrorCodes.MISSING_FIELD);
            expectError(alice, "{\"type\":\"hello\"}", ErrorCodes.UNKNOWN_TYPE);
            expectError(alice, offer, ErrorCodes.NOT_REGISTERED);
            expectError(alice, "{\"type\":\"register\"}", ErrorCodes.MISSING_FIELD);
            expectError(alice, "{\"type\":\"register\",\"id\":\"has space\"}", ErrorCodes.INVALID_ID);
            expectError(alice, "{\"type\":\"register\",\"id\":\"carol\"}", ErrorCodes.ID_MISMATCH);
            alice.sendBinary(new byte[] {1, 2, 3});
            assertThat(alice.nextJson().get("code").getAsString()).isEqualTo(ErrorCodes.BINARY_NOT_SUPPORTED);
            alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("registered");
            expectError(alice, "{\"type\":\"register\",\"id\":\"bob\"}", ErrorCodes.ALREADY_REGISTERED);
            expectError(alice, offer.replace("\"from\":\"alice\"", "\"from\":\"mallory\""), ErrorCodes.FROM_MISMATCH);
            expectError(alice, offer.replace("\"to\":\"bob\"", "\"to\":\"nobody\""), ErrorCodes.PEER_NOT_FOUND);
            expectError(alice, "{\"type\":\"offer\",\"to\":\"bob\"}", ErrorCodes.MISSING_FIELD);
            expectError(alice, "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":5}", ErrorCodes.INVALID_FIELD);
            expectError(alice, "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":5}", ErrorCodes.INVALID_FIELD);
            expectError(alice, "{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":\"" + "x".repeat(70_000) + "\"}",
                    ErrorCodes.MESSAGE_TOO_LARGE);
            try (WsClient second = WsClient.connect(server.webSocketUri("bob"))) {
                expectError(second, "{\"type\":\"register\",\"id\":\"bob\"}", ErrorCodes.ID_TAKEN);
            }
            assertThat(bob.poll(50)).as("nothing leaked to bob").isNull();
            assertThat(server.hub().stats().errors(ErrorCodes.MISSING_FIELD)).isEqualTo(3);
        }
    }

    @Test
    void aMessageHeldForAPeerThatNeverComesBouncesAsDeliveryExpired() throws Exception {
        server = Servers.start(HubConfig.builder()
                .offlineQueue(new OfflineQueuePolicy(Duration.ofMillis(200), 8, 8, 100)).build());
        try (WsClient alice = WsClient.register(server, "alice")) {
            alice.send("{\"type\":\"offer\",\"to\":\"late\",\"sdp\":\"v=0\",\"mid\":\"m-9\"}");
            JsonObject error = alice.nextJson();
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.DELIVERY_EXPIRED);
            assertThat(error.get("peer").getAsString()).isEqualTo("late");
            assertThat(error.get("mid").getAsString()).isEqualTo("m-9");
        }
    }

    @Test
    void aMessageToAPeerThatConnectsSoonAfterIsDelivered() throws Exception {
        server = Servers.start();
        String offer = recordedSession().get(2);
        try (WsClient alice = WsClient.register(server, "alice")) {
            alice.send(offer);
            try (WsClient bob = WsClient.connect(server.webSocketUri("bob"))) {
                bob.send("{\"type\":\"register\",\"id\":\"bob\"}");
                assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("registered");
                assertThat(bob.next()).isEqualTo(offer);
            }
        }
    }

    @Test
    void aClientThatNeverRegistersGetsRegisterTimeoutAndPolicyClose() throws Exception {
        server = Servers.start(HubConfig.builder().registerTimeout(Duration.ofMillis(200)).build());
        try (WsClient idle = WsClient.connect(server.webSocketUri("idle"))) {
            assertThat(idle.nextJson().get("code").getAsString()).isEqualTo(ErrorCodes.REGISTER_TIMEOUT);
            assertThat(idle.awaitClose()).startsWith("1008");
        }
    }

    @Test
    void authenticationFailuresReachTheClientAndCloseWithPolicyViolation() throws Exception {
        server = Servers.start(HubConfig.builder().authenticator(Authenticator.staticTokens(Map.of("alice", "s3cret"))).build());
        try (WsClient noToken = WsClient.connect(server.webSocketUri("alice"))) {
            expectError(noToken, "{\"type\":\"register\",\"id\":\"alice\"}", ErrorCodes.TOKEN_MISSING);
            assertThat(noToken.awaitClose()).startsWith("1008");
        }
        try (WsClient wrong = WsClient.connect(server.webSocketUri("alice"))) {
            expectError(wrong, "{\"type\":\"register\",\"id\":\"alice\",\"token\":\"guess\"}", ErrorCodes.TOKEN_INVALID);
        }
        try (WsClient right = WsClient.connect(server.webSocketUri("alice"))) {
            right.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"s3cret\"}");
            assertThat(right.nextJson().get("type").getAsString()).isEqualTo("registered");
        }
    }

    @Test
    void extensionFailuresAndRefusalsReachTheClient() throws Exception {
        server = Servers.start(HubConfig.builder()
                .authenticator(r -> r.id().startsWith("x") ? AuthResult.rejected(ErrorCodes.UNAUTHORIZED, "no") : AuthResult.accepted())
                .addInterceptor((message, chain) -> {
                    throw new IllegalStateException("interceptor bug (expected by the test)");
                })
                .build());
        try (WsClient x = WsClient.connect(server.webSocketUri("xavier"))) {
            expectError(x, "{\"type\":\"register\",\"id\":\"xavier\"}", ErrorCodes.UNAUTHORIZED);
        }
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
            expectError(alice, recordedSession().get(2), ErrorCodes.INTERNAL_ERROR);
        }
    }

    private static void expectError(WsClient client, String frame, String code) throws Exception {
        client.send(frame);
        JsonObject error = client.nextJson();
        assertThat(error.get("type").getAsString()).isEqualTo("error");
        assertThat(error.get("code").getAsString()).as("answer to %.60s", frame).isEqualTo(code);
        assertThat(error.get("message").getAsString()).isNotBlank();
    }
}
