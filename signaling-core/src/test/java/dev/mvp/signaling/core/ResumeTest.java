package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static dev.mvp.signaling.core.TestFrames.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client with a verified token that drops can come back within the grace period, unnoticed. */
class ResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ManualScheduler time = new ManualScheduler();
    private final SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).resumeGrace(GRACE)
            .authenticator(Authenticator.staticTokens(Map.of("alice", "a-token", "bob", "b-token"))).build());

    @AfterEach
    void tearDown() {
        hub.close();
    }

    @Test
    void droppedClientResumesItsIdAtOnceAndGetsWhatWasHeld() {
        try (InMemoryClient bob = registered("bob", "b-token")) {
            InMemoryClient alice = registered("alice", "a-token");
            alice.send(recorded("offer", 0));
            bob.take(WAIT);

            alice.drop();
            assertThat(hub.stats().suspendedPeers()).isEqualTo(1);
            bob.send(recorded("answer", 0)); // held for alice while she is away
            time.advance(Duration.ofSeconds(3));
            assertThat(bob.poll(NOTHING)).as("no bye while alice may come back").isNull();

            try (InMemoryClient back = InMemoryClient.connect(hub, "alice")) {
                back.register("a-token");
                assertThat(back.take(WAIT)).isEqualTo(recorded("answer", 0));
                assertThat(hub.stats().suspendedPeers()).isZero();
                assertThat(hub.stats().registeredPeers()).isEqualTo(2);

                time.advance(GRACE.multipliedBy(2));
                assertThat(bob.poll(NOTHING)).as("the grace timer was called off").isNull();
                back.send(recorded("candidate", 0));
                assertThat(bob.take(WAIT)).isEqualTo(recorded("candidate", 0));
            }
            assertThat(json(bob.take(WAIT)).get("reason").getAsString())
                    .as("a clean close ends at once").isEqualTo("disconnected");
        }
    }

    @Test
    void peersAreToldOnlyWhenTheGracePeriodEndsWithoutAResume() {
        try (InMemoryClient bob = registered("bob", "b-token")) {
            InMemoryClient alice = registered("alice", "a-token");
            alice.send(recorded("offer", 0));
            bob.take(WAIT);

            alice.drop();
            time.advance(GRACE.minusMillis(1));
            assertThat(bob.poll(NOTHING)).isNull();
            time.advance(Duration.ofMillis(1));

            assertThat(json(bob.take(WAIT)).get("reason").getAsString()).isEqualTo("disconnected");
            assertThat(hub.stats().registeredPeers()).isEqualTo(1);
            assertThat(hub.stats().suspendedPeers()).isZero();
            try (InMemoryClient later = registered("alice", "a-token")) {
                assertThat(hub.peerIds()).containsExactly("alice", "bob");
            }
        }
    }

    @Test
    void theSuspendedIdCannotBeTakenWithAnotherToken() {
        InMemoryClient alice = registered("alice", "a-token");
        alice.drop();
        try (InMemoryClient thief = InMemoryClient.connect(hub, "alice")) {
            thief.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"guess\"}");
            assertThat(json(thief.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        }
        try (InMemoryClient back = registered("alice", "a-token")) {
            assertThat(hub.isRegistered("alice")).isTrue();
        }
    }

    @Test
    void cleanCloseReleasesTheIdAtOnce() {
        try (InMemoryClient bob = registered("bob", "b-token")) {
            InMemoryClient alice = registered("alice", "a-token");
            alice.send(recorded("offer", 0));
            bob.take(WAIT);
            alice.close();
            assertThat(json(bob.take(WAIT)).get("reason").getAsString()).isEqualTo("disconnected");
            assertThat(hub.stats().suspendedPeers()).isZero();
        }
    }

    @Test
    void clientsWithoutAVerifiedTokenAreNotHeld() {
        try (SignalingHub open = new SignalingHub(HubConfig.builder().scheduler(time).resumeGrace(GRACE).build());
             InMemoryClient bob = InMemoryClient.connect(open, "bob")) {
            bob.register();
            InMemoryClient alice = InMemoryClient.connect(open, "alice");
            alice.register("unverifiable");
            alice.send(recorded("offer", 0));
            bob.take(WAIT);
            alice.drop();
            assertThat(json(bob.take(WAIT)).get("reason").getAsString())
                    .as("nobody could prove to be alice, so her id is not kept").isEqualTo("disconnected");
            InMemoryClient again = InMemoryClient.connect(open, "alice");
            again.register();
            again.close();
        }
    }

    @Test
    void aFullServerStillLetsADroppedClientResume() {
        try (SignalingHub full = new SignalingHub(hub.config().toBuilder().maxPeers(2).build());
             InMemoryClient bob = InMemoryClient.connect(full, "bob")) {
            bob.register("b-token");
            InMemoryClient alice = InMemoryClient.connect(full, "alice");
            alice.register("a-token");
            alice.send(recorded("offer", 0));
            bob.take(WAIT);
            alice.drop(); // her id is still counted: she may come back

            try (InMemoryClient back = InMemoryClient.connect(full, "alice")) {
                back.register("a-token"); // takes her own place back: no peer is added
                assertThat(full.stats().registeredPeers()).isEqualTo(2);
                time.advance(GRACE.multipliedBy(2));
                assertThat(bob.poll(NOTHING)).as("bob noticed nothing").isNull();
            }
        }
    }

    @Test
    void aResumeCutShortByTheRegisterDeadlineStillEndsTheOldSuspension() {
        HookedDirectory directory = new HookedDirectory();
        try (SignalingHub racy = new SignalingHub(hub.config().toBuilder().directory(directory)
                .registerTimeout(Duration.ofSeconds(1)).build());
             InMemoryClient bob = InMemoryClient.connect(racy, "bob")) {
            bob.register("b-token");
            InMemoryClient alice = InMemoryClient.connect(racy, "alice");
            alice.register("a-token");
            alice.send(recorded("offer", 0));
            bob.take(WAIT);
            alice.drop();

            InMemoryClient back = InMemoryClient.connect(racy, "alice");
            // the new connection's register deadline fires (on the timer thread) just as it takes the id
            directory.afterNextReplace(() -> time.advance(Duration.ofSeconds(1)));
            back.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"a-token\"}");
            assertThat(back.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);

            time.advance(GRACE);
            assertThat(json(bob.take(WAIT)).get("reason").getAsString())
                    .as("alice did not come back: bob is told").isEqualTo("disconnected");
            assertThat(racy.stats().registeredPeers()).isEqualTo(1);
            assertThat(racy.stats().suspendedPeers()).isZero();
            try (InMemoryClient later = InMemoryClient.connect(racy, "alice")) {
                later.register("a-token");
                assertThat(racy.peerIds()).containsExactly("alice", "bob");
            }
        }
    }

    @Test
    void aReplacementCutShortByTheRegisterDeadlineLeavesTheHolderReachable() {
        HookedDirectory directory = new HookedDirectory();
        try (SignalingHub racy = new SignalingHub(hub.config().toBuilder().directory(directory)
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN)
                .registerTimeout(Duration.ofSeconds(1)).build());
             InMemoryClient bob = InMemoryClient.connect(racy, "bob");
             InMemoryClient alice = InMemoryClient.connect(racy, "alice")) {
            bob.register("b-token");
            alice.register("a-token");

            InMemoryClient fresh = InMemoryClient.connect(racy, "alice");
            directory.afterNextReplace(() -> time.advance(Duration.ofSeconds(1)));
            fresh.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"a-token\"}");
            assertThat(fresh.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);

            assertThat(alice.isOpen()).isTrue();
            assertThat(racy.isRegistered("alice")).as("the holder keeps its id").isTrue();
            bob.send(recorded("answer", 0));
            assertThat(alice.take(WAIT)).isEqualTo(recorded("answer", 0));
        }
    }

    @Test
    void aHeldMessageThatExpiresAfterAResumeIsBouncedToTheNewConnection() {
        InMemoryClient alice = registered("alice", "a-token");
        alice.send(recorded("offer", 0).replace("\"to\":\"bob\"", "\"to\":\"carol\"")
                .replace("\"from\":\"alice\",", "").replace("{", "{\"mid\":7,"));
        assertThat(hub.stats().heldMessages()).isEqualTo(1);
        alice.drop();

        try (InMemoryClient back = registered("alice", "a-token")) {
            time.advance(hub.config().offlineQueue().holdFor());
            JsonObject bounce = json(back.take(WAIT));
            assertThat(bounce.get("code").getAsString()).isEqualTo(ErrorCodes.DELIVERY_EXPIRED);
            assertThat(bounce.get("mid").getAsInt()).isEqualTo(7);
        }
    }

    @Test
    void whatIsHeldForAClientThatMayResumeIsWeighedByTheDefaultBound() {
        try (InMemoryClient bob = registered("bob", "b-token")) {
            InMemoryClient alice = registered("alice", "a-token");
            alice.drop();
            String sdp = "v".repeat(60_000);
            long perRecipient = hub.config().offlineQueue().maxPerRecipientBytes();
            int fit = 0;
            while (true) {
                bob.send("{\"type\":\"offer\",\"to\":\"alice\",\"sdp\":\"" + sdp + "\",\"mid\":" + fit + "}");
                String answer = bob.poll(NOTHING);
                if (answer != null) {
                    JsonObject error = json(answer);
                    assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
                    assertThat(error.get("message").getAsString()).contains(perRecipient + " bytes");
                    break;
                }
                fit++;
            }
            assertThat((long) fit * sdp.length()).isLessThanOrEqualTo(perRecipient);
            assertThat(fit).as("the byte bound, not the count, refused it")
                    .isLessThan(hub.config().offlineQueue().maxPerRecipient());

            try (InMemoryClient back = InMemoryClient.connect(hub, "alice")) {
                back.register("a-token");
                for (int i = 0; i < fit; i++) {
                    assertThat(json(back.take(WAIT)).get("mid").getAsInt()).isEqualTo(i);
                }
                assertThat(back.poll(NOTHING)).isNull();
            }
        }
    }

    @Test
    void messagesHeldFromAResumedClientAreDiscardedWhenItLeavesForGood() {
        InMemoryClient alice = registered("alice", "a-token");
        alice.send("{\"type\":\"bye\",\"to\":\"carol\"}");
        alice.drop();
        InMemoryClient back = registered("alice", "a-token");
        back.close();
        assertThat(hub.stats().heldMessages()).as("nobody is left to tell").isZero();
    }

    @Test
    void aPeerThatLeavesWhileTheClientIsAwayIsReportedWhenItResumes() {
        InMemoryClient bob = registered("bob", "b-token");
        InMemoryClient alice = registered("alice", "a-token");
        alice.send(recorded("offer", 0));
        bob.take(WAIT);
        bob.drop();
        alice.close(); // gone for good while bob may still come back

        try (InMemoryClient back = registered("bob", "b-token")) {
            JsonObject bye = json(back.take(WAIT));
            assertThat(bye.get("type").getAsString()).isEqualTo("bye");
            assertThat(bye.get("from").getAsString()).isEqualTo("alice");
            assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
        }
    }

    @Test
    void disconnectingAKeptIdReleasesItAtOnce() {
        try (InMemoryClient bob = registered("bob", "b-token")) {
            InMemoryClient alice = registered("alice", "a-token");
            alice.send(recorded("offer", 0));
            bob.take(WAIT);
            alice.drop();
            assertThat(hub.stats().suspendedPeers()).isEqualTo(1);

            assertThat(hub.disconnect("alice", CloseCodes.GOING_AWAY, "evicted")).isTrue();

            assertThat(json(bob.take(WAIT)).get("reason").getAsString()).isEqualTo("disconnected");
            assertThat(hub.stats().suspendedPeers()).isZero();
            assertThat(hub.stats().registeredPeers()).isEqualTo(1);
            assertThat(hub.disconnect("alice", CloseCodes.GOING_AWAY, "again")).isFalse();
            time.advance(GRACE);
            assertThat(bob.poll(NOTHING)).as("the grace timer does not tell bob twice").isNull();
        }
    }

    private InMemoryClient registered(String id, String token) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.register(token);
        return c;
    }
}
