package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The routing seam from a clustered directory's side: a {@link Peer} that is not a connection of any hub
 * here (a stand-in for a client on another node) is routed to, bounced for, held for and said goodbye to
 * like a local one.
 */
class RemotePeerSeamTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(50);

    /** A peer on "another node": it records what it was given and answers as told. */
    static final class StandIn implements Peer {
        final String id;
        final List<Envelope> taken = new CopyOnWriteArrayList<>();
        volatile boolean accepts = true;
        volatile boolean connected = true;

        StandIn(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean deliver(Envelope message) {
            if (!accepts) {
                return false;
            }
            taken.add(message);
            return true;
        }

        @Override
        public boolean isConnected() {
            return connected;
        }
    }

    private final PeerDirectory directory = PeerDirectory.inMemory();
    private final SignalingHub hub = new SignalingHub(HubConfig.builder().directory(directory).build());

    @Test
    void aRemotePeerGetsTheStampedFrameAndABounceReachesTheSenderWithItsMid() {
        StandIn bob = new StandIn("bob");
        directory.putIfAbsent("bob", bob);
        try (hub; InMemoryClient alice = registered("alice")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":7}");
            assertThat(bob.taken).hasSize(1);
            Envelope e = bob.taken.get(0);
            assertThat(json(e.frame()).get("from").getAsString()).isEqualTo("alice");
            assertThat(alice.poll(NOTHING)).isNull();

            assertThat(hub.bounce(e, "node-unreachable", "the node of 'bob' did not answer")).isTrue();
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo("node-unreachable");
            assertThat(error.get("mid").getAsInt()).isEqualTo(7);
        }
    }

    @Test
    void aBounceForASenderThatLeftTellsNobody() {
        StandIn bob = new StandIn("bob");
        directory.putIfAbsent("bob", bob);
        try (hub) {
            InMemoryClient alice = registered("alice");
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            alice.close();
            assertThat(hub.bounce(bob.taken.get(0), "node-unreachable", "gone")).isFalse();
        }
    }

    @Test
    void aRemotePeerThatRefusesIsReportedAsNotFound() {
        StandIn bob = new StandIn("bob");
        bob.accepts = false;
        directory.putIfAbsent("bob", bob);
        try (SignalingHub noHold = new SignalingHub(HubConfig.builder().directory(directory)
                .offlineQueue(OfflineQueuePolicy.DISABLED).build());
             InMemoryClient alice = InMemoryClient.connect(noHold, "alice")) {
            alice.register();
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.PEER_NOT_FOUND);
        }
        hub.close();
    }

    @Test
    void aLostRemotePeerIsSaidGoodbyeToOnlyByItsContacts() {
        StandIn bob = new StandIn("bob");
        directory.putIfAbsent("bob", bob);
        try (hub; InMemoryClient alice = registered("alice"); InMemoryClient carol = registered("carol")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            directory.remove("bob", bob);
            assertThat(hub.peerLost("bob")).isEqualTo(1);
            JsonObject bye = json(alice.take(WAIT));
            assertThat(bye.get("type").getAsString()).isEqualTo("bye");
            assertThat(bye.get("from").getAsString()).isEqualTo("bob");
            assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
            assertThat(carol.poll(NOTHING)).isNull();
            assertThat(hub.peerLost("bob")).as("the bye ended the contact").isZero();
        }
    }

    @Test
    void messagesHeldHereFollowAPeerThatRegisteredElsewhere() {
        try (hub; InMemoryClient alice = registered("alice")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null}");
            assertThat(hub.stats().heldMessages()).isEqualTo(2);

            StandIn bob = new StandIn("bob");
            directory.putIfAbsent("bob", bob);
            hub.peerArrived("bob");
            assertThat(bob.taken).extracting(Envelope::type).containsExactly("offer", "candidate");
            assertThat(hub.stats().heldMessages()).isZero();
            assertThat(alice.poll(NOTHING)).isNull();
        }
    }

    @Test
    void aSuspendedRemotePeerMakesTheHubHoldNotDeliver() {
        StandIn bob = new StandIn("bob");
        bob.connected = false;
        bob.accepts = false;
        directory.putIfAbsent("bob", bob);
        try (hub; InMemoryClient alice = registered("alice")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            assertThat(hub.stats().heldMessages()).isEqualTo(1);
            assertThat(alice.poll(NOTHING)).isNull();
        }
    }

    private InMemoryClient registered(String id) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.register();
        return c;
    }
}
