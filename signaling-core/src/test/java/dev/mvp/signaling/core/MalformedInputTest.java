package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every bad frame is answered with an error naming the reason, and the connection stays usable. */
class MalformedInputTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private SignalingHub hub;
    private InMemoryClient alice;
    private InMemoryClient bob;

    @BeforeEach
    void setUp() {
        hub = new SignalingHub();
        alice = InMemoryClient.connect(hub, "alice");
        bob = InMemoryClient.connect(hub, "bob");
        alice.register();
        bob.register();
    }

    @AfterEach
    void tearDown() {
        alice.close();
        bob.close();
        hub.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not json                                                        | invalid-json",
        "``                                                              | invalid-json",
        "[1,2]                                                           | invalid-json",
        "\"offer\"                                                       | invalid-json",
        "{\"type\":\"offer\"                                             | invalid-json",
        "{type:'offer',to:'bob',sdp:'x'}                                 | invalid-json",
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"x\"} {}            | invalid-json",
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"x\",}              | invalid-json",
        "{}                                                              | missing-field",
        "{\"to\":\"bob\"}                                                | missing-field",
        "{\"type\":7,\"to\":\"bob\"}                                     | invalid-field",
        "{\"type\":\"offer\",\"sdp\":\"v=0\"}                            | missing-field",
        "{\"type\":\"offer\",\"to\":\"bob\"}                             | missing-field",
        "{\"type\":\"offer\",\"to\":[\"bob\"],\"sdp\":\"v=0\"}           | invalid-field",
        "{\"type\":\"offer\",\"to\":\"bob\",\"from\":null,\"sdp\":\"x\"} | invalid-field",
        "{\"type\":\"offer\",\"to\":\"b o b\",\"sdp\":\"x\"}             | invalid-field",
        "{\"type\":\"offer\",\"to\":\"bob\",\"to\":\"eve\",\"sdp\":\"x\"} | invalid-field",
        "{\"type\":\"candidate\",\"to\":\"bob\"}                         | missing-field",
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":7}                 | invalid-field",
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":null}              | invalid-field",
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":{}}                | missing-field",
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":{\"sdp\":[]}}    | invalid-field",
        "{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}} | invalid-field",
        "{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":{\"type\":null,\"sdp\":\"v=0\"}}    | invalid-field",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":5}       | invalid-field",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":[\"a\"]} | invalid-field",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":true}    | invalid-field",
        "{\"type\":\"register\"}                                         | missing-field",
        "{\"type\":\"register\",\"id\":\"alice\",\"token\":5}            | invalid-field",
        "{\"type\":\"error\",\"to\":\"bob\"}                             | unknown-type",
        "{\"type\":\"registered\",\"to\":\"bob\"}                        | unknown-type",
    })
    void badFrameIsAnsweredWithItsCodeAndNothingIsDelivered(String frame, String code) {
        alice.send(frame);

        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("type").getAsString()).isEqualTo("error");
        assertThat(error.get("code").getAsString()).isEqualTo(code);
        assertThat(error.get("message").getAsString()).isNotBlank().doesNotContain("\nSee ")
                .doesNotContain("JsonReader").doesNotContain("Strictness");
        assertThat(bob.poll(Duration.ofMillis(20))).isNull();
        assertConnectionStillWorks();
    }

    @Test
    void errorEchoesTheMidOfTheRejectedMessage() {
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"mid\":{\"n\":1,\"s\":\"x\"}}");
        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.MISSING_FIELD);
        assertThat(error.get("mid")).isEqualTo(json("{\"n\":1,\"s\":\"x\"}"));
        assertThat(error.get("ref").getAsString()).isEqualTo("offer");
        assertThat(error.get("peer").getAsString()).isEqualTo("bob");
    }

    @Test
    void oversizeMessageIsRejectedWithoutParsingAndTheConnectionStays() {
        String big = "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"" + "a".repeat(70_000) + "\"}";
        alice.send(big);
        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.MESSAGE_TOO_LARGE);
        assertThat(error.get("message").getAsString()).contains("65536");
        assertConnectionStillWorks();
    }

    @Test
    void binaryFrameIsRejected() {
        alice.sendBinary(16);
        assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.BINARY_NOT_SUPPORTED);
        assertConnectionStillWorks();
    }

    @Test
    void deeplyNestedJsonIsRefusedAsTooDeepNotCrashed() {
        String deep = "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"x\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        alice.send(deep);
        assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.TOO_DEEP);
        assertConnectionStillWorks();
    }

    @Test
    void invalidJsonSaysWhereInPlainWords() {
        alice.send("{type:'offer'}");
        assertThat(json(alice.take(WAIT)).get("message").getAsString())
                .isEqualTo("the message is not valid JSON: expected a member name in double quotes at character 2");
    }

    @Test
    void invalidEscapeIsInvalidJson() {
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"\\x\"}");
        assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_JSON);
    }

    private void assertConnectionStillWorks() {
        alice.send("{\"type\":\"bye\",\"to\":\"bob\"}");
        assertThat(json(bob.take(WAIT)).get("type").getAsString()).isEqualTo("bye");
    }
}
