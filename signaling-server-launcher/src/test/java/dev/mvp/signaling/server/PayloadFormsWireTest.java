package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.ErrorCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The payload forms real WebRTC code sends, and strict JSON, over real sockets on the engine the run
 * tests ({@code test.transport}): relayed byte for byte as sent, or refused with the code that says why.
 * Uses the frames two Chromium pages really sent, in both of their forms.
 */
class PayloadFormsWireTest {
    private static final String PLAIN = "/chromium-datachannel-session.jsonl";
    private static final String OBJECT_SDP = "/chromium-datachannel-session.object-sdp.jsonl";

    private SignalingServer server;

    @BeforeEach
    void start() {
        server = Servers.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<String> recorded(String resource) throws IOException {
        try (InputStream in = PayloadFormsWireTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /**
     * A client written for the original, on a raw socket, sending exactly the browser's frames
     * ({@code sdp} as the session description object) and reading exactly the server's bytes.
     */
    @Test
    void clientOfTheOriginalSendingSessionDescriptionObjectsCompletesAWholeExchange() throws Exception {
        List<String> frames = recorded(OBJECT_SDP);
        try (RawWs bob = RawWs.open(server.port(), "/ws/bob", 0);
             RawWs alice = RawWs.open(server.port(), "/ws/alice", 0)) {
            Map<String, RawWs> peers = Map.of("alice", alice, "bob", bob);
            for (String frame : frames) {
                JsonObject o = JsonParser.parseString(frame).getAsJsonObject();
                String type = o.get("type").getAsString();
                if (type.equals("register")) {
                    RawWs c = peers.get(o.get("id").getAsString());
                    c.sendText(frame);
                    assertThat(text(c.read())).isEqualTo("{\"type\":\"registered\",\"id\":\"" + o.get("id").getAsString() + "\"}");
                } else {
                    peers.get(o.get("from").getAsString()).sendText(frame);
                    assertThat(text(peers.get(o.get("to").getAsString()).read())).as(type).isEqualTo(frame);
                }
            }
            Await.until("5 messages routed", () -> server.hub().stats().messagesRouted() == 5);
            assertThat(server.hub().stats().errors(ErrorCodes.INVALID_FIELD)).isZero();
        }
    }

    @Test
    void bothRecordedFormsOfTheSessionAreRelayedByteForByte() throws Exception {
        for (String resource : List.of(PLAIN, OBJECT_SDP)) {
            try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
                Map<String, WsClient> peers = Map.of("alice", alice, "bob", bob);
                for (String frame : recorded(resource)) {
                    JsonObject o = JsonParser.parseString(frame).getAsJsonObject();
                    if (!o.get("type").getAsString().equals("register")) {
                        peers.get(o.get("from").getAsString()).send(frame);
                        assertThat(peers.get(o.get("to").getAsString()).next()).as(resource).isEqualTo(frame);
                    }
                }
                assertThat(alice.poll(50)).isNull();
                assertThat(bob.poll(50)).isNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}",
        "{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":{\"sdp\":\"v=0\\r\\n\"}}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"candidate:1 1 UDP 2122260223 127.0.0.1 9 typ host\"}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"\"}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":null,\"sdpMLineIndex\":0}}",
        "{\"type\":\"bye\",\"to\":\"bob\",\"x\":\"\\ud800 stays an escape\"}",
        "{\"type\":\"bye\",\"to\":\"bob\",\"x\":\"\u00e9\uD83D\uDE00\u2028\"}",
    })
    void payloadFormIsRelayedAsSent(String frame) throws Exception {
        try (RawWs alice = registered("alice"); RawWs bob = registered("bob")) {
            alice.sendText(frame);

            byte[] expected = ("{\"from\":\"alice\"," + frame.substring(1)).getBytes(StandardCharsets.UTF_8);
            assertThat(bob.read().payload()).isEqualTo(expected);
        }
    }

    @Test
    void numberOfAThousandDigitsIsRelayed() throws Exception {
        try (RawWs alice = registered("alice"); RawWs bob = registered("bob")) {
            String frame = "{\"type\":\"bye\",\"to\":\"bob\",\"n\":" + "7".repeat(1024) + "}";
            alice.sendText(frame);
            assertThat(text(bob.read())).isEqualTo("{\"from\":\"alice\"," + frame.substring(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uFEFF{\"type\":\"bye\",\"to\":\"bob\"}",
        "{\"type\":\"bye\",\"to\":\"bob\",\"x\":\"raw \u0001 control\"}",
        "{\"type\":\"bye\",\"to\":\"bob\",\"x\":NaN}",
        "{\"type\":\"bye\",\"to\":\"bob\"} // comment",
    })
    void whatAStrictParserRefusesIsRefusedAndNotRelayed(String frame) throws Exception {
        try (RawWs alice = registered("alice"); RawWs bob = registered("bob")) {
            alice.sendText(frame);
            assertThat(code(alice.read())).isEqualTo(ErrorCodes.INVALID_JSON);

            alice.sendText("{\"type\":\"bye\",\"to\":\"bob\"}");
            assertThat(text(bob.read())).as("the refused frame was not relayed").contains("\"type\":\"bye\"")
                    .doesNotContain("x");
        }
    }

    @Test
    void nestingOverTheLimitIsRefusedAsTooDeep() throws Exception {
        try (RawWs alice = registered("alice")) {
            alice.sendText("{\"type\":\"bye\",\"to\":\"bob\",\"x\":" + "[".repeat(64) + "]".repeat(64) + "}");
            assertThat(code(alice.read())).isEqualTo(ErrorCodes.TOO_DEEP);
        }
    }

    @Test
    void sessionDescriptionOfTheOtherTypeIsRefusedSayingWhy() throws Exception {
        try (RawWs alice = registered("alice"); RawWs bob = registered("bob")) {
            alice.sendText("{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            JsonObject error = JsonParser.parseString(text(alice.read())).getAsJsonObject();
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_FIELD);
            assertThat(error.get("message").getAsString()).contains("sdp.type must be 'answer'");
        }
    }

    private RawWs registered(String id) throws Exception {
        RawWs ws = RawWs.open(server.port(), "/ws/" + id, 0);
        ws.sendText("{\"type\":\"register\",\"id\":\"" + id + "\"}");
        assertThat(code(ws.read())).isNull();
        return ws;
    }

    /** The text of the next data frame, skipping pings. */
    private static String text(RawWs.Frame f) {
        assertThat(f.opcode()).as("a text frame").isEqualTo(0x1);
        return f.text();
    }

    /** The error code of an error frame, or null for another frame. */
    private static String code(RawWs.Frame f) {
        JsonObject o = JsonParser.parseString(text(f)).getAsJsonObject();
        return o.has("code") ? o.get("code").getAsString() : null;
    }
}
