package dev.mvp.signaling.core;

/**
 * A token bucket per connection: {@code burst} messages at once, refilled at {@code perSecond}. A
 * message over the limit is answered {@code rate-limited} and not handled; a client that sends
 * {@code burst} more messages while limited is closed with {@link CloseCodes#POLICY_VIOLATION}.
 *
 * @param perSecond sustained messages per second; 0 turns the limit off
 * @param burst messages allowed at once
 */
public record RateLimit(double perSecond, int burst) {

    /** 50 messages per second, bursts of 200: a WebRTC handshake is a few dozen messages. */
    public static final RateLimit DEFAULT = new RateLimit(50, 200);

    /** No limit. */
    public static final RateLimit UNLIMITED = new RateLimit(0, 0);

    /**
     * Checks the limit.
     *
     * @param perSecond sustained messages per second; 0 turns the limit off
     * @param burst messages allowed at once
     * @throws IllegalArgumentException if {@code perSecond} is negative, or {@code burst} is below 1 while limited
     */
    public RateLimit {
        if (perSecond < 0 || Double.isNaN(perSecond) || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("perSecond must be >= 0 and burst >= 1 when limited, were "
                    + perSecond + "/" + burst);
        }
    }

    /** {@return whether messages are limited at all} */
    public boolean enabled() {
        return perSecond > 0;
    }
}
