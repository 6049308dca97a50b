package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict JSON both ways: what a strict parser (RFC 8259, {@code JSON.parse}) refuses is refused with
 * {@code invalid-json} and never relayed; what it accepts is relayed as sent, up to the one named limit,
 * {@link InboundMessage#MAX_DEPTH}.
 */
class StrictJsonTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);
    private static final String BYE = "{\"type\":\"bye\",\"to\":\"bob\"";

    private SignalingHub hub;
    private InMemoryClient alice;
    private InMemoryClient bob;

    @BeforeEach
    void setUp() {
        hub = new SignalingHub(HubConfig.builder().offlineQueue(OfflineQueuePolicy.DISABLED).build());
        alice = InMemoryClient.connect(hub, "alice");
        bob = InMemoryClient.connect(hub, "bob");
        bob.register();
        alice.register();
    }

    @AfterEach
    void tearDown() {
        alice.close();
        bob.close();
        hub.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uFEFF{\"type\":\"bye\",\"to\":\"bob\"}",
        BYE + ",\"x\":\"a\u0001b\"}",
        BYE + ",\"x\":\"tab\there\"}",
        BYE + ",\"x\":\"line\nbreak\"}",
        BYE + ",\"x\":{\"k\":[\"\u001f\"]}}",
        BYE + ",\"x\u0000\":1}",
        BYE + ",\"x\":\"\uD800\"}",
        BYE + ",\"x\":\"\uDC00\uD800\"}",
        BYE + ",\"x\":NaN}",
        BYE + ",\"x\":-Infinity}",
        BYE + ",\"x\":01}",
        BYE + ",\"x\":1.}",
        BYE + ",\"x\":.5}",
        BYE + ",\"x\":+1}",
        BYE + ",\"x\":1e}",
        BYE + ",\"x\":0x10}",
        BYE + ",\"x\":'single'}",
        BYE + ",x:1}",
        BYE + ",\"x\":1 /* comment */}",
        BYE + "} // comment",
        BYE + "}{}",
        BYE + "} x",
        BYE + ",\"x\":[1,]}",
        BYE + ",\"x\":[1 2]}",
        BYE + ",\"x\":\"\\u12\"}",
        BYE + ",\"x\":\"\\U0041\"}",
        BYE + ",\"x\":\"\\'\"}",
        BYE + ",\"x\":True}",
        BYE + ",\"x\":nul}",
        BYE + ",\"x\":\"open}",
        BYE + ",\"x\":1\u00a0}",
        "\u00a0" + BYE + "}",
        "[" + BYE + "}]",
        "null",
        "",
        "   ",
    })
    void whatAStrictParserRefusesIsRefusedAndNotRelayed(String frame) {
        assertThat(StrictJson.isObject(frame)).as("the test's own checker refuses it too").isFalse();

        alice.send(frame);

        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_JSON);
        assertThat(error.get("message").getAsString()).containsAnyOf("not valid JSON", "must be a JSON object")
                .doesNotContain("Gson");
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        BYE + ",\"x\":\"\\ud800\"}",
        BYE + ",\"x\":\"\\udc00\\ud800 and \\ud83d\\ude00\"}",
        BYE + ",\"x\":\"\uD83D\uDE00 \u2028 \u00e9 \\u0000 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}",
        BYE + ",\"x\":-0.0e+0,\"y\":1E-7,\"z\":[true,false,null,{},[]]}",
        " \t\r\n" + BYE + " , \"x\" : [ 1 , 2 ] } \r\n",
        BYE + ",\"\":\"empty name\"}",
    })
    void whatAStrictParserAcceptsIsRelayedAsSent(String frame) {
        assertThat(StrictJson.isObject(frame)).as("the test's own checker accepts it too").isTrue();

        alice.send(frame);

        String relayed = bob.take(WAIT);
        int brace = frame.indexOf('{');
        assertThat(relayed).isEqualTo(frame.substring(0, brace + 1) + "\"from\":\"alice\"," + frame.substring(brace + 1));
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @Test
    void numberOfAThousandDigitsIsAccepted() {
        String frame = BYE + ",\"n\":-" + "9".repeat(1024) + "." + "1".repeat(1500) + "e+" + "7".repeat(600) + "}";

        alice.send(frame);

        assertThat(bob.take(WAIT)).isEqualTo("{\"from\":\"alice\"," + frame.substring(1));
    }

    @Test
    void nestingUpToTheLimitIsAcceptedAndOneMoreIsTooDeep() {
        int inner = InboundMessage.MAX_DEPTH - 1; // the message itself is the first level
        String deepest = BYE + ",\"x\":" + "[".repeat(inner - 1) + "{\"k\":1}" + "]".repeat(inner - 1) + "}";
        assertThat(StrictJson.depth(deepest)).isEqualTo(InboundMessage.MAX_DEPTH);
        alice.send(deepest);
        assertThat(bob.take(WAIT)).isEqualTo("{\"from\":\"alice\"," + deepest.substring(1));

        String tooDeep = BYE + ",\"x\":" + "[".repeat(inner) + "{\"k\":1}" + "]".repeat(inner) + "}";
        alice.send(tooDeep);
        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.TOO_DEEP);
        assertThat(error.get("message").getAsString()).contains("64");
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void midIsEchoedExactlyAsSentEvenWithALoneSurrogateEscape() {
        alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\",\"mid\":{ \"n\" : 1.50, \"s\":\"\\ud800\" }}");

        String error = alice.take(WAIT);
        assertThat(error).endsWith(",\"mid\":{ \"n\" : 1.50, \"s\":\"\\ud800\" }}");
        assertThat(json(error).get("code").getAsString()).isEqualTo(ErrorCodes.PEER_NOT_FOUND);
    }

    @Test
    void loneSurrogateEscapeInAnEchoedTypeBecomesAReplacementCharacter() {
        alice.send("{\"type\":\"x\\ud800\",\"to\":\"bob\"}");

        String error = alice.take(WAIT);
        assertThat(StrictJson.isObject(error)).isTrue();
        assertThat(json(error).get("code").getAsString()).isEqualTo(ErrorCodes.UNKNOWN_TYPE);
        assertThat(json(error).get("ref").getAsString()).isEqualTo("x\uFFFD");
    }

    @Test
    void invalidJsonAfterAFieldProblemIsStillInvalidJson() {
        alice.send("{\"type\":7,\"to\":\"bob\",}");

        assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_JSON);
    }
}
