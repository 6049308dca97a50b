package dev.mvp.signaling.junit5;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.SignalingHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Deliberate, test-only faults, so an agent's recovery code can be tested: disconnect a peer, drop or
 * delay the next message to a peer. Messages pass through a hub interceptor placed after any interceptor
 * of your own configuration; a fault arms once and fires once, on the first routable message (offer,
 * answer, candidate, bye, extra types) that matches, in the order faults were armed.
 *
 * <pre>{@code
 * server.faults().dropNextMessageTo("bob", "answer");   // bob never sees alice's first answer
 * server.faults().disconnect("alice");                  // alice's connection drops, as on a lost network
 * }</pre>
 *
 * <p>Faults belong to the test that armed them: armed in a test, they claim the recipient's id for that
 * test (as {@code url(id)} does) and are forgotten when it ends, so tests running in parallel on one server
 * cannot fire each other's faults. Thread-safe.
 */
public final class Faults {
    private final Supplier<SignalingHub> hub;
    private final Consumer<String> claim;
    private final List<Armed> armed = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    Faults(Supplier<SignalingHub> hub, Consumer<String> claim) {
        this.hub = hub;
        this.claim = claim;
    }

    /**
     * Drops {@code id}'s connection without a close handshake, as a lost network would: the client sees
     * close code 1006, and the peers it talked to get a {@code bye} with {@code "reason":"disconnected"}.
     *
     * @param id the registered peer's id
     * @throws IllegalArgumentException if no peer {@code id} is registered
     */
    public void disconnect(String id) {
        disconnect(id, CloseCodes.ABNORMAL, "");
    }

    /**
     * Closes {@code id}'s connection with a close code and reason of your choosing, e.g.
     * {@link CloseCodes#GOING_AWAY} to look like a server restart.
     *
     * @param id the registered peer's id
     * @param code the close code
     * @param reason the close reason
     * @throws IllegalArgumentException if no peer {@code id} is registered
     */
    public void disconnect(String id, int code, String reason) {
        if (!hub.get().disconnect(id, code, reason)) {
            throw new IllegalArgumentException("cannot disconnect '" + id + "': no such peer is registered; "
                    + "registered: " + hub.get().peerIds());
        }
    }

    /**
     * Drops the next message of any type to {@code to}. Nobody is told; the recording shows it as DROPPED.
     *
     * @param to the recipient's id
     */
    public void dropNextMessageTo(String to) {
        arm(new Armed(to, null, Action.DROP, null, null));
    }

    /**
     * Drops the next message of {@code type} to {@code to}.
     *
     * @param to the recipient's id
     * @param type the message type, e.g. {@code offer}
     */
    public void dropNextMessageTo(String to, String type) {
        arm(new Armed(to, Objects.requireNonNull(type, "type"), Action.DROP, null, null));
    }

    /**
     * Delays the next message to {@code to} by {@code delay} on a timer thread; messages sent meanwhile
     * overtake it. For full control of the moment, use {@link #holdNextMessageTo}.
     *
     * @param to the recipient's id
     * @param delay how long to hold the message back
     */
    public void delayNextMessageTo(String to, Duration delay) {
        arm(new Armed(to, null, Action.DELAY, requirePositive(delay), null));
    }

    /**
     * Delays the next message of {@code type} to {@code to} by {@code delay}.
     *
     * @param to the recipient's id
     * @param type the message type, e.g. {@code offer}
     * @param delay how long to hold the message back
     */
    public void delayNextMessageTo(String to, String type, Duration delay) {
        arm(new Armed(to, Objects.requireNonNull(type, "type"), Action.DELAY, requirePositive(delay), null));
    }

    /**
     * Holds the next message to {@code to} until the test calls {@link HeldMessage#release()}.
     *
     * @param to the recipient's id
     * @return the handle that shows and releases the held message
     */
    public HeldMessage holdNextMessageTo(String to) {
        HeldMessage h = new HeldMessage(Objects.requireNonNull(to, "to"), null);
        arm(new Armed(to, null, Action.HOLD, null, h));
        return h;
    }

    /**
     * Holds the next message of {@code type} to {@code to} until the test releases it.
     *
     * @param to the recipient's id
     * @param type the message type, e.g. {@code offer}
     * @return the handle that shows and releases the held message
     */
    public HeldMessage holdNextMessageTo(String to, String type) {
        HeldMessage h = new HeldMessage(Objects.requireNonNull(to, "to"), Objects.requireNonNull(type, "type"));
        arm(new Armed(to, type, Action.HOLD, null, h));
        return h;
    }

    /** {@return the faults armed and not fired yet, for a test to check none was left unused} */
    public synchronized int armedCount() {
        return armed.size();
    }

    /** Forgets every armed fault that has not fired. Held messages stay held. */
    public synchronized void disarmAll() {
        armed.clear();
    }

    /** Removes and returns the first armed fault that matches {@code message}, or {@code null}. */
    synchronized Armed take(Envelope message) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.to.equals(message.to()) && (a.type == null || a.type.equals(message.type()))) {
                it.remove();
                return a;
            }
        }
        return null;
    }

    private void arm(Armed fault) {
        Objects.requireNonNull(fault.to, "to");
        claim.accept(fault.to);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the test these faults belong to has ended");
            }
            armed.add(fault);
        }
    }

    /** Forgets armed faults; arms no more. */
    synchronized void close() {
        closed = true;
        armed.clear();
    }

    private static Duration requirePositive(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay must be positive, was " + delay);
        }
        return delay;
    }

    enum Action { DROP, DELAY, HOLD }

    record Armed(String to, String type, Action action, Duration delay, HeldMessage held) {}
}
