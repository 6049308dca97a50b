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

/** The payload forms real WebRTC code sends are relayed exactly as sent; only routing is strict. */
class PayloadFormsTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);

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

    @Test
    void recordedSessionWithSessionDescriptionObjectsIsRelayedByteForByte() {
        int relayed = 0;
        for (String frame : TestFrames.chromiumSessionObjectSdp()) {
            JsonObject msg = json(frame);
            if (msg.get("type").getAsString().equals("register")) {
                continue;
            }
            InMemoryClient sender = msg.get("from").getAsString().equals("alice") ? alice : bob;
            InMemoryClient recipient = sender == alice ? bob : alice;
            sender.send(frame);
            assertThat(recipient.take(WAIT)).isEqualTo(frame);
            relayed++;
        }
        assertThat(relayed).isEqualTo(5);
        assertThat(alice.poll(NOTHING)).isNull();
        assertThat(bob.poll(NOTHING)).isNull();
        assertThat(hub.stats().errors(ErrorCodes.INVALID_FIELD)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}",
        "{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":{\"sdp\":\"v=0\\r\\n\"}}",
        "{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":{\"sdp\":\"v=0\\r\\n\",\"type\":\"answer\",\"extra\":[1,{}]}}",
        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\\r\\n\"}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"candidate:1 1 UDP 2122260223 127.0.0.1 9 typ host\"}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"\"}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{}}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"sdpMid\":null,\"sdpMLineIndex\":0}}",
        "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"\",\"sdpMLineIndex\":-1,\"sdpMid\":0}}",
        "{\"type\":\"bye\",\"to\":\"bob\",\"reason\":{\"code\":3,\"why\":[\"app\"]}}",
    })
    void payloadFormIsRelayedAsSent(String frame) {
        alice.send(frame);

        assertThat(bob.take(WAIT)).isEqualTo("{\"from\":\"alice\"," + frame.substring(1));
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @Test
    void sessionDescriptionLabelledWithTheOtherTypeIsRefusedSayingWhy() {
        alice.send("{\"type\":\"answer\",\"to\":\"bob\",\"mid\":4,\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");

        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_FIELD);
        assertThat(error.get("message").getAsString()).isEqualTo("sdp.type must be 'answer' like the message, was 'offer'");
        assertThat(error.get("mid").getAsInt()).isEqualTo(4);
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void sessionDescriptionWithoutSdpTextIsRefusedAsMissing() {
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":{\"type\":\"offer\"}}");

        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.MISSING_FIELD);
        assertThat(error.get("message").getAsString()).contains("'sdp' member");
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void candidateOfAnotherKindIsRefusedNamingTheAcceptedForms() {
        alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":42}");

        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_FIELD);
        assertThat(error.get("message").getAsString())
                .isEqualTo("'candidate' must be an object, a string or null, was a number");
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void routingStaysStrictWhateverThePayload() {
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"from\":\"eve\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.FROM_MISMATCH);
        alice.send("{\"type\":\"candidate\",\"to\":\"b o b\",\"candidate\":\"candidate:1\"}");
        assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_FIELD);
        assertThat(bob.poll(NOTHING)).isNull();
    }
}
