package dev.mvp.signaling.junit5;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.MessageInterceptor;
import dev.mvp.signaling.core.SignalingHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * Thread-safe. Faults still armed are forgotten before each test when the server is shared by a class.
 */
public final class Faults {
    private final Supplier<SignalingHub> hub;
    private final Recording recording;
    private final List<Armed> armed = new ArrayList<>(); // guarded by this
    private ScheduledThreadPoolExecutor timer; // guarded by this
    private boolean closed; // guarded by this

    Faults(Supplier<SignalingHub> hub, Recording recording) {
        this.hub = hub;
        this.recording = recording;
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

    MessageInterceptor interceptor() {
        return this::intercept;
    }

    private void intercept(Envelope message, MessageInterceptor.Chain chain) {
        Armed fault = take(message);
        if (fault == null) {
            chain.proceed();
            return;
        }
        switch (fault.action) {
            case DROP -> recording.dropped(message);
            case HOLD -> fault.held.hold(message, chain);
            case DELAY -> {
                synchronized (this) {
                    if (!closed) {
                        timer().schedule(chain::proceed, fault.delay.toNanos(), TimeUnit.NANOSECONDS);
                        return;
                    }
                }
                chain.proceed();
            }
        }
    }

    private synchronized Armed take(Envelope message) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.to.equals(message.to()) && (a.type == null || a.type.equals(message.type()))) {
                it.remove();
                return a;
            }
        }
        return null;
    }

    private synchronized void arm(Armed fault) {
        Objects.requireNonNull(fault.to, "to");
        if (closed) {
            throw new IllegalStateException("the server is closed");
        }
        armed.add(fault);
    }

    private ScheduledThreadPoolExecutor timer() { // called holding this
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "signaling-junit5-faults");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    /** Forgets armed faults, runs no more delays, stops the timer thread. */
    void close() {
        ScheduledThreadPoolExecutor t;
        synchronized (this) {
            closed = true;
            armed.clear();
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Duration requirePositive(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay must be positive, was " + delay);
        }
        return delay;
    }

    private enum Action { DROP, DELAY, HOLD }

    private record Armed(String to, String type, Action action, Duration delay, HeldMessage held) {}
}
