package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static dev.mvp.signaling.core.TestFrames.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HubLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    @Test
    void closeEndsEveryConnectionWithGoingAway() {
        SignalingHub hub = new SignalingHub();
        InMemoryClient alice = InMemoryClient.connect(hub, "alice");
        InMemoryClient pending = InMemoryClient.connect(hub, "pending");
        alice.register();

        hub.close();

        assertThat(alice.awaitClose(WAIT).code()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(pending.awaitClose(WAIT).code()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(hub.stats().connections()).isZero();
        assertThat(hub.stats().registeredPeers()).isZero();
    }

    @Test
    void closeTwiceIsNoOp() {
        SignalingHub hub = new SignalingHub();
        hub.close();
        hub.close();
        assertThat(hub.toString()).contains("closed");
    }

    @Test
    void connectionsOpenedAfterCloseAreClosedAtOnce() {
        SignalingHub hub = new SignalingHub();
        hub.close();
        InMemoryClient late = InMemoryClient.connect(hub, "late");
        assertThat(late.awaitClose(WAIT).code()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(hub.stats().connections()).isZero();
    }

    @Test
    void aMessageInFlightWhileTheHubClosesThrowsNothingIntoTheTransport() {
        HookedDirectory directory = new HookedDirectory();
        SignalingHub hub = new SignalingHub(HubConfig.builder().directory(directory).build());
        InMemoryClient alice = InMemoryClient.connect(hub, "alice");
        alice.register();
        // the hub closes (on another thread) while alice's offer looks for its absent recipient
        directory.afterNextGet("carol", hub::close);

        assertThatCode(() -> alice.send(recorded("offer", 0).replace("\"to\":\"bob\"", "\"to\":\"carol\"")))
                .doesNotThrowAnyException();
        assertThat(alice.awaitClose(WAIT).code()).isEqualTo(CloseCodes.GOING_AWAY);
    }

    @Test
    void closeStopsTheHubsOwnTimerThread() throws InterruptedException {
        SignalingHub hub = new SignalingHub();
        InMemoryClient.connect(hub, "x"); // schedules its register deadline on the timer
        assertThat(timerThreads()).isPositive();
        hub.close();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (timerThreads() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(timerThreads()).isZero();
    }

    @Test
    void disconnectClosesThePeerAndTellsItsContacts() {
        try (SignalingHub hub = new SignalingHub();
             InMemoryClient alice = InMemoryClient.connect(hub, "alice");
             InMemoryClient bob = InMemoryClient.connect(hub, "bob")) {
            alice.register();
            bob.register();
            alice.send(recorded("offer", 0));
            bob.take(WAIT);

            assertThat(hub.disconnect("alice", CloseCodes.GOING_AWAY, "moved")).isTrue();
            assertThat(hub.disconnect("nobody", CloseCodes.GOING_AWAY, "moved")).isFalse();

            assertThat(alice.awaitClose(WAIT)).isEqualTo(new InMemoryClient.CloseStatus(1001, "moved", true));
            assertThat(json(bob.take(WAIT)).get("reason").getAsString()).isEqualTo("disconnected");
            assertThat(hub.peerIds()).containsExactly("bob");
        }
    }

    @Test
    void configIsImmutableAndDerivable() {
        HubConfig base = HubConfig.builder().maxMessageLength(2048).build();
        HubConfig derived = base.toBuilder().duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN).build();
        assertThat(base.duplicateIdPolicy()).isEqualTo(DuplicateIdPolicy.REJECT);
        assertThat(derived.maxMessageLength()).isEqualTo(2048);
        assertThat(derived.toString()).contains("REPLACE_WITH_VERIFIED_TOKEN").contains("2048");
        assertThatThrownBy(() -> HubConfig.builder().maxMessageLength(10))
                .hasMessageContaining("at least 1024");
        assertThatThrownBy(() -> HubConfig.builder().addRoutableType("register"))
                .hasMessageContaining("register");
        assertThatThrownBy(() -> base.extraRoutableTypes().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("signaling-hub-timer") && t.isAlive()).count();
    }
}
