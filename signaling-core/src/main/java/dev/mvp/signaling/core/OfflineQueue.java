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
        /** Who to tell; changes (under the queue's lock) when the sender's client moves to a new connection. */
        volatile LocalSession sender;
        volatile Scheduler.Cancellable expiry;

        Held(Envelope envelope, LocalSession sender) {
            this.envelope = envelope;
            this.sender = sender;
        }
    }

    /** What {@link #hold} did. */
    enum Outcome { HELD, RECIPIENT_ARRIVED, FULL }

    private final OfflineQueuePolicy policy;
    private final Scheduler scheduler;
    private final Consumer<Held> onExpiry;
    private final Map<String, ArrayDeque<Held>> byRecipient = new HashMap<>();
    private final Map<LocalSession, Integer> bySender = new HashMap<>();
    private int total;

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
        Held held = new Held(envelope, sender);
        boolean full;
        synchronized (this) {
            ArrayDeque<Held> queue = byRecipient.get(envelope.to());
            int fromSender = bySender.getOrDefault(sender, 0);
            full = total >= policy.maxTotal() || fromSender >= policy.maxPerSender()
                    || (queue != null && queue.size() >= policy.maxPerRecipient());
            if (!full) {
                byRecipient.computeIfAbsent(envelope.to(), k -> new ArrayDeque<>()).add(held);
                bySender.put(sender, fromSender + 1);
                total++;
            }
        }
        if (present(envelope.to(), directory) && (full || remove(held))) {
            return Outcome.RECIPIENT_ARRIVED;
        }
        if (full) {
            return Outcome.FULL;
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
                    }
                }
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
            bySender.remove(sender);
            total -= dropped.size();
        }
        dropped.forEach(OfflineQueue::cancel);
        return dropped.size();
    }

    /**
     * Makes {@code successor} the sender of what {@code sender} has held: the same client came back on a
     * new connection (resume or replacement), so it is the one to tell, and the one to discard them with.
     */
    synchronized void transferSender(LocalSession sender, LocalSession successor) {
        Integer count = bySender.remove(sender);
        if (count == null) {
            return;
        }
        for (ArrayDeque<Held> queue : byRecipient.values()) {
            for (Held h : queue) {
                if (h.sender == sender) {
                    h.sender = successor;
                }
            }
        }
        bySender.merge(successor, count, Integer::sum);
    }

    /** How many messages are held now. */
    synchronized int size() {
        return total;
    }

    /** Calls off every timer and forgets everything; returns what was held, for bouncing. */
    List<Held> clear() {
        List<Held> all = new ArrayList<>();
        synchronized (this) {
            byRecipient.values().forEach(all::addAll);
            byRecipient.clear();
            bySender.clear();
            total = 0;
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

    /** Updates the counters for a message leaving the queue; the caller holds the lock. */
    private void forget(Held h) {
        total--;
        bySender.computeIfPresent(h.sender, (k, n) -> n == 1 ? null : n - 1);
    }

    private static void cancel(Held h) {
        Scheduler.Cancellable timer = h.expiry;
        if (timer != null) {
            timer.cancel();
        }
    }
}
