package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.client.SignalingException;
import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the recording holds, through a per-test server with static tokens. */
class RecordingTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final SignalingServerExtension server = SignalingServerExtension.newInstance()
            .hubConfig(HubConfig.builder()
                    .authenticator(Authenticator.staticTokens(Map.of("alice", "alice-secret", "bob", "bob-secret")))
                    .offlineQueue(new OfflineQueuePolicy(Duration.ofMillis(100), 64, 64, 10_000))
                    .build())
            .build();

    private SignalingClient alice;
    private SignalingClient bob;

    @AfterEach
    void closeClients() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
    }

    private void connectBoth() {
        bob = SignalingClient.builder(server.url("bob"), "bob").token("bob-secret").build().connect();
        alice = SignalingClient.builder(server.url("alice"), "alice").token("alice-secret").build().connect();
    }

    @Test
    void routedMessagesAreRecordedAsTheRecipientGotThem() {
        connectBoth();
        String offer = Chromium.frame("offer", 0);
        alice.sendRaw(offer);

        RecordedMessage recorded = server.recording().awaitRouted("alice", "offer", "bob", WAIT);
        assertThat(recorded.frame()).isEqualTo(offer);
        assertThat(recorded.frame()).isEqualTo(bob.awaitOffer(WAIT).json());
    }

    @Test
    void takeMessageReturnsMessagesInTheOrderTheHubHandledThem() {
        connectBoth();
        alice.sendRaw(Chromium.frame("offer", 0));
        alice.sendRaw(Chromium.frame("candidate", 0));
        bob.awaitCandidate(WAIT);
        bob.sendRaw(Chromium.frame("answer", 0));

        assertThat(server.recording().takeMessage(WAIT)).hasToString("offer alice -> bob");
        assertThat(server.recording().takeMessage(WAIT)).hasToString("candidate alice -> bob");
        assertThat(server.recording().takeMessage(WAIT)).hasToString("answer bob -> alice");
        assertThatThrownBy(() -> server.recording().takeMessage(Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("after the 3 taken already");
    }

    @Test
    void rejectedMessagesAreRecordedWithTheirCode() {
        connectBoth();
        alice.sendOffer("carol", Chromium.sdp("offer")); // held for carol, who never comes

        RecordedMessage rejected = server.recording().awaitRejected("alice", ErrorCodes.DELIVERY_EXPIRED, WAIT);
        assertThat(rejected.type()).isEqualTo("offer");
        assertThat(rejected.to()).isEqualTo("carol");
        assertThat(rejected.frame()).isNull();
    }

    @Test
    void tokensNeverAppearInTheRecording() {
        connectBoth();
        assertThatThrownBy(() -> SignalingClient.builder(server.url("carol"), "carol").token("carol-guess").build()
                .connect()).isInstanceOf(SignalingException.class);
        alice.sendRaw("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"x\",\"token\":\"alice-secret\"}");
        assertThat(bob.awaitOffer(WAIT).string("token")).isEqualTo("alice-secret"); // relayed as sent

        server.recording().awaitRejected("carol", ErrorCodes.TOKEN_INVALID, WAIT);
        RecordedMessage offer = server.recording().awaitRouted("alice", "offer", "bob", WAIT);
        assertThat(offer.frame()).contains("\"token\":\"<redacted>\"");
        assertThat(server.recording().toString())
                .doesNotContain("alice-secret", "bob-secret", "carol-guess");
    }

    @Test
    void registrationsAndDeparturesAreRecorded() {
        connectBoth();
        server.recording().awaitRegistrations("alice", 1, WAIT);
        alice.close();

        PeerEvent left = server.recording().awaitLeft("alice", WAIT);
        assertThat(left.code()).isEqualTo(1000);
        assertThat(server.recording().registrations("bob")).isEqualTo(1);
    }

    @Test
    void awaitRoutedFailsListingWhatWasRecorded() {
        connectBoth();
        alice.sendOffer("bob", Chromium.sdp("offer"));
        server.recording().awaitRouted("alice", "offer", "bob", WAIT);

        assertThatThrownBy(() -> server.recording().awaitRouted("bob", "answer", "alice", Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no 'answer' routed from bob to alice was recorded within 20 ms")
                .hasMessageContaining("offer alice -> bob");
    }
}
