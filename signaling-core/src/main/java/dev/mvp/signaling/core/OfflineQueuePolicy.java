package dev.mvp.signaling.core;

import java.time.Duration;

/**
 * How the hub holds messages addressed to a peer that is not connected (yet, or for a moment). A held
 * message is delivered, in order, right after the peer's {@code registered} confirmation; if the peer
 * does not come within {@link #holdFor}, the sender gets {@code delivery-expired}. A message that would
 * exceed a bound is refused at once with {@code queue-full}. Either way the sender hears about every
 * message that was not delivered.
 *
 * @param holdFor how long a message waits for its recipient; {@link Duration#ZERO} turns holding off,
 *     and messages to absent peers then get {@code peer-not-found} at once
 * @param maxPerRecipient the most messages held for one recipient
 * @param maxPerSender the most messages one sender may have held, over all recipients
 * @param maxTotal the most messages held in all
 */
public record OfflineQueuePolicy(Duration holdFor, int maxPerRecipient, int maxPerSender, int maxTotal) {

    /** Holds for 5 s, at most 64 per recipient, 64 per sender, 10,000 in all. */
    public static final OfflineQueuePolicy DEFAULT = new OfflineQueuePolicy(Duration.ofSeconds(5), 64, 64, 10_000);

    /** No holding: messages to absent peers are answered {@code peer-not-found} at once. */
    public static final OfflineQueuePolicy DISABLED = new OfflineQueuePolicy(Duration.ZERO, 0, 0, 0);

    /**
     * Checks the bounds.
     *
     * @param holdFor how long a message is held; zero turns holding off
     * @param maxPerRecipient the most messages held for one recipient
     * @param maxPerSender the most messages one sender may have held, over all recipients
     * @param maxTotal the most messages held in all
     * @throws IllegalArgumentException if {@code holdFor} is null or negative, or a bound is below 1 while
     *     holding is on
     */
    public OfflineQueuePolicy {
        if (holdFor == null || holdFor.isNegative()) {
            throw new IllegalArgumentException("holdFor must be zero or positive, was " + holdFor);
        }
        if (!holdFor.isZero() && (maxPerRecipient < 1 || maxPerSender < 1 || maxTotal < 1)) {
            throw new IllegalArgumentException("queue bounds must be at least 1 when holding is on, were "
                    + maxPerRecipient + "/" + maxPerSender + "/" + maxTotal);
        }
    }

    /** {@return whether messages are held at all} */
    public boolean enabled() {
        return !holdFor.isZero();
    }
}
