package dev.mvp.signaling.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The messages a client received and nobody has taken yet, for the blocking {@code await...} calls. A
 * waiter takes the first message that matches; the others stay for later waiters.
 */
final class Inbox {
    private final List<SignalingMessage> messages = new ArrayList<>();
    private String endedBecause; // non-null once nothing more can arrive

    synchronized void add(SignalingMessage m) {
        messages.add(m);
        notifyAll();
    }

    /** Nothing more will arrive; waiters that find nothing fail at once with {@code reason}. */
    synchronized void end(String reason) {
        endedBecause = reason;
        notifyAll();
    }

    synchronized void reopen() {
        endedBecause = null;
    }

    synchronized SignalingMessage take(Predicate<SignalingMessage> filter, Duration timeout, String owner,
                                       String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Iterator<SignalingMessage> it = messages.iterator(); it.hasNext(); ) {
                SignalingMessage m = it.next();
                if (filter.test(m)) {
                    it.remove();
                    return m;
                }
            }
            if (endedBecause != null) {
                throw new SignalingException(owner + " will receive no " + what + ": " + endedBecause + unmatched());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SignalingTimeoutException(owner + " received no " + what + " within " + timeout.toMillis()
                        + " ms" + unmatched());
            }
            try {
                long millis = Math.max(1, left / 1_000_000);
                wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SignalingException("interrupted while waiting for " + what, e);
            }
        }
    }

    synchronized List<SignalingMessage> drain() {
        List<SignalingMessage> all = new ArrayList<>(messages);
        messages.clear();
        return all;
    }

    private String unmatched() {
        if (messages.isEmpty()) {
            return "";
        }
        List<String> kinds = new ArrayList<>();
        for (SignalingMessage m : messages) {
            kinds.add(m.toString());
            if (kinds.size() == 10) {
                kinds.add("...");
                break;
            }
        }
        return "; received and not taken: " + kinds;
    }
}
