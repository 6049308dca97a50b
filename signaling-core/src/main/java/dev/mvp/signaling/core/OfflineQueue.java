package dev.mvp.signaling.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Messages waiting for a recipient that is not connected. One lock guards everything; it is taken only
 * for messages to absent peers and at registration, never on the path between two connected peers, and
 * never while calling a transport, the directory or the scheduler.
 */
final class OfflineQueue {

    /** A held message and who to tell if it is never delivered. */
    static final class Held {
        final Envelope envelope;
        /** Its weight: the frame's size in UTF-8. */
        final long bytes;
        /** Who to tell; changes (under the queue's lock) when the sender's client moves to a new connection. */
        volatile LocalSession sender;
        volatile Scheduler.Cancellable expiry;

        Held(Envelope envelope, long bytes, LocalSession sender) {
            this.envelope = envelope;
            this.bytes = bytes;
            this.sender = sender;
        }
    }

    /** What is held for one recipient, or from one sender: a count and a weight. Guarded by the queue's lock. */
    private static final class Tally {
        int count;
        long bytes;
    }

    /** What {@link #hold} did: held it, found the recipient there after all, or which bound refused it. */
    enum Outcome {
        HELD, RECIPIENT_ARRIVED,
        MESSAGES_FOR_RECIPIENT, BYTES_FOR_RECIPIENT, MESSAGES_FROM_SENDER, BYTES_FROM_SENDER,
        MESSAGES_IN_TOTAL, BYTES_IN_TOTAL;

        /** The end of the sentence that tells a sender why its message to {@code to} was not held. */
        String refusal(String to, OfflineQueuePolicy p) {
            return switch (this) {
                case MESSAGES_FOR_RECIPIENT -> p.maxPerRecipient() + " messages are held for '" + to + "' already";
                case BYTES_FOR_RECIPIENT -> "the messages held for '" + to + "' would pass "
                        + p.maxPerRecipientBytes() + " bytes";
                case MESSAGES_FROM_SENDER -> p.maxPerSender() + " messages from you are held already";
                case BYTES_FROM_SENDER -> "the messages held from you would pass " + p.maxPerSenderBytes() + " bytes";
                case MESSAGES_IN_TOTAL -> "the server holds its maximum of " + p.maxTotal() + " messages";
                case BYTES_IN_TOTAL -> "the messages the server holds would pass " + p.maxTotalBytes() + " bytes";
                default -> throw new IllegalStateException(this + " is not a refusal");
            };
        }
    }

    private final OfflineQueuePolicy policy;
    private final Scheduler scheduler;
    private final Consumer<Held> onExpiry;
    private final Map<String, ArrayDeque<Held>> byRecipient = new HashMap<>();
    private final Map<String, Tally> recipientTally = new HashMap<>();
    private final Map<LocalSession, Tally> bySender = new HashMap<>();
    private int total;
    private long totalBytes;

    OfflineQueue(OfflineQueuePolicy policy, Scheduler scheduler, Consumer<Held> onExpiry) {
        this.policy = policy;
        this.scheduler = scheduler;
        this.onExpiry = onExpiry;
    }

    /**
     * Holds {@code envelope} unless its recipient became reachable meanwhile (then the caller delivers
     * it) or a bound would be exceeded.
     */
    Outcome hold(Envelope envelope, LocalSession sender, PeerDirectory directory) {
        // The directory is asked outside the lock (it may be remote, and no hub lock is held while calling
        // it), before the message is queued and again after: a registration drains after its id became
        // visible, so the message is either seen by that drain or taken back here, never neither.
        if (present(envelope.to(), directory)) {
            return Outcome.RECIPIENT_ARRIVED;
        }
        long bytes = utf8Length(envelope.frame()); // outside the lock: it reads the whole frame
        Held held = new Held(envelope, bytes, sender);
        Outcome refusal;
        synchronized (this) {
            refusal = refusal(envelope.to(), sender, bytes);
            if (refusal == null) {
                byRecipient.computeIfAbsent(envelope.to(), k -> new ArrayDeque<>()).add(held);
                add(recipientTally.computeIfAbsent(envelope.to(), k -> new Tally()), held);
                add(bySender.computeIfAbsent(sender, k -> new Tally()), held);
                total++;
                totalBytes += bytes;
            }
        }
        if (present(envelope.to(), directory) && (refusal != null || remove(held))) {
            return Outcome.RECIPIENT_ARRIVED;
        }
        if (refusal != null) {
            return refusal;
        }
        // A drain that runs before the timer is stored cannot cancel it; the timer then finds the
        // message gone and does nothing.
        held.expiry = scheduler.schedule(policy.holdFor(), () -> {
            if (remove(held)) {
                onExpiry.accept(held);
            }
        });
        return Outcome.HELD;
    }

    private static boolean present(String id, PeerDirectory directory) {
        Peer peer = directory.get(id);
        return peer != null && peer.isConnected();
    }

    /** The bound that {@code bytes} more from {@code sender} to {@code to} would pass, or null; under the lock. */
    private Outcome refusal(String to, LocalSession sender, long bytes) {
        Tally forRecipient = recipientTally.get(to);
        Tally fromSender = bySender.get(sender);
        if (forRecipient != null && forRecipient.count >= policy.maxPerRecipient()) {
            return Outcome.MESSAGES_FOR_RECIPIENT;
        }
        if ((forRecipient == null ? 0 : forRecipient.bytes) + bytes > policy.maxPerRecipientBytes()) {
            return Outcome.BYTES_FOR_RECIPIENT;
        }
        if (fromSender != null && fromSender.count >= policy.maxPerSender()) {
            return Outcome.MESSAGES_FROM_SENDER;
        }
        if ((fromSender == null ? 0 : fromSender.bytes) + bytes > policy.maxPerSenderBytes()) {
            return Outcome.BYTES_FROM_SENDER;
        }
        if (total >= policy.maxTotal()) {
            return Outcome.MESSAGES_IN_TOTAL;
        }
        if (totalBytes + bytes > policy.maxTotalBytes()) {
            return Outcome.BYTES_IN_TOTAL;
        }
        return null;
    }

    /**
     * Takes every message held for {@code id}, oldest first. Call after the recipient became visible in
     * the directory, so no message can be held for it afterwards.
     */
    List<Held> drain(String id) {
        List<Held> taken;
        synchronized (this) {
            ArrayDeque<Held> queue = byRecipient.remove(id);
            if (queue == null) {
                return List.of();
            }
            taken = new ArrayList<>(queue);
            for (Held h : taken) {
                forget(h);
            }
        }
        taken.forEach(OfflineQueue::cancel);
        return taken;
    }

    /** Discards what {@code sender} has held: it left for good, and nobody wants its stale offers. */
    int discardFrom(LocalSession sender) {
        List<Held> dropped = new ArrayList<>();
        synchronized (this) {
            if (!bySender.containsKey(sender)) {
                return 0;
            }
            for (Iterator<ArrayDeque<Held>> it = byRecipient.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Held> queue = it.next();
                for (Iterator<Held> q = queue.iterator(); q.hasNext(); ) {
                    Held h = q.next();
                    if (h.sender == sender) {
                        q.remove();
                        dropped.add(h);
                        forget(h);
                    }
                }
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
        }
        dropped.forEach(OfflineQueue::cancel);
        return dropped.size();
    }

    /**
     * Makes {@code successor} the sender of what {@code sender} has held: the same client came back on a
     * new connection (resume or replacement), so it is the one to tell, and the one to discard them with.
     */
    synchronized void transferSender(LocalSession sender, LocalSession successor) {
        Tally moved = bySender.remove(sender);
        if (moved == null) {
            return;
        }
        for (ArrayDeque<Held> queue : byRecipient.values()) {
            for (Held h : queue) {
                if (h.sender == sender) {
                    h.sender = successor;
                }
            }
        }
        Tally into = bySender.computeIfAbsent(successor, k -> new Tally());
        into.count += moved.count;
        into.bytes += moved.bytes;
    }

    /** How many messages are held now. */
    synchronized int size() {
        return total;
    }

    /** How many bytes (UTF-8) are held now. */
    synchronized long bytes() {
        return totalBytes;
    }

    /** Calls off every timer and forgets everything; returns what was held, for bouncing. */
    List<Held> clear() {
        List<Held> all = new ArrayList<>();
        synchronized (this) {
            byRecipient.values().forEach(all::addAll);
            byRecipient.clear();
            recipientTally.clear();
            bySender.clear();
            total = 0;
            totalBytes = 0;
        }
        all.forEach(OfflineQueue::cancel);
        return all;
    }

    private boolean remove(Held held) {
        synchronized (this) {
            ArrayDeque<Held> queue = byRecipient.get(held.envelope.to());
            if (queue == null || !queue.remove(held)) {
                return false;
            }
            if (queue.isEmpty()) {
                byRecipient.remove(held.envelope.to());
            }
            forget(held);
            return true;
        }
    }

    private static void add(Tally t, Held h) {
        t.count++;
        t.bytes += h.bytes;
    }

    /** Updates the counters for a message leaving the queue; the caller holds the lock. */
    private void forget(Held h) {
        total--;
        totalBytes -= h.bytes;
        subtract(recipientTally, h.envelope.to(), h);
        subtract(bySender, h.sender, h);
    }

    private static <K> void subtract(Map<K, Tally> tallies, K key, Held h) {
        Tally t = tallies.get(key);
        if (t != null && --t.count == 0) {
            tallies.remove(key);
        } else if (t != null) {
            t.bytes -= h.bytes;
        }
    }

    /** The size of {@code s} in UTF-8, without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
    static long utf8Length(String s) {
        long n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    n += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 2; // four bytes for the two chars of the pair
                    i++;
                } else {
                    n += 2;
                }
            }
        }
        return n;
    }

    private static void cancel(Held h) {
        Scheduler.Cancellable timer = h.expiry;
        if (timer != null) {
            timer.cancel();
        }
    }
}
