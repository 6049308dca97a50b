package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static dev.mvp.signaling.core.TestFrames.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Interceptors and listeners: what they see and what they can do. */
class ExtensionPointsTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);

    @Test
    void interceptorCanRejectWithItsOwnCode() {
        HubConfig config = HubConfig.builder()
                .addInterceptor((m, chain) -> {
                    if (m.type().equals("offer")) {
                        chain.reject("offers-closed", "no new calls right now");
                    } else {
                        chain.proceed();
                    }
                }).build();
        try (SignalingHub hub = new SignalingHub(config);
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":3}");
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo("offers-closed");
            assertThat(error.get("mid").getAsInt()).isEqualTo(3);
            assertThat(error.get("peer").getAsString()).isEqualTo("bob");
            assertThat(bob.poll(NOTHING)).isNull();

            alice.send(recorded("candidate", 0));
            assertThat(bob.take(WAIT)).isEqualTo(recorded("candidate", 0));
        }
    }

    @Test
    void interceptorsRunInOrderAndSeeTheStampedFrame() {
        List<String> seen = new CopyOnWriteArrayList<>();
        HubConfig config = HubConfig.builder()
                .addInterceptor((m, chain) -> {
                    seen.add("first " + m.from() + "->" + m.to() + " " + m.frame());
                    chain.proceed();
                })
                .addInterceptor((m, chain) -> {
                    seen.add("second " + m.type() + " mid=" + m.mid());
                    chain.proceed();
                }).build();
        try (SignalingHub hub = new SignalingHub(config);
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob")) {
            alice.send("{\"type\":\"bye\",\"to\":\"bob\",\"mid\":\"x\"}");
            bob.take(WAIT);
        }
        assertThat(seen).containsExactly(
                "first alice->bob {\"from\":\"alice\",\"type\":\"bye\",\"to\":\"bob\",\"mid\":\"x\"}",
                "second bye mid=\"x\"");
    }

    @Test
    void interceptorCanHoldAMessageAndReleaseItLater() throws InterruptedException {
        AtomicReference<MessageInterceptor.Chain> held = new AtomicReference<>();
        HubConfig config = HubConfig.builder().addInterceptor((m, chain) -> held.set(chain)).build();
        try (SignalingHub hub = new SignalingHub(config);
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob")) {
            alice.send(recorded("offer", 0));
            assertThat(bob.poll(NOTHING)).isNull();
            assertThat(hub.stats().messagesRouted()).isZero();

            Thread release = new Thread(() -> held.get().proceed());
            release.start();

            assertThat(bob.take(WAIT)).isEqualTo(recorded("offer", 0));
            release.join(WAIT.toMillis()); // the count is taken after the hand-off to bob
            assertThat(release.isAlive()).isFalse();
            assertThat(hub.stats().messagesRouted()).isEqualTo(1);
        }
    }

    @Test
    void throwingInterceptorRejectsWithInternalErrorAndTheHubGoesOn() {
        HubConfig config = HubConfig.builder().addInterceptor((m, chain) -> {
            throw new IllegalStateException("boom");
        }).build();
        try (SignalingHub hub = new SignalingHub(config);
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob")) {
            alice.send(recorded("offer", 0));
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.INTERNAL_ERROR);
            assertThat(error.toString()).doesNotContain("boom");
            alice.send("{\"type\":\"ping\"}");
            assertThat(TestFrames.type(alice.take(WAIT))).isEqualTo("pong");
        }
    }

    @Test
    void chainMethodsCanBeUsedOnlyOnce() {
        AtomicReference<Throwable> second = new AtomicReference<>();
        HubConfig config = HubConfig.builder().addInterceptor((m, chain) -> {
            chain.proceed();
            try {
                chain.proceed();
            } catch (IllegalStateException e) {
                second.set(e);
            }
        }).build();
        try (SignalingHub hub = new SignalingHub(config);
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob")) {
            alice.send(recorded("offer", 0));
            bob.take(WAIT);
            assertThat(bob.poll(NOTHING)).as("delivered once").isNull();
        }
        assertThat(second.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listenerHearsEveryEventWithoutTokens() {
        List<String> events = new CopyOnWriteArrayList<>();
        HubListener listener = new HubListener() {
            @Override
            public void connected(String claimedId, Handshake handshake) {
                events.add("connected " + claimedId);
            }

            @Override
            public void registered(String id) {
                events.add("registered " + id);
            }

            @Override
            public void routed(Envelope m) {
                events.add("routed " + m.type() + " " + m.from() + "->" + m.to());
            }

            @Override
            public void rejected(Rejection r) {
                events.add("rejected " + r.sender() + " " + r.code() + " ref=" + r.ref() + " peer=" + r.peer()
                        + " mid=" + r.mid());
            }

            @Override
            public void left(String id, int code, String reason) {
                events.add("left " + id + " " + code);
            }
        };
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().listener(listener)
                .offlineQueue(OfflineQueuePolicy.DISABLED).build())) {
            InMemoryClient alice = registered(hub, "alice");
            InMemoryClient bob = registered(hub, "bob");
            alice.send(recorded("offer", 0));
            alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\",\"mid\":\"o-7\"}");
            alice.close();
            bob.close();
        }
        assertThat(events).containsExactly(
                "connected alice", "registered alice",
                "connected bob", "registered bob",
                "routed offer alice->bob",
                "rejected alice peer-not-found ref=offer peer=carol mid=\"o-7\"",
                "left alice 1000",
                "left bob 1000");
    }

    @Test
    void throwingListenerDoesNotChangeWhatTheHubDoes() {
        HubListener broken = new HubListener() {
            @Override
            public void routed(Envelope message) {
                throw new IllegalStateException("metrics backend down");
            }

            @Override
            public void registered(String id) {
                throw new IllegalStateException("metrics backend down");
            }
        };
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().listener(HubListener.all(HubListener.none(), broken)).build());
             InMemoryClient alice = registered(hub, "alice");
             InMemoryClient bob = registered(hub, "bob")) {
            alice.send(recorded("offer", 0));
            assertThat(bob.take(WAIT)).isEqualTo(recorded("offer", 0));
            assertThat(alice.poll(NOTHING)).isNull();
        }
    }

    @Test
    void hubsSharingADirectoryRouteToEachOthersClients() {
        PeerDirectory shared = PeerDirectory.inMemory();
        try (SignalingHub east = new SignalingHub(HubConfig.builder().directory(shared).build());
             SignalingHub west = new SignalingHub(HubConfig.builder().directory(shared).build());
             InMemoryClient alice = registered(east, "alice");
             InMemoryClient bob = registered(west, "bob")) {
            alice.send(recorded("offer", 0));
            assertThat(bob.take(WAIT)).isEqualTo(recorded("offer", 0));
            bob.send(recorded("answer", 0));
            assertThat(alice.take(WAIT)).isEqualTo(recorded("answer", 0));

            InMemoryClient impostor = InMemoryClient.connect(west, "alice");
            impostor.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(json(impostor.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.ID_TAKEN);
            impostor.close();

            alice.drop();
            assertThat(json(bob.take(WAIT)).get("reason").getAsString()).isEqualTo("disconnected");
        }
    }

    private static InMemoryClient registered(SignalingHub hub, String id) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.register();
        return c;
    }
}
