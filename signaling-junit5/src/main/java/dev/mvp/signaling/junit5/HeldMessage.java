package dev.mvp.signaling.junit5;

import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.MessageInterceptor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The next message to a peer, held back by {@link Faults#holdNextMessageTo} until the test calls
 * {@link #release()}: a delay whose length the test decides, with no clock involved. Messages sent after it
 * overtake it, as they would a delayed message on a real network.
 */
public final class HeldMessage {
    private final String to;
    private final String type;
    private final CountDownLatch caught = new CountDownLatch(1);
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Envelope message;
    private volatile MessageInterceptor.Chain chain;

    HeldMessage(String to, String type) {
        this.to = to;
        this.type = type;
    }

    void hold(Envelope message, MessageInterceptor.Chain chain) {
        this.message = message;
        this.chain = chain;
        caught.countDown();
    }

    /**
     * Waits until a matching message was caught and is being held.
     *
     * @param timeout how long to wait at most
     * @return what it is (type, sender, recipient; the frame with any token redacted)
     * @throws AssertionError if none was caught in time
     */
    public RecordedMessage awaitHeld(Duration timeout) {
        try {
            if (!caught.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("no message" + (type == null ? "" : " of type '" + type + "'") + " to " + to
                        + " was caught within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        Envelope m = message;
        return new RecordedMessage(RecordedMessage.Outcome.ROUTED, m.type(), m.from(), m.to(),
                Redaction.redact(m.frame()), null, null);
    }

    /** {@return whether a message was caught} */
    public boolean isHeld() {
        return caught.getCount() == 0 && !released.get();
    }

    /**
     * Lets the held message go on to its recipient, on the calling thread.
     *
     * @throws IllegalStateException if no message was caught yet, or it was released already
     */
    public void release() {
        if (caught.getCount() != 0) {
            throw new IllegalStateException("no message to " + to + " has been caught yet; call awaitHeld first");
        }
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("the held message to " + to + " was released already");
        }
        chain.proceed();
    }

    @Override
    public String toString() {
        return "HeldMessage[to " + to + (type == null ? "" : ", " + type) + ", "
                + (caught.getCount() != 0 ? "waiting" : released.get() ? "released" : "held") + "]";
    }
}
