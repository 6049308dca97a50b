package dev.mvp.signaling.core;

/**
 * How fast one connection may send. Every frame the client sends counts, whatever it is: text (valid or
 * not, too long or not), binary, ping and pong.
 *
 * <p>The rule, exactly:
 * <ul>
 *   <li>Each connection has a bucket of {@code burst} tokens, refilled continuously at {@code perSecond}
 *       and never above {@code burst}. Each frame takes one token.</li>
 *   <li>A frame that finds less than one token is refused: it is answered {@code rate-limited} and not
 *       handled. Each refusal adds one strike.</li>
 *   <li>Strikes fade continuously at a tenth of the rate ({@code perSecond / 10} per second, see
 *       {@link #strikeFadePerSecond()}); allowed frames do not clear them.</li>
 *   <li>A connection whose strikes pass {@code burst} is closed with {@link CloseCodes#POLICY_VIOLATION}.</li>
 * </ul>
 * So a client that stays at or under {@code perSecond} on average, in bursts of up to {@code burst}, is
 * never refused; one that keeps sending more than 1.1 times the rate is closed, the sooner the faster it
 * sends; one just over the rate is refused now and then but stays. With the default (50/s, bursts of 200)
 * a flood of 1,000 frames per second is closed after about 400 frames, 200 of them refused; a whole burst
 * more than allowed at once is closed at once.
 *
 * @param perSecond sustained frames per second; 0 turns the limit off
 * @param burst frames allowed at once, and the strikes tolerated
 */
public record RateLimit(double perSecond, int burst) {

    /** 50 frames per second, bursts of 200: a WebRTC handshake is a few dozen messages. */
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
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)
                || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("perSecond must be >= 0 and burst >= 1 when limited, were "
                    + perSecond + "/" + burst);
        }
    }

    /** {@return whether messages are limited at all} */
    public boolean enabled() {
        return perSecond > 0;
    }

    /** {@return how fast strikes fade, per second: a tenth of {@link #perSecond()}} */
    public double strikeFadePerSecond() {
        return perSecond / 10;
    }
}
