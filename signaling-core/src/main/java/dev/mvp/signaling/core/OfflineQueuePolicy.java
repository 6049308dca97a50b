package dev.mvp.signaling.core;

import java.time.Duration;

/**
 * How the hub holds messages addressed to a peer that is not connected: not yet, or for a moment (a
 * client that dropped and may resume, whose messages wait in the same place). A held message is
 * delivered, in order, right after the peer's {@code registered} confirmation; if the peer does not come
 * within {@link #holdFor}, the sender gets {@code delivery-expired}. A message that would exceed a bound
 * is refused at once with {@code queue-full}, whose message names the bound. Either way the sender hears
 * about every message that was not delivered.
 *
 * <p>What is held is bounded twice, by count and by weight: the bytes of the frames as they would be
 * sent (UTF-8). A message in memory takes at most about twice its UTF-8 size, so the total in bytes
 * bounds the heap the queue may take: 16 MiB by default, a few percent of a 256 MiB heap.
 *
 * @param holdFor how long a message waits for its recipient; {@link Duration#ZERO} turns holding off,
 *     and messages to absent peers then get {@code peer-not-found} at once
 * @param maxPerRecipient the most messages held for one recipient
 * @param maxPerSender the most messages one sender may have held, over all recipients
 * @param maxTotal the most messages held in all
 * @param maxPerRecipientBytes the most bytes held for one recipient
 * @param maxPerSenderBytes the most bytes one sender may have held, over all recipients
 * @param maxTotalBytes the most bytes held in all
 */
public record OfflineQueuePolicy(Duration holdFor, int maxPerRecipient, int maxPerSender, int maxTotal,
                                 long maxPerRecipientBytes, long maxPerSenderBytes, long maxTotalBytes) {

    /**
     * Holds for 5 s, at most 64 messages and 1 MiB per recipient, 64 messages and 1 MiB per sender,
     * 10,000 messages and 16 MiB in all.
     */
    public static final OfflineQueuePolicy DEFAULT = new OfflineQueuePolicy(Duration.ofSeconds(5), 64, 64, 10_000,
            1024 * 1024, 1024 * 1024, 16 * 1024 * 1024);

    /** No holding: messages to absent peers are answered {@code peer-not-found} at once. */
    public static final OfflineQueuePolicy DISABLED = new OfflineQueuePolicy(Duration.ZERO, 0, 0, 0, 0, 0, 0);

    /**
     * Checks the bounds.
     *
     * @param holdFor how long a message is held; zero turns holding off
     * @param maxPerRecipient the most messages held for one recipient
     * @param maxPerSender the most messages one sender may have held, over all recipients
     * @param maxTotal the most messages held in all
     * @param maxPerRecipientBytes the most bytes held for one recipient
     * @param maxPerSenderBytes the most bytes one sender may have held, over all recipients
     * @param maxTotalBytes the most bytes held in all
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
        if (!holdFor.isZero() && (maxPerRecipientBytes < 1 || maxPerSenderBytes < 1 || maxTotalBytes < 1)) {
            throw new IllegalArgumentException("queue byte bounds must be at least 1 when holding is on, were "
                    + maxPerRecipientBytes + "/" + maxPerSenderBytes + "/" + maxTotalBytes);
        }
    }

    /**
     * Bounds by count, with the {@linkplain #DEFAULT default} byte bounds.
     *
     * @param holdFor how long a message is held; zero turns holding off
     * @param maxPerRecipient the most messages held for one recipient
     * @param maxPerSender the most messages one sender may have held, over all recipients
     * @param maxTotal the most messages held in all
     */
    public OfflineQueuePolicy(Duration holdFor, int maxPerRecipient, int maxPerSender, int maxTotal) {
        this(holdFor, maxPerRecipient, maxPerSender, maxTotal,
                DEFAULT.maxPerRecipientBytes, DEFAULT.maxPerSenderBytes, DEFAULT.maxTotalBytes);
    }

    /**
     * This policy, holding for another time.
     *
     * @param holdFor how long a message is held; {@link Duration#ZERO} gives {@link #DISABLED}
     * @return the policy
     */
    public OfflineQueuePolicy withHoldFor(Duration holdFor) {
        if (holdFor != null && holdFor.isZero()) {
            return DISABLED;
        }
        OfflineQueuePolicy bounds = enabled() ? this : DEFAULT;
        return new OfflineQueuePolicy(holdFor, bounds.maxPerRecipient, bounds.maxPerSender, bounds.maxTotal,
                bounds.maxPerRecipientBytes, bounds.maxPerSenderBytes, bounds.maxTotalBytes);
    }

    /**
     * This policy with other byte bounds.
     *
     * @param perRecipient the most bytes held for one recipient
     * @param perSender the most bytes one sender may have held, over all recipients
     * @param total the most bytes held in all
     * @return the policy
     */
    public OfflineQueuePolicy withByteBounds(long perRecipient, long perSender, long total) {
        return new OfflineQueuePolicy(holdFor, maxPerRecipient, maxPerSender, maxTotal, perRecipient, perSender, total);
    }

    /** {@return whether messages are held at all} */
    public boolean enabled() {
        return !holdFor.isZero();
    }
}
