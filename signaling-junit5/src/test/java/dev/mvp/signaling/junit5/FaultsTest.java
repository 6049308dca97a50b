package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.client.SignalingListener;
import dev.mvp.signaling.client.SignalingMessage;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault, seen from the clients. */
class FaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final SignalingServerExtension server = SignalingServerExtension.newInstance().build();

    private final CountDownLatch aliceDropped = new CountDownLatch(1);
    private final int[] aliceCloseCode = new int[1];
    private SignalingClient alice;
    private SignalingClient bob;

    @BeforeEach
    void connect() {
        alice = SignalingClient.builder(server.url("alice"), "alice")
                .listener(new SignalingListener() {
                    @Override
                    public void onDisconnected(int code, String reason, boolean reconnecting) {
                        aliceCloseCode[0] = code;
                        aliceDropped.countDown();
                    }
                })
                .build().connect();
        bob = SignalingClient.connect(server.url("bob"), "bob");
    }

    @AfterEach
    void close() {
        alice.close();
        bob.close();
    }

    @Test
    void disconnectDropsThePeerLikeALostNetwork() throws Exception {
        alice.sendOffer("bob", Chromium.sdp("offer"));
        bob.awaitOffer(WAIT);

        server.faults().disconnect("alice");

        assertThat(aliceDropped.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(aliceCloseCode[0]).isEqualTo(1006);
        SignalingMessage bye = bob.awaitBye(WAIT);
        assertThat(bye.from()).isEqualTo("alice");
        assertThat(bye.reason()).isEqualTo("disconnected");
        assertThat(server.recording().awaitLeft("alice", WAIT).code()).isEqualTo(1006);
    }

    @Test
    void disconnectOfAnUnknownPeerSaysWhoIsThere() {
        assertThatThrownBy(() -> server.faults().disconnect("carol"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carol")
                .hasMessageContaining("[alice, bob]");
    }

    @Test
    void dropNextMessageLosesOnlyThatMessage() {
        server.faults().dropNextMessageTo("alice", "answer");
        alice.sendOffer("bob", Chromium.sdp("offer"));
        bob.awaitOffer(WAIT);

        bob.sendAnswer("alice", "first answer");
        server.recording().awaitDropped("alice", WAIT);
        bob.sendAnswer("alice", Chromium.sdp("answer"));

        assertThat(alice.awaitAnswer(WAIT).sdp()).isEqualTo(Chromium.sdp("answer"));
        assertThat(alice.drainMessages()).isEmpty();
        assertThat(server.faults().armedCount()).isZero();
        assertThat(server.recording().messages()).extracting(RecordedMessage::outcome).containsExactly(
                RecordedMessage.Outcome.ROUTED, RecordedMessage.Outcome.DROPPED, RecordedMessage.Outcome.ROUTED);
    }

    @Test
    void heldMessageIsOvertakenAndArrivesOnRelease() {
        HeldMessage held = server.faults().holdNextMessageTo("bob", "offer");
        alice.sendRaw(Chromium.frame("offer", 0));
        assertThat(held.awaitHeld(WAIT).type()).isEqualTo("offer");
        alice.sendRaw(Chromium.frame("candidate", 0));

        assertThat(bob.awaitMessage(WAIT).type()).isEqualTo("candidate");
        held.release();
        assertThat(bob.awaitMessage(WAIT).sdp()).isEqualTo(Chromium.sdp("offer"));
        assertThatThrownBy(held::release).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void delayedMessageArrivesAfterTheDelay() {
        server.faults().delayNextMessageTo("bob", Duration.ofSeconds(1)); // far longer than a loopback round trip
        alice.sendOffer("bob", Chromium.sdp("offer"));
        alice.sendBye("bob");

        assertThat(bob.awaitMessage(WAIT).type()).isEqualTo("bye");
        assertThat(bob.awaitMessage(WAIT).type()).isEqualTo("offer");
    }

    @Test
    void faultsArmedInOneTestDoNotLeakIntoTheNext() {
        // each test of the per-class server has faults and a recording of its own
        assertThat(server.faults().armedCount()).isZero();
        assertThat(server.recording().messages()).isEmpty();
        assertThat(server.recording().peerEvents()).extracting(PeerEvent::toString)
                .containsExactlyInAnyOrder("alice registered", "bob registered");
        server.faults().dropNextMessageTo("nobody");
    }
}
