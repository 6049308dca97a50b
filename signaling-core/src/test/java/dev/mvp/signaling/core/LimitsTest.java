package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static dev.mvp.signaling.core.TestFrames.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each limit answers with its documented error or close code, and the server keeps serving others. */
class LimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);

    private final ManualScheduler time = new ManualScheduler();

    @Test
    void messagesOverTheRateAreRejectedAndTheBucketRefills() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time)
                .rateLimit(new RateLimit(10, 5)).build());
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob")) {
            // register took one token
            for (int i = 0; i < 4; i++) {
                alice.send(recorded("candidate", 0));
            }
            alice.send(recorded("candidate", 0));
            assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.RATE_LIMITED);
            assertThat(bob.drain()).hasSize(4);

            time.advance(Duration.ofMillis(100)); // one token back
            alice.send(recorded("candidate", 0));
            assertThat(bob.take(WAIT)).isEqualTo(recorded("candidate", 0));
            assertThat(alice.isOpen()).isTrue();
        }
    }

    @Test
    void sustainedFloodIsClosedWithPolicyViolation() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time)
                .rateLimit(new RateLimit(10, 5)).build());
             InMemoryClient flooder = registered(hub, "flooder");
             InMemoryClient bob = registered(hub, "bob")) {
            for (int i = 0; i < 100 && flooder.isOpen(); i++) {
                flooder.send("{\"type\":\"ping\"}");
            }
            assertThat(flooder.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(hub.stats().errors(ErrorCodes.RATE_LIMITED)).isEqualTo(6);
            bob.send("{\"type\":\"ping\"}");
            assertThat(TestFrames.type(bob.take(WAIT))).isEqualTo("pong");
        }
    }

    @Test
    void connectionsOverTheMaximumAreRefusedWithTryAgainLater() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).maxConnections(2).build());
             InMemoryClient a = InMemoryClient.connect(hub, "a");
             InMemoryClient b = InMemoryClient.connect(hub, "b")) {
            InMemoryClient c = InMemoryClient.connect(hub, "c");
            assertThat(json(c.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.SERVER_FULL);
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            a.close();
            try (InMemoryClient d = InMemoryClient.connect(hub, "d")) {
                d.register();
            }
        }
    }

    @Test
    void peersOverTheMaximumAreRefusedWithTryAgainLater() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).maxPeers(1).build());
             InMemoryClient a = registered(hub, "a")) {
            InMemoryClient b = InMemoryClient.connect(hub, "b");
            b.send("{\"type\":\"register\",\"id\":\"b\"}");
            assertThat(json(b.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.SERVER_FULL);
            assertThat(b.awaitClose(WAIT).code()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            assertThat(hub.peerIds()).containsExactly("a");
        }
    }

    @Test
    void clientThatDoesNotReadIsDisconnectedOnceItsBufferPassesTheBound() {
        long bound = 64 * 1024;
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).maxBufferedBytes(bound)
                .rateLimit(RateLimit.UNLIMITED).build());
             InMemoryClient sender = registered(hub, "sender");
             InMemoryClient reader = registered(hub, "reader");
             InMemoryClient sleeper = registered(hub, "sleeper")) {
            String offer = recorded("offer", 0).replace("\"to\":\"bob\"", "\"to\":\"sleeper\"")
                    .replace("\"from\":\"alice\",", "");
            long maxSeen = 0;
            int sent = 0;
            while (sleeper.isOpen() && sent < 10_000) {
                sender.send(offer);
                sent++;
                sender.send("{\"type\":\"bye\",\"to\":\"reader\"}");
                reader.take(WAIT); // the reader keeps up
                maxSeen = Math.max(maxSeen, sleeper.closeStatus() == null ? unread(sleeper) : 0);
            }
            assertThat(sleeper.awaitClose(WAIT).code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            assertThat(maxSeen).as("what waits for the sleeper stays near the bound")
                    .isLessThanOrEqualTo(bound + offer.length());
            assertThat(json(firstOfType(sender, "bye")).get("reason").getAsString()).isEqualTo("disconnected");
            time.advance(hub.config().offlineQueue().holdFor()); // the offer that found it gone was held
            assertThat(json(firstOfType(sender, "error")).get("code").getAsString())
                    .isEqualTo(ErrorCodes.DELIVERY_EXPIRED);
            sender.send("{\"type\":\"bye\",\"to\":\"reader\"}");
            assertThat(TestFrames.type(reader.take(WAIT))).as("others are still served").isEqualTo("bye");
        }
    }

    @Test
    void clientThatDoesNotReadItsOwnRepliesIsDisconnectedOnceItsBufferPassesTheBound() {
        long bound = 4 * 1024;
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).maxBufferedBytes(bound)
                .rateLimit(RateLimit.UNLIMITED).build());
             InMemoryClient pinger = registered(hub, "pinger")) {
            // every pong and every error echoes the mid: a client can make the server queue its own replies
            String ping = "{\"type\":\"ping\",\"mid\":\"" + "x".repeat(1000) + "\"}";
            String junk = "{\"type\":\"nonsense\",\"mid\":\"" + "x".repeat(1000) + "\"}";
            for (int i = 0; i < 1000 && pinger.isOpen(); i++) {
                pinger.send(i % 2 == 0 ? ping : junk);
            }
            assertThat(pinger.awaitClose(WAIT).code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            assertThat(unread(pinger)).as("what waits for the pinger stays near the bound")
                    .isLessThanOrEqualTo(bound + 2 * junk.length());
        }
    }

    @Test
    void aClientInTheMostConversationsAllowedCannotStartAnotherUntilOneEnds() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).maxConversations(2).build());
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob");
             InMemoryClient carol = registered(hub, "carol");
             InMemoryClient dave = registered(hub, "dave")) {
            alice.send(offerTo("bob", 1));
            alice.send(offerTo("carol", 2));
            alice.send(offerTo("dave", 3));
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.TOO_MANY_CONVERSATIONS);
            assertThat(error.get("mid").getAsInt()).isEqualTo(3);
            assertThat(error.get("peer").getAsString()).isEqualTo("dave");
            assertThat(dave.poll(NOTHING)).isNull();
            alice.send(offerTo("bob", 4));
            assertThat(json(bob.drain().get(1)).get("mid").getAsInt()).as("a running conversation goes on").isEqualTo(4);

            alice.send("{\"type\":\"bye\",\"to\":\"bob\"}");
            alice.send(offerTo("dave", 5));
            assertThat(json(dave.take(WAIT)).get("mid").getAsInt()).isEqualTo(5);
            assertThat(alice.poll(NOTHING)).isNull();
        }
    }

    @Test
    void aClientCannotBeDrawnIntoMoreConversationsThanAllowed() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).maxConversations(2).build());
             InMemoryClient dave = registered(hub, "dave");
             InMemoryClient bob = registered(hub, "bob");
             InMemoryClient eve = registered(hub, "eve")) {
            InMemoryClient carol = registered(hub, "carol");
            bob.send(offerTo("dave", 1));
            carol.send(offerTo("dave", 2));
            eve.send(offerTo("dave", 3));
            JsonObject error = json(eve.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.TOO_MANY_CONVERSATIONS);
            assertThat(error.get("message").getAsString()).contains("'dave'");
            assertThat(dave.drain()).hasSize(2);

            carol.close(); // dave is told, and has room again
            assertThat(json(dave.take(WAIT)).get("reason").getAsString()).isEqualTo("disconnected");
            eve.send(offerTo("dave", 4));
            assertThat(json(dave.take(WAIT)).get("mid").getAsInt()).isEqualTo(4);
        }
    }

    @Test
    void framesWaitingForAConfirmationCountAsWaitingForTheClient() {
        long bound = 4 * 1024;
        java.util.concurrent.atomic.AtomicReference<InMemoryClient> sender = new java.util.concurrent.atomic.AtomicReference<>();
        String big = "{\"type\":\"offer\",\"to\":\"late\",\"sdp\":\"" + "v".repeat(1000) + "\"}";
        HubListener burstAtRegistration = new HubListener() {
            @Override
            public void registered(String id) {
                if (id.equals("late")) { // the id is visible, the confirmation not yet sent
                    for (int i = 0; i < 20; i++) {
                        sender.get().send(big);
                    }
                }
            }
        };
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).maxBufferedBytes(bound)
                .rateLimit(RateLimit.UNLIMITED).listener(burstAtRegistration).build());
             InMemoryClient flooder = registered(hub, "flooder")) {
            sender.set(flooder);
            InMemoryClient late = InMemoryClient.connect(hub, "late");
            late.send("{\"type\":\"register\",\"id\":\"late\"}");
            assertThat(late.awaitClose(WAIT).code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            assertThat(unread(late)).as("what waited for the confirmation stayed near the bound")
                    .isLessThanOrEqualTo(bound + 2 * big.length());
        }
    }

    private static String offerTo(String to, int mid) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"v=0\",\"mid\":" + mid + "}";
    }

    private static long unread(InMemoryClient c) {
        // what the transport reports as waiting is what the hub bounds
        return c.bufferedChars();
    }

    private static String firstOfType(InMemoryClient c, String type) {
        while (true) {
            String f = c.take(WAIT);
            if (TestFrames.type(f).equals(type)) {
                return f;
            }
        }
    }

    private static InMemoryClient registered(SignalingHub hub, String id) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.register();
        return c;
    }
}
