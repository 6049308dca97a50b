package dev.mvp.signaling.examples.toy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.examples.ChromiumFrames;
import dev.mvp.signaling.junit5.RecordedMessage;
import dev.mvp.signaling.junit5.SignalingServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Testing an agent the way an agent project would: a real server, its recording, and faults. */
class ToyAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static SignalingServerExtension server = SignalingServerExtension.newInstance().build();

    private ToyAgent alice;
    private ToyAgent bob;

    @BeforeEach
    void startAgents() {
        alice = ToyAgent.start(server.url("alice"), "alice", offer -> ChromiumFrames.answerSdp());
        bob = ToyAgent.start(server.url("bob"), "bob", offer -> ChromiumFrames.answerSdp());
    }

    @AfterEach
    void stopAgents() {
        alice.close();
        bob.close();
    }

    @Test
    void bobAnswersAlicesOffer() {
        String answer = bob.call("alice", ChromiumFrames.offerSdp(), WAIT, 1);

        assertThat(answer).isEqualTo(ChromiumFrames.answerSdp());
        server.recording().awaitRouted("bob", "offer", "alice", WAIT);
        server.recording().awaitRouted("alice", "answer", "bob", WAIT); // bob received an answer from alice
    }

    @Test
    void aLostOfferIsSentAgain() {
        server.faults().dropNextMessageTo("alice", "offer");

        String answer = bob.call("alice", ChromiumFrames.offerSdp(), Duration.ofSeconds(1), 3);

        assertThat(answer).isEqualTo(ChromiumFrames.answerSdp());
        assertThat(server.recording().messages()).extracting(RecordedMessage::toString).startsWith(
                "offer bob -> alice DROPPED by a test fault",
                "offer bob -> alice",
                "answer alice -> bob");
    }

    @Test
    void anAgentWhoseConnectionDropsComesBack() {
        server.faults().disconnect("alice");

        server.recording().awaitRegistrations("alice", 2, WAIT); // registered again after the drop
        assertThat(server.recording().awaitLeft("alice", WAIT).code()).isEqualTo(1006);
        alice.client().awaitRegistrations(2, WAIT);
        assertThat(bob.call("alice", ChromiumFrames.offerSdp(), WAIT, 1)).isEqualTo(ChromiumFrames.answerSdp());
    }
}
