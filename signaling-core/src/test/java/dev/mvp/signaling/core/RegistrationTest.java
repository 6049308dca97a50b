package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static dev.mvp.signaling.core.TestFrames.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import dev.mvp.signaling.core.memory.InMemoryClient.CloseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);

    private final ManualScheduler time = new ManualScheduler();
    private SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).build());

    @AfterEach
    void tearDown() {
        hub.close();
    }

    @Test
    void registerIsConfirmedWithTheRegisteredFrame() {
        try (InMemoryClient alice = InMemoryClient.connect(hub, "alice")) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(json(alice.take(WAIT))).isEqualTo(json("{\"type\":\"registered\",\"id\":\"alice\"}"));
            assertThat(hub.isRegistered("alice")).isTrue();
            assertThat(hub.stats().registeredPeers()).isEqualTo(1);
        }
        assertThat(hub.isRegistered("alice")).isFalse();
        assertThat(hub.stats().registeredPeers()).isZero();
        assertThat(hub.stats().connections()).isZero();
    }

    @Test
    void registeringTheSameIdAgainReconfirms() {
        try (InMemoryClient alice = InMemoryClient.connect(hub, "alice")) {
            alice.register();
            alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(TestFrames.type(alice.take(WAIT))).isEqualTo("registered");
            assertThat(hub.stats().registeredPeers()).isEqualTo(1);
        }
    }

    @Test
    void registeringAnotherIdOnTheSameConnectionIsRejected() {
        try (InMemoryClient alice = InMemoryClient.connect(hub, "alice")) {
            alice.register();
            alice.send("{\"type\":\"register\",\"id\":\"mallory\"}");
            assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.ALREADY_REGISTERED);
            assertThat(hub.peerIds()).containsExactly("alice");
        }
    }

    @Test
    void registerIdMustMatchThePathId() {
        try (InMemoryClient alice = InMemoryClient.connect(hub, "alice")) {
            alice.send("{\"type\":\"register\",\"id\":\"bob\"}");
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.ID_MISMATCH);
            assertThat(error.get("message").getAsString()).contains("bob").contains("alice");
            assertThat(hub.peerIds()).isEmpty();
            alice.register(); // the right id still works on the same connection
        }
    }

    @Test
    void invalidPathIdIsRefusedBeforeAnyStateIsCreated() {
        for (String bad : List.of("", "a b", "x".repeat(129), "ali/ce", "élodie", "a\u0000")) {
            InMemoryClient client = InMemoryClient.connect(hub, bad);
            assertThat(json(client.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_ID);
            CloseStatus status = client.awaitClose(WAIT);
            assertThat(status.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(status.byServer()).isTrue();
        }
        assertThat(hub.stats().connections()).isZero();
    }

    @Test
    void idsUpTo128CharactersFromTheAllowedSetAreAccepted() {
        String longest = "aZ09._:@-".repeat(15).substring(0, 128);
        try (InMemoryClient client = InMemoryClient.connect(hub, longest)) {
            client.register();
            assertThat(hub.peerIds()).containsExactly(longest);
        }
    }

    @Test
    void invalidIdInRegisterIsRejected() {
        try (SignalingHub pathless = new SignalingHub(HubConfig.builder().scheduler(time).build());
             InMemoryClient client = InMemoryClient.connect(pathless, null)) {
            client.send("{\"type\":\"register\",\"id\":\"no spaces\"}");
            assertThat(json(client.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.INVALID_ID);
            client.send("{\"type\":\"register\",\"id\":\"ok\"}");
            assertThat(TestFrames.type(client.take(WAIT))).isEqualTo("registered");
        }
    }

    @Test
    void secondConnectionClaimingALiveIdIsRefusedWithIdTaken() {
        try (InMemoryClient first = InMemoryClient.connect(hub, "alice");
             InMemoryClient second = InMemoryClient.connect(hub, "alice")) {
            first.register();
            second.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(json(second.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.ID_TAKEN);
            assertThat(first.isOpen()).isTrue();
            assertThat(second.isOpen()).as("may retry once the holder leaves").isTrue();

            first.close();
            second.register();
        }
    }

    @Test
    void replacementNeedsTheSameVerifiedToken() {
        hub.close();
        hub = new SignalingHub(HubConfig.builder().scheduler(time)
                .authenticator(Authenticator.staticTokens(Map.of("alice", "s3cret", "bob", "b0b")))
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN).build());
        try (InMemoryClient old = InMemoryClient.connect(hub, "alice");
             InMemoryClient bob = InMemoryClient.connect(hub, "bob");
             InMemoryClient fresh = InMemoryClient.connect(hub, "alice")) {
            old.register("s3cret");
            bob.register("b0b");
            old.send(recorded("offer", 0));
            bob.take(WAIT);

            fresh.register("s3cret");

            CloseStatus status = old.awaitClose(WAIT);
            assertThat(status.code()).isEqualTo(CloseCodes.REPLACED);
            assertThat(bob.poll(NOTHING)).as("bob is not told alice left: she is back").isNull();
            assertThat(hub.peerIds()).containsExactly("alice", "bob");
            assertThat(hub.stats().registeredPeers()).isEqualTo(2);

            bob.send(recorded("answer", 0));
            assertThat(fresh.take(WAIT)).isEqualTo(recorded("answer", 0));

            fresh.drop();
            assertThat(bob.poll(NOTHING)).as("alice may still resume").isNull();
            time.advance(hub.config().resumeGrace());
            assertThat(json(bob.take(WAIT)).get("reason").getAsString())
                    .as("the conversation carried over to the new connection").isEqualTo("disconnected");
        }
    }

    @Test
    void withoutAVerifiedTokenNobodyCanTakeALiveId() {
        hub.close();
        hub = new SignalingHub(HubConfig.builder().scheduler(time)
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN).build());
        try (InMemoryClient holder = InMemoryClient.connect(hub, "alice");
             InMemoryClient thief = InMemoryClient.connect(hub, "alice")) {
            holder.register("same");
            thief.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"same\"}");
            assertThat(json(thief.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.ID_TAKEN);
            assertThat(holder.isOpen()).isTrue();
        }
    }

    @Test
    void aDifferentTokenCannotTakeOverEvenIfValidForTheAuthenticator() {
        hub.close();
        hub = new SignalingHub(HubConfig.builder().scheduler(time)
                .authenticator(request -> AuthResult.verified()) // every token "verified"
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN).build());
        try (InMemoryClient holder = InMemoryClient.connect(hub, "alice");
             InMemoryClient other = InMemoryClient.connect(hub, "alice")) {
            holder.register("token-1");
            other.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"token-2\"}");
            assertThat(json(other.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.ID_TAKEN);
            assertThat(holder.isOpen()).isTrue();
        }
    }

    @Test
    void staticTokensRejectMissingAndWrongTokensAndClose() {
        hub.close();
        hub = new SignalingHub(HubConfig.builder().scheduler(time)
                .authenticator(Authenticator.staticTokens(Map.of("alice", "s3cret"))).build());
        String[][] cases = {
            {"{\"type\":\"register\",\"id\":\"alice\"}", ErrorCodes.TOKEN_MISSING},
            {"{\"type\":\"register\",\"id\":\"alice\",\"token\":\"\"}", ErrorCodes.TOKEN_MISSING},
            {"{\"type\":\"register\",\"id\":\"alice\",\"token\":\"guess\"}", ErrorCodes.TOKEN_INVALID},
        };
        for (String[] c : cases) {
            InMemoryClient alice = InMemoryClient.connect(hub, "alice");
            alice.send(c[0]);
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(c[1]);
            assertThat(error.toString()).doesNotContain("s3cret").doesNotContain("guess");
            assertThat(alice.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        }
        InMemoryClient eve = InMemoryClient.connect(hub, "eve");
        eve.send("{\"type\":\"register\",\"id\":\"eve\",\"token\":\"s3cret\"}");
        assertThat(json(eve.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.TOKEN_INVALID);
        try (InMemoryClient alice = InMemoryClient.connect(hub, "alice")) {
            alice.register("s3cret");
        }
        assertThat(hub.stats().connections()).isZero();
    }

    @Test
    void authenticatorSeesIdTokenAndHandshake() {
        List<AuthRequest> seen = new CopyOnWriteArrayList<>();
        hub.close();
        hub = new SignalingHub(HubConfig.builder().scheduler(time).authenticator(r -> {
            seen.add(r);
            return r.handshake().header("x-api-key") != null ? AuthResult.accepted()
                    : AuthResult.rejected("no-api-key", "send the X-Api-Key header");
        }).build());
        Handshake handshake = new Handshake("/ws/alice", "room=1", Map.of("X-Api-Key", List.of("k")), null);
        try (InMemoryClient alice = InMemoryClient.connect(hub, "alice", handshake);
             InMemoryClient bob = InMemoryClient.connect(hub, "bob")) {
            alice.register("t");
            bob.send("{\"type\":\"register\",\"id\":\"bob\"}");
            JsonObject error = json(bob.take(WAIT));
            assertThat(error.get("code").getAsString()).as("custom codes pass through").isEqualTo("no-api-key");
            assertThat(error.get("message").getAsString()).isEqualTo("send the X-Api-Key header");
        }
        assertThat(seen.get(0).id()).isEqualTo("alice");
        assertThat(seen.get(0).token()).isEqualTo("t");
        assertThat(seen.get(0).handshake().query()).isEqualTo("room=1");
        assertThat(seen.get(0).toString()).doesNotContain("t,").contains("<redacted>");
    }

    @Test
    void throwingAuthenticatorRejectsWithInternalError() {
        hub.close();
        hub = new SignalingHub(HubConfig.builder().scheduler(time).authenticator(r -> {
            throw new IllegalStateException("database down");
        }).build());
        InMemoryClient alice = InMemoryClient.connect(hub, "alice");
        alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.INTERNAL_ERROR);
        assertThat(error.toString()).doesNotContain("database");
        assertThat(alice.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void connectionThatNeverRegistersIsClosedAtTheDeadline() {
        InMemoryClient idle = InMemoryClient.connect(hub, "idle");
        time.advance(Duration.ofSeconds(9));
        assertThat(idle.isOpen()).isTrue();

        time.advance(Duration.ofSeconds(1));

        assertThat(json(idle.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.REGISTER_TIMEOUT);
        assertThat(idle.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        assertThat(hub.stats().connections()).isZero();
    }

    @Test
    void registeredConnectionOutlivesTheDeadlineAndLeavesNoTimerBehind() {
        try (InMemoryClient alice = InMemoryClient.connect(hub, "alice")) {
            assertThat(time.pending()).isEqualTo(1);
            alice.register();
            assertThat(time.pending()).isZero();
            time.advance(Duration.ofMinutes(5));
            assertThat(alice.isOpen()).isTrue();
        }
    }

    @Test
    void nothingReachesAPeerBeforeItsConfirmation() {
        // A directory that lets alice's offer race into bob's registration: it is routed to bob after
        // bob's id became visible and before his confirmation was sent.
        PeerDirectory real = PeerDirectory.inMemory();
        InMemoryClient[] alice = new InMemoryClient[1];
        PeerDirectory racing = new PeerDirectory() {
            @Override
            public Peer putIfAbsent(String id, Peer peer) {
                Peer holder = real.putIfAbsent(id, peer);
                if (id.equals("bob") && holder == null) {
                    alice[0].send(recorded("offer", 0));
                }
                return holder;
            }

            @Override
            public boolean replace(String id, Peer holder, Peer successor) {
                return real.replace(id, holder, successor);
            }

            @Override
            public boolean remove(String id, Peer peer) {
                return real.remove(id, peer);
            }

            @Override
            public Peer get(String id) {
                return real.get(id);
            }
        };
        try (SignalingHub racingHub = new SignalingHub(HubConfig.builder().scheduler(time).directory(racing).build());
             InMemoryClient a = InMemoryClient.connect(racingHub, "alice");
             InMemoryClient bob = InMemoryClient.connect(racingHub, "bob")) {
            alice[0] = a;
            a.register();
            bob.send("{\"type\":\"register\",\"id\":\"bob\"}");

            assertThat(TestFrames.type(bob.take(WAIT))).isEqualTo("registered");
            assertThat(bob.take(WAIT)).isEqualTo(recorded("offer", 0));
        }
    }
}
