package dev.mvp.signaling.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rate limit's rule, as {@link RateLimit} writes it down, on a clock that moves only when the test
 * says: every kind of frame counts, a paced flood is closed whatever its pace, a client at the limit is
 * never refused.
 */
class RateLimitRuleTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final String PING = "{\"type\":\"ping\"}";

    private final ManualScheduler time = new ManualScheduler();
    private final RateLimit limit = RateLimit.DEFAULT;

    private SignalingHub hub() {
        return new SignalingHub(HubConfig.builder().scheduler(time).rateLimit(limit).registerTimeout(Duration.ZERO)
                .maxMessageLength(1024).build());
    }

    @ParameterizedTest(name = "{0} frames per second")
    @ValueSource(ints = {100, 1_000, 2_000, 5_000, 20_000})
    void aPacedFloodIsClosedWithPolicyViolationWhateverItsPace(int perSecond) {
        try (SignalingHub hub = hub(); InMemoryClient flooder = registered(hub, "flooder")) {
            int sent = pace(flooder, perSecond, 100_000, c -> c.send(PING));

            assertThat(flooder.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(hub.stats().errors(ErrorCodes.RATE_LIMITED))
                    .as("refused about a burst's worth, not for as long as the flood lasts")
                    .isBetween((long) limit.burst() + 1, limit.burst() * 5L / 4);
            assertThat(sent).isLessThan(20 * limit.burst());
        }
    }

    @Test
    void aFloodOfAThousandPerSecondIsClosedAfterAboutFourHundredFrames() {
        // the figure RateLimit's Javadoc gives for the default
        try (SignalingHub hub = hub(); InMemoryClient flooder = registered(hub, "flooder")) {
            int sent = pace(flooder, 1_000, 100_000, c -> c.send(PING));
            assertThat(flooder.isOpen()).isFalse();
            assertThat(sent).isBetween(380, 440);
        }
    }

    @Test
    void everyKindOfFrameCountsAndAFloodOfAnyKindIsClosed() {
        String tooLong = "{\"type\":\"ping\",\"mid\":\"" + "x".repeat(2000) + "\"}";
        String notJson = "{\"type\":";
        String unknown = "{\"type\":\"shout\",\"to\":\"bob\"}";
        for (Consumer<InMemoryClient> frame : java.util.List.<Consumer<InMemoryClient>>of(
                c -> c.sendBinary(3), InMemoryClient::sendControlFrame, c -> c.send(tooLong),
                c -> c.send(notJson), c -> c.send(unknown))) {
            try (SignalingHub hub = hub(); InMemoryClient flooder = registered(hub, "flooder")) {
                pace(flooder, 1_000, 10_000, frame);
                assertThat(flooder.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
                assertThat(hub.stats().errors(ErrorCodes.RATE_LIMITED)).isBetween((long) limit.burst() + 1, limit.burst() * 5L / 4);
            }
        }
    }

    @Test
    void pingsAndPongsOverTheLimitAreAnsweredRateLimited() {
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).rateLimit(new RateLimit(10, 5))
                .build()); InMemoryClient alice = registered(hub, "alice")) {
            for (int i = 0; i < 4; i++) { // register took one token
                alice.sendControlFrame();
            }
            assertThat(alice.poll(Duration.ofMillis(20))).as("a control frame within the limit gets no answer").isNull();
            alice.sendControlFrame();
            assertThat(TestFrames.json(alice.take(WAIT)).get("code").getAsString()).isEqualTo(ErrorCodes.RATE_LIMITED);
            alice.send(PING);
            assertThat(TestFrames.json(alice.take(WAIT)).get("code").getAsString())
                    .as("the control frames took the tokens a text needs").isEqualTo(ErrorCodes.RATE_LIMITED);
            time.advance(Duration.ofMillis(100));
            alice.send(PING);
            assertThat(TestFrames.type(alice.take(WAIT))).isEqualTo("pong");
        }
    }

    @Test
    void aClientAtTheLimitIsNeverRefusedSteadyOrInWholeBursts() {
        try (SignalingHub hub = hub(); InMemoryClient steady = registered(hub, "steady");
             InMemoryClient bursty = registered(hub, "bursty")) {
            for (int second = 0; second < 120; second++) {
                for (int i = 0; i < limit.perSecond(); i++) {
                    steady.send(PING);
                    time.advance(Duration.ofNanos((long) (1e9 / limit.perSecond())));
                }
                steady.drain();
            }
            Duration refill = Duration.ofNanos((long) (1e9 * limit.burst() / limit.perSecond()));
            bursty.send(PING); // with the register, one whole burst
            for (int burst = 0; burst < 30; burst++) {
                time.advance(refill);
                for (int i = 0; i < limit.burst(); i++) {
                    bursty.send(PING);
                }
                bursty.drain();
            }
            assertThat(hub.stats().errors(ErrorCodes.RATE_LIMITED)).isZero();
            assertThat(steady.isOpen()).isTrue();
            assertThat(bursty.isOpen()).isTrue();
        }
    }

    @Test
    void aClientJustOverTheLimitIsRefusedNowAndThenButStays() {
        try (SignalingHub hub = hub(); InMemoryClient eager = registered(hub, "eager")) {
            pace(eager, 52, 52 * 300, c -> c.send(PING)); // out of tokens after 100 s
            assertThat(hub.stats().errors(ErrorCodes.RATE_LIMITED)).isPositive();
            assertThat(eager.isOpen()).isTrue();
        }
    }

    @Test
    void aFloodTwentyPercentOverTheLimitIsClosedInTheEnd() {
        try (SignalingHub hub = hub(); InMemoryClient flooder = registered(hub, "flooder")) {
            pace(flooder, 60, 60 * 600, c -> c.send(PING));
            assertThat(flooder.awaitClose(WAIT).code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        }
    }

    /**
     * Sends a frame every {@code 1/perSecond} seconds of the manual clock until the client is closed or
     * {@code max} frames went out, reading what comes back; returns how many went out.
     */
    private int pace(InMemoryClient c, double perSecond, int max, Consumer<InMemoryClient> frame) {
        Duration gap = Duration.ofNanos(Math.round(1e9 / perSecond));
        int sent = 0;
        while (c.isOpen() && sent < max) {
            frame.accept(c);
            sent++;
            time.advance(gap);
            if (sent % 1000 == 0) {
                c.drain();
            }
        }
        return sent;
    }

    private static InMemoryClient registered(SignalingHub hub, String id) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.register();
        return c;
    }
}
