package dev.mvp.signaling.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether and when a {@link SignalingClient} reconnects after its connection ends without
 * {@link SignalingClient#close()}. Attempt {@code n} (from 1) waits {@code initialDelay * 2^(n-1)}, at most
 * {@code maxDelay}, shortened by a random fraction up to the jitter so that many clients dropped at once
 * do not all come back at the same instant. After a successful re-registration the count starts again.
 *
 * <p>The client does not reconnect after a close for policy reasons (code 1008: refused token, register
 * timeout) or after being replaced by a newer connection with its id (4001), and stops when the server
 * refuses its token on a reconnect. Immutable.
 */
public final class ReconnectPolicy {
    private static final ReconnectPolicy NONE = new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 0, 0.0);

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final int maxAttempts;
    private final double jitter;

    private ReconnectPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts, double jitter) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.maxAttempts = maxAttempts;
        this.jitter = jitter;
    }

    /** {@return never reconnect: the default} */
    public static ReconnectPolicy none() {
        return NONE;
    }

    /**
     * {@return reconnect with exponential backoff, without limit on attempts and with 20% jitter}
     *
     * @param initialDelay the wait before the first attempt; positive
     * @param maxDelay the longest wait between attempts; at least {@code initialDelay}
     */
    public static ReconnectPolicy exponentialBackoff(Duration initialDelay, Duration maxDelay) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isZero() || initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must be positive, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must be at least initialDelay (" + initialDelay
                    + "), was " + maxDelay);
        }
        return new ReconnectPolicy(initialDelay, maxDelay, Integer.MAX_VALUE, 0.2);
    }

    /**
     * {@return this policy, giving up after {@code attempts} failed attempts in a row; at least 1}
     *
     * @param attempts the most failed attempts in a row; at least 1
     */
    public ReconnectPolicy withMaxAttempts(int attempts) {
        requireEnabled();
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
        }
        return new ReconnectPolicy(initialDelay, maxDelay, attempts, jitter);
    }

    /**
     * {@return this policy with a jitter between 0 (none: delays are exact) and 1 (a delay may shrink to zero)}
     *
     * @param fraction the jitter, from 0 to 1
     */
    public ReconnectPolicy withJitter(double fraction) {
        requireEnabled();
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + fraction);
        }
        return new ReconnectPolicy(initialDelay, maxDelay, maxAttempts, fraction);
    }

    /** {@return whether this policy reconnects at all} */
    public boolean isEnabled() {
        return maxAttempts > 0;
    }

    /** {@return the most failed attempts in a row before giving up; 0 when disabled} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * {@return the wait before attempt {@code attempt} (from 1), jitter applied}
     *
     * @param attempt the attempt's number, from 1
     */
    public Duration delayBefore(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, was " + attempt);
        }
        long base = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        long delay = base;
        for (int i = 1; i < attempt && delay < max; i++) {
            delay = delay > max / 2 ? max : delay * 2;
        }
        delay = Math.min(delay, max);
        if (jitter > 0) {
            delay -= (long) (delay * jitter * ThreadLocalRandom.current().nextDouble());
        }
        return Duration.ofNanos(delay);
    }

    private void requireEnabled() {
        if (!isEnabled()) {
            throw new IllegalStateException("ReconnectPolicy.none() cannot be tuned; start from exponentialBackoff(...)");
        }
    }

    @Override
    public String toString() {
        if (!isEnabled()) {
            return "ReconnectPolicy[none]";
        }
        return "ReconnectPolicy[exponential " + initialDelay.toMillis() + " ms..." + maxDelay.toMillis() + " ms"
                + ", jitter " + jitter + ", " + (maxAttempts == Integer.MAX_VALUE ? "unlimited" : maxAttempts)
                + " attempts]";
    }
}
