package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static dev.mvp.signaling.core.TestFrames.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);

    private SignalingHub hub;
    private InMemoryClient alice;
    private InMemoryClient bob;

    @BeforeEach
    void setUp() {
        // Messages to absent peers are answered at once here; OfflineQueueTest covers holding them.
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
    void recordedChromiumSessionIsRelayedByteForByte() {
        for (String frame : TestFrames.chromiumSession()) {
            JsonObject msg = json(frame);
            if (msg.get("type").getAsString().equals("register")) {
                continue;
            }
            InMemoryClient sender = msg.get("from").getAsString().equals("alice") ? alice : bob;
            InMemoryClient recipient = sender == alice ? bob : alice;
            sender.send(frame);
            assertThat(recipient.take(WAIT)).isEqualTo(frame);
        }
        assertThat(alice.poll(NOTHING)).isNull();
        assertThat(bob.poll(NOTHING)).isNull();
        assertThat(hub.stats().messagesRouted()).isEqualTo(5);
    }

    @Test
    void missingFromIsStampedAndEveryOtherFieldKept() {
        String candidate = recorded("candidate", 0);
        JsonObject withoutFrom = json(candidate);
        withoutFrom.remove("from");
        withoutFrom.addProperty("appField", "kept");

        alice.send(withoutFrom.toString());

        JsonObject relayed = json(bob.take(WAIT));
        assertThat(relayed.get("from").getAsString()).isEqualTo("alice");
        relayed.remove("from");
        assertThat(relayed).isEqualTo(withoutFrom);
        assertThat(relayed.getAsJsonObject("candidate").get("usernameFragment").getAsString()).isEqualTo("LJ/+");
    }

    @Test
    void stampedFromComesFirstAndTheRestIsTheSendersText() {
        alice.send("{ \"type\" : \"bye\", \"to\":\"bob\",\"x\":1.50 }");
        assertThat(bob.take(WAIT)).isEqualTo("{\"from\":\"alice\", \"type\" : \"bye\", \"to\":\"bob\",\"x\":1.50 }");
    }

    @Test
    void endOfCandidatesFormsAreRelayed() {
        String[] ends = {
            "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
            "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null}",
            "{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":null,\"sdpMLineIndex\":0}}",
        };
        for (String end : ends) {
            alice.send(end);
            assertThat(json(bob.take(WAIT))).isEqualTo(withFrom(end, "alice"));
        }
    }

    @Test
    void largeAudioVideoSdpIsRelayedIntact() {
        StringBuilder sdp = new StringBuilder(recorded("offer", 0).length() * 4);
        String base = json(recorded("offer", 0)).get("sdp").getAsString();
        while (sdp.length() < 12_000) {
            sdp.append(base);
        }
        JsonObject offer = new JsonObject();
        offer.addProperty("type", "offer");
        offer.addProperty("to", "bob");
        offer.addProperty("sdp", sdp.toString());

        alice.send(offer.toString());

        assertThat(json(bob.take(WAIT)).get("sdp").getAsString()).isEqualTo(sdp.toString());
    }

    @Test
    void offerToUnknownPeerReturnsPeerNotFound() {
        alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\\r\\n\",\"mid\":7}");

        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("type").getAsString()).isEqualTo("error");
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.PEER_NOT_FOUND);
        assertThat(error.get("peer").getAsString()).isEqualTo("carol");
        assertThat(error.get("ref").getAsString()).isEqualTo("offer");
        assertThat(error.get("mid").getAsInt()).isEqualTo(7);
        assertThat(error.get("message").getAsString()).contains("carol");
    }

    @Test
    void messageToAPeerThatLeftReturnsPeerNotFound() {
        bob.close();
        alice.send(recorded("offer", 0));
        assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.PEER_NOT_FOUND);
    }

    @Test
    void spoofedFromIsRejectedAndNotDelivered() {
        InMemoryClient carol = InMemoryClient.connect(hub, "carol");
        carol.register();
        carol.send("{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":\"m1\"}");

        JsonObject error = json(carol.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.FROM_MISMATCH);
        assertThat(error.get("mid").getAsString()).isEqualTo("m1");
        assertThat(bob.poll(NOTHING)).isNull();
        carol.close();
    }

    @Test
    void messagesBeforeRegisterAreRejected() {
        InMemoryClient carol = InMemoryClient.connect(hub, "carol");
        carol.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");

        JsonObject error = json(carol.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.NOT_REGISTERED);
        assertThat(error.get("ref").getAsString()).isEqualTo("offer");
        assertThat(bob.poll(NOTHING)).isNull();
        assertThat(carol.isOpen()).isTrue();
        carol.close();
    }

    @Test
    void unknownTypeIsRejected() {
        alice.send("{\"type\":\"renegotiate\",\"to\":\"bob\"}");
        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.UNKNOWN_TYPE);
        assertThat(error.get("ref").getAsString()).isEqualTo("renegotiate");
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void configuredExtraTypeIsRouted() {
        try (SignalingHub custom = new SignalingHub(HubConfig.builder().addRoutableType("renegotiate").build());
             InMemoryClient a = InMemoryClient.connect(custom, "a");
             InMemoryClient b = InMemoryClient.connect(custom, "b")) {
            a.register();
            b.register();
            a.send("{\"type\":\"renegotiate\",\"to\":\"b\",\"reason\":\"ice-restart\"}");
            assertThat(json(b.take(WAIT)).get("reason").getAsString()).isEqualTo("ice-restart");
        }
    }

    @Test
    void byeIsRoutedToTheOtherPeer() {
        alice.send(recorded("bye", 0));
        assertThat(bob.take(WAIT)).isEqualTo(recorded("bye", 0));
    }

    @Test
    void disconnectWithoutByeTellsThePeersItTalkedTo() {
        InMemoryClient carol = InMemoryClient.connect(hub, "carol");
        carol.register();
        alice.send(recorded("offer", 0));
        bob.take(WAIT);

        alice.drop();

        JsonObject bye = json(bob.take(WAIT));
        assertThat(bye.get("type").getAsString()).isEqualTo("bye");
        assertThat(bye.get("from").getAsString()).isEqualTo("alice");
        assertThat(bye.get("to").getAsString()).isEqualTo("bob");
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
        assertThat(carol.poll(NOTHING)).as("carol never talked to alice").isNull();
        assertThat(hub.peerIds()).containsExactly("bob", "carol");
        carol.close();
    }

    @Test
    void recipientThatOnlyReceivedAlsoGetsByeWhenSenderDrops() {
        alice.send(recorded("offer", 0));
        bob.take(WAIT);
        bob.drop();
        JsonObject bye = json(alice.take(WAIT));
        assertThat(bye.get("from").getAsString()).isEqualTo("bob");
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
    }

    @Test
    void byeEndsTheConversationSoADisconnectSendsNoSecondBye() {
        alice.send(recorded("offer", 0));
        bob.take(WAIT);
        alice.send(recorded("bye", 0));
        bob.take(WAIT);

        alice.close();

        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void pingIsAnsweredWithPong() {
        alice.send("{\"type\":\"ping\",\"mid\":42}");
        JsonObject pong = json(alice.take(WAIT));
        assertThat(pong.get("type").getAsString()).isEqualTo("pong");
        assertThat(pong.get("mid").getAsInt()).isEqualTo(42);
    }

    @Test
    void statsCountRoutedMessagesAndErrorsByCode() {
        alice.send(recorded("offer", 0));
        alice.send("{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"v=0\"}");
        alice.send("not json");

        HubStats stats = hub.stats();
        assertThat(stats.connections()).isEqualTo(2);
        assertThat(stats.registeredPeers()).isEqualTo(2);
        assertThat(stats.messagesRouted()).isEqualTo(1);
        assertThat(stats.errors(ErrorCodes.PEER_NOT_FOUND)).isEqualTo(1);
        assertThat(stats.errors(ErrorCodes.INVALID_JSON)).isEqualTo(1);
    }

    private static JsonObject withFrom(String frame, String from) {
        JsonObject o = json(frame);
        o.addProperty("from", from);
        return o;
    }
}
