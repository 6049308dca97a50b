package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static dev.mvp.signaling.core.TestFrames.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Messages to a peer that is not connected yet are held, then delivered or bounced; never lost. */
class OfflineQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);

    private final ManualScheduler time = new ManualScheduler();
    private SignalingHub hub = hub(OfflineQueuePolicy.DEFAULT);

    private SignalingHub hub(OfflineQueuePolicy policy) {
        return new SignalingHub(HubConfig.builder().scheduler(time).offlineQueue(policy).build());
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    @Test
    void messagesToAPeerNotYetConnectedAreDeliveredInOrderAfterItsConfirmation() {
        try (InMemoryClient alice = registered("alice")) {
            alice.send(recorded("offer", 0));
            alice.send(recorded("candidate", 0));
            assertThat(alice.poll(NOTHING)).as("no error while bob may still come").isNull();
            assertThat(hub.stats().heldMessages()).isEqualTo(2);

            time.advance(Duration.ofSeconds(4));
            try (InMemoryClient bob = InMemoryClient.connect(hub, "bob")) {
                bob.send("{\"type\":\"register\",\"id\":\"bob\"}");
                assertThat(TestFrames.type(bob.take(WAIT))).isEqualTo("registered");
                assertThat(bob.take(WAIT)).isEqualTo(recorded("offer", 0));
                assertThat(bob.take(WAIT)).isEqualTo(recorded("candidate", 0));

                bob.send(recorded("answer", 0));
                assertThat(alice.take(WAIT)).isEqualTo(recorded("answer", 0));
                time.advance(Duration.ofSeconds(10));
                assertThat(alice.poll(NOTHING)).as("delivered messages never expire").isNull();
                assertThat(hub.stats().heldMessages()).isZero();
                assertThat(hub.stats().messagesRouted()).isEqualTo(3);

                bob.drop();
                assertThat(json(alice.take(WAIT)).get("reason").getAsString())
                        .as("bob talked with alice through the queue").isEqualTo("disconnected");
            }
        }
    }

    @Test
    void heldMessageThatExpiresIsBouncedToTheSenderWithItsMid() {
        try (InMemoryClient alice = registered("alice")) {
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":\"o-1\"}");
            time.advance(Duration.ofMillis(4999));
            assertThat(alice.poll(NOTHING)).isNull();

            time.advance(Duration.ofMillis(1));

            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.DELIVERY_EXPIRED);
            assertThat(error.get("peer").getAsString()).isEqualTo("bob");
            assertThat(error.get("ref").getAsString()).isEqualTo("offer");
            assertThat(error.get("mid").getAsString()).isEqualTo("o-1");
            assertThat(hub.stats().heldMessages()).isZero();

            try (InMemoryClient bob = registered("bob")) {
                assertThat(bob.poll(NOTHING)).as("an expired message is never delivered late").isNull();
            }
        }
    }

    @Test
    void perRecipientBoundAnswersQueueFull() {
        hub.close();
        hub = hub(new OfflineQueuePolicy(Duration.ofSeconds(5), 2, 10, 100));
        try (InMemoryClient alice = registered("alice")) {
            alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null,\"mid\":1}");
            alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null,\"mid\":2}");
            alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null,\"mid\":3}");
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(error.get("mid").getAsInt()).isEqualTo(3);
            alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\"}");
            assertThat(alice.poll(NOTHING)).as("other recipients still have room").isNull();
        }
    }

    @Test
    void perSenderBoundStopsASenderFloodingRandomIds() {
        hub.close();
        hub = hub(new OfflineQueuePolicy(Duration.ofSeconds(5), 10, 3, 100));
        try (InMemoryClient mallory = registered("mallory");
             InMemoryClient alice = registered("alice")) {
            for (int i = 0; i < 5; i++) {
                mallory.send("{\"type\":\"bye\",\"to\":\"random-" + i + "\"}");
            }
            assertThat(json(mallory.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(json(mallory.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(hub.stats().heldMessages()).isEqualTo(3);

            alice.send("{\"type\":\"bye\",\"to\":\"random-9\"}");
            assertThat(alice.poll(NOTHING)).as("the bound is per sender").isNull();
        }
    }

    @Test
    void totalBoundHoldsAcrossSenders() {
        hub.close();
        hub = hub(new OfflineQueuePolicy(Duration.ofSeconds(5), 10, 10, 2));
        try (InMemoryClient a = registered("a"); InMemoryClient b = registered("b")) {
            a.send("{\"type\":\"bye\",\"to\":\"x\"}");
            b.send("{\"type\":\"bye\",\"to\":\"y\"}");
            a.send("{\"type\":\"bye\",\"to\":\"z\"}");
            assertThat(json(a.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(b.poll(NOTHING)).isNull();
        }
    }

    private static String offer(String to, String sdp, int mid) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + sdp + "\",\"mid\":" + mid + "}";
    }

    @Test
    void perRecipientByteBoundAnswersQueueFullSayingBytes() {
        hub.close();
        hub = hub(new OfflineQueuePolicy(Duration.ofSeconds(5), 64, 64, 10_000, 10_000, 1_000_000, 1_000_000));
        try (InMemoryClient alice = registered("alice")) {
            String sdp = "v".repeat(4_000);
            alice.send(offer("bob", sdp, 1));
            alice.send(offer("bob", sdp, 2));
            alice.send(offer("bob", sdp, 3)); // 12 KB for bob: over the 10,000 bytes
            JsonObject error = json(alice.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(error.get("mid").getAsInt()).isEqualTo(3);
            assertThat(error.get("peer").getAsString()).isEqualTo("bob");
            assertThat(error.get("message").getAsString()).contains("held for 'bob'").contains("10000 bytes");
            alice.send(offer("carol", sdp, 4));
            assertThat(alice.poll(NOTHING)).as("other recipients still have room").isNull();

            try (InMemoryClient bob = registered("bob")) {
                assertThat(json(bob.take(WAIT)).get("mid").getAsInt()).isEqualTo(1);
                assertThat(json(bob.take(WAIT)).get("mid").getAsInt()).isEqualTo(2);
                assertThat(bob.poll(NOTHING)).as("the refused one was not held").isNull();
            }
        }
    }

    @Test
    void heldMessagesAreWeighedInUtf8NotInCharacters() {
        hub.close();
        hub = hub(new OfflineQueuePolicy(Duration.ofSeconds(5), 64, 64, 10_000, 10_000, 1_000_000, 1_000_000));
        try (InMemoryClient alice = registered("alice")) {
            String sdp = "\u00e9".repeat(3_000); // 3,000 characters, 6,000 bytes
            alice.send(offer("bob", sdp, 1));
            assertThat(alice.poll(NOTHING)).isNull();
            alice.send(offer("bob", sdp, 2));
            assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(hub.stats().heldMessages()).isEqualTo(1);
        }
    }

    @Test
    void perSenderByteBoundStopsASenderFloodingRandomIdsWithBigOffers() {
        hub.close();
        hub = hub(new OfflineQueuePolicy(Duration.ofSeconds(5), 64, 64, 10_000, 1_000_000, 10_000, 1_000_000));
        try (InMemoryClient mallory = registered("mallory");
             InMemoryClient alice = registered("alice")) {
            String sdp = "v".repeat(4_000);
            for (int i = 0; i < 5; i++) {
                mallory.send(offer("random-" + i, sdp, i));
            }
            JsonObject error = json(mallory.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(error.get("message").getAsString()).contains("from you").contains("10000 bytes");
            assertThat(json(mallory.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(hub.stats().heldMessages()).isEqualTo(2);

            alice.send(offer("random-9", sdp, 9));
            assertThat(alice.poll(NOTHING)).as("the bound is per sender").isNull();
        }
    }

    @Test
    void totalByteBoundHoldsAcrossSenders() {
        hub.close();
        hub = hub(new OfflineQueuePolicy(Duration.ofSeconds(5), 64, 64, 10_000, 1_000_000, 1_000_000, 10_000));
        try (InMemoryClient a = registered("a"); InMemoryClient b = registered("b")) {
            String sdp = "v".repeat(4_000);
            a.send(offer("x", sdp, 1));
            b.send(offer("y", sdp, 2));
            a.send(offer("z", sdp, 3));
            JsonObject error = json(a.take(WAIT));
            assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
            assertThat(error.get("message").getAsString()).contains("the server holds").contains("10000 bytes");
            assertThat(b.poll(NOTHING)).isNull();

            time.advance(Duration.ofSeconds(5)); // both expire: the room comes back
            a.drain();
            b.drain();
            a.send(offer("z", sdp, 4));
            assertThat(a.poll(NOTHING)).isNull();
            assertThat(hub.stats().heldMessages()).isEqualTo(1);
        }
    }

    @Test
    void theDefaultBoundsFitASmallHeap() {
        OfflineQueuePolicy p = OfflineQueuePolicy.DEFAULT;
        assertThat(p.maxTotalBytes()).as("held messages take at most twice their UTF-8 size in memory")
                .isLessThanOrEqualTo(32L * 1024 * 1024);
        assertThat(p.maxPerSenderBytes()).isLessThan(p.maxTotalBytes());
        assertThat(p.maxPerRecipientBytes()).as("a few offers of the longest message fit")
                .isGreaterThanOrEqualTo(4L * HubConfig.defaults().maxMessageLength());
        assertThat(new OfflineQueuePolicy(Duration.ofSeconds(1), 1, 2, 3).maxTotalBytes())
                .as("bounds by count keep the default weights").isEqualTo(p.maxTotalBytes());
        assertThat(p.withHoldFor(Duration.ZERO)).isEqualTo(OfflineQueuePolicy.DISABLED);
        assertThat(OfflineQueuePolicy.DISABLED.withHoldFor(Duration.ofSeconds(2)))
                .isEqualTo(new OfflineQueuePolicy(Duration.ofSeconds(2), 64, 64, 10_000));
    }

    @Test
    void messagesFromASenderThatLeftAreNotDeliveredLater() {
        InMemoryClient alice = registered("alice");
        alice.send(recorded("offer", 0));
        alice.close();
        assertThat(hub.stats().heldMessages()).isZero();
        try (InMemoryClient bob = registered("bob")) {
            assertThat(bob.poll(NOTHING)).as("a stale offer from a peer that left").isNull();
        }
    }

    @Test
    void disabledQueueAnswersPeerNotFoundAtOnce() {
        hub.close();
        hub = hub(OfflineQueuePolicy.DISABLED);
        try (InMemoryClient alice = registered("alice")) {
            alice.send(recorded("offer", 0));
            assertThat(json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.PEER_NOT_FOUND);
        }
    }

    @Test
    void closingTheHubCallsOffEveryTimer() {
        InMemoryClient alice = registered("alice");
        alice.send(recorded("offer", 0));
        assertThat(time.pending()).isEqualTo(1);
        hub.close();
        assertThat(time.pending()).isZero();
        assertThat(hub.stats().heldMessages()).isZero();
    }

    private InMemoryClient registered(String id) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.register();
        return c;
    }
}
