package dev.mvp.signaling.junit5;

import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything the hub of a {@link SignalingServerExtension} routed, rejected or (through a fault) dropped,
 * and every peer that registered or left, in the order it happened.
 *
 * <pre>{@code
 * server.recording().awaitRouted("alice", "answer", "bob", Duration.ofSeconds(5)); // bob received alice's answer
 * RecordedMessage first = server.recording().takeMessage(Duration.ofSeconds(5));  // the next one, in order
 * }</pre>
 *
 * <p>Two ways to read it. {@link #takeMessage} works like a queue: each call returns the next message not
 * taken yet. The {@code await...} methods search the whole recording from the start, take nothing, and wait
 * until a match shows up; use them for assertions that do not depend on order.
 *
 * <p>Each test has a recording of its own, from its start to its end: what concerns the peer ids it used
 * (through {@code url(id)}, an injected {@link Client}, or a fault it armed); a test that used none gets
 * what concerns ids no running test owns. Tests running in parallel on one server therefore never see, or erase,
 * each other's messages. Outside a test (in {@code @BeforeAll}, or without JUnit) the recording holds
 * everything since the server started.
 *
 * <p>Tokens never appear: the hub does not give them to listeners, and a top-level {@code token} field
 * a client put into a routed message is recorded as {@code "<redacted>"}. Handshake headers and query
 * strings are not recorded. Thread-safe.
 */
public final class Recording {
    private final List<RecordedMessage> messages = new ArrayList<>(); // guarded by this
    private final BitSet seen = new BitSet(); // indexes of messages a take or await returned; guarded by this
    private final List<PeerEvent> peers = new ArrayList<>(); // guarded by this
    private int taken; // guarded by this

    Recording() {}

    synchronized void add(RecordedMessage m) {
        messages.add(m);
        notifyAll();
    }

    synchronized void add(PeerEvent e) {
        peers.add(e);
        notifyAll();
    }

    static RecordedMessage routed(Envelope m) {
        return new RecordedMessage(RecordedMessage.Outcome.ROUTED, m.type(), m.from(), m.to(),
                Redaction.redact(m.frame()), null, null);
    }

    static RecordedMessage dropped(Envelope m) {
        return new RecordedMessage(RecordedMessage.Outcome.DROPPED, m.type(), m.from(), m.to(),
                Redaction.redact(m.frame()), null, null);
    }

    static RecordedMessage rejected(Rejection r) {
        return new RecordedMessage(RecordedMessage.Outcome.REJECTED, r.ref(), r.sender(), r.peer(), null, r.code(),
                r.message());
    }

    /** The rejected messages no {@code take} or {@code await} call returned: the ones the test did not expect. */
    synchronized List<RecordedMessage> unexpectedRejections() {
        List<RecordedMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!seen.get(i) && messages.get(i).outcome() == RecordedMessage.Outcome.REJECTED) {
                out.add(messages.get(i));
            }
        }
        return out;
    }

    /**
     * Waits until none of {@code ids} is in {@code present}, rechecking on each recorded event and at least
     * every 50 ms (the hub may drop an id just after telling its listeners).
     *
     * @return whether they were all gone in time
     */
    synchronized boolean awaitGone(Collection<String> ids, Supplier<? extends Collection<String>> present, Duration timeout) {
        long deadline = deadline(timeout);
        while (true) {
            Collection<String> now = present.get();
            if (ids.stream().noneMatch(now::contains)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, Math.min(50, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Every recorded message so far, oldest first.
     *
     * @return every recorded message so far, oldest first
     */
    public synchronized List<RecordedMessage> messages() {
        return List.copyOf(messages);
    }

    /**
     * Every registration and departure so far, oldest first.
     *
     * @return every registration and departure so far, oldest first
     */
    public synchronized List<PeerEvent> peerEvents() {
        return List.copyOf(peers);
    }

    /**
     * The routed messages of {@code type} from {@code from} to {@code to} so far, without waiting.
     *
     * @param from the sender's id
     * @param to the recipient's id
     * @param type the message type, e.g. {@code offer}
     * @return the routed messages of {@code type} from {@code from} to {@code to} so far, without waiting
     */
    public synchronized List<RecordedMessage> routed(String from, String type, String to) {
        return messages.stream().filter(m -> m.isRouted(from, type, to)).toList();
    }

    /**
     * The next message not taken yet, in the order the hub handled them, waiting up to {@code timeout}.
     *
     * @throws AssertionError if none came in time
     *
     * @param timeout how long to wait at most
     * @return the next message not taken yet, in the order the hub handled them, waiting up to {@code timeout}
     */
    public synchronized RecordedMessage takeMessage(Duration timeout) {
        long deadline = deadline(timeout);
        while (taken >= messages.size()) {
            waitUntil(deadline, () -> "no message was recorded within " + timeout.toMillis() + " ms after the "
                    + taken + " taken already");
        }
        seen.set(taken);
        return messages.get(taken++);
    }

    /**
     * Waits until the hub routed a message of {@code type} from {@code from} to {@code to}: "{@code to}
     * received {@code type} from {@code from}". Searches the whole recording; takes nothing.
     *
     * @return the first such message
     * @throws AssertionError listing what was recorded, if none came in time
     *
     * @param from the sender's id
     * @param timeout how long to wait at most
     * @param to the recipient's id
     * @param type the message type, e.g. {@code offer}
     */
    public RecordedMessage awaitRouted(String from, String type, String to, Duration timeout) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(to, "to");
        return awaitMessage(m -> m.isRouted(from, type, to), "'" + type + "' routed from " + from + " to " + to,
                timeout);
    }

    /**
     * Waits until a message from {@code sender} was rejected with {@code code}; see {@link #awaitRouted}.
     *
     * @param code the error code
     * @param sender the sender's id
     * @param timeout how long to wait at most
     * @return the recorded rejection
     */
    public RecordedMessage awaitRejected(String sender, String code, Duration timeout) {
        return awaitMessage(m -> m.outcome() == RecordedMessage.Outcome.REJECTED && code.equals(m.code())
                && Objects.equals(sender, m.from()), "a message from " + sender + " rejected with " + code, timeout);
    }

    /**
     * Waits until a fault dropped a message to {@code to}; see {@link #awaitRouted}.
     *
     * @param timeout how long to wait at most
     * @param to the recipient's id
     * @return the recorded dropped message
     */
    public RecordedMessage awaitDropped(String to, Duration timeout) {
        return awaitMessage(m -> m.outcome() == RecordedMessage.Outcome.DROPPED && to.equals(m.to()),
                "a message to " + to + " dropped", timeout);
    }

    /**
     * Waits until a recorded message matches {@code filter}; see {@link #awaitRouted}.
     *
     * @param filter what the message must match
     * @param timeout how long to wait at most
     * @return the first recorded message that matches
     */
    public RecordedMessage awaitMessage(Predicate<RecordedMessage> filter, Duration timeout) {
        return awaitMessage(filter, "a matching message", timeout);
    }

    /**
     * Waits until {@code id} registered at least {@code count} times in this recording (so 2 means it came
     * back once after leaving).
     *
     * @param count how many to wait for
     * @param id the peer id
     * @param timeout how long to wait at most
     */
    public synchronized void awaitRegistrations(String id, int count, Duration timeout) {
        long deadline = deadline(timeout);
        while (registrations(id) < count) {
            waitUntil(deadline, () -> id + " registered " + registrations(id) + " times, not " + count + ", within "
                    + timeout.toMillis() + " ms; peer events: " + peers);
        }
    }

    /**
     * Waits until {@code id} left (its connection ended) at least once in this recording.
     *
     * @param id the peer id
     * @param timeout how long to wait at most
     * @return the recorded departure
     */
    public synchronized PeerEvent awaitLeft(String id, Duration timeout) {
        long deadline = deadline(timeout);
        while (true) {
            for (PeerEvent e : peers) {
                if (e.kind() == PeerEvent.Kind.LEFT && e.id().equals(id)) {
                    return e;
                }
            }
            waitUntil(deadline, () -> id + " did not leave within " + timeout.toMillis() + " ms; peer events: " + peers);
        }
    }

    /**
     * How many times {@code id} registered in this recording.
     *
     * @param id the peer id
     * @return how many times {@code id} registered in this recording
     */
    public synchronized int registrations(String id) {
        int n = 0;
        for (PeerEvent e : peers) {
            if (e.kind() == PeerEvent.Kind.REGISTERED && e.id().equals(id)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized String toString() {
        return "Recording" + messages + " " + peers;
    }

    private synchronized RecordedMessage awaitMessage(Predicate<RecordedMessage> filter, String what, Duration timeout) {
        long deadline = deadline(timeout);
        while (true) {
            for (int i = 0; i < messages.size(); i++) {
                RecordedMessage m = messages.get(i);
                if (filter.test(m)) {
                    seen.set(i);
                    return m;
                }
            }
            waitUntil(deadline, () -> "no " + what + " was recorded within " + timeout.toMillis()
                    + " ms; recorded: " + messages);
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + Objects.requireNonNull(timeout, "timeout").toNanos();
    }

    /** Waits for the next recorded event, or fails with {@code failure} once the deadline has passed. */
    private void waitUntil(long deadline, Supplier<String> failure) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError(failure.get());
        }
        try {
            wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
