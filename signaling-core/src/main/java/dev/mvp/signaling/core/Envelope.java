package dev.mvp.signaling.core;

/**
 * A routable message on its way through the hub: who sent it, to whom, and the exact frame the
 * recipient will receive (the sender's JSON with {@code from} stamped; every other field as sent).
 * Immutable and safe to keep.
 */
public final class Envelope {
    private final String type;
    private final String from;
    private final String to;
    private final String frame;
    private final String mid;

    Envelope(String type, String from, String to, String frame, String mid) {
        this.type = type;
        this.from = from;
        this.to = to;
        this.frame = frame;
        this.mid = mid;
    }

    /** The message type, e.g. {@code offer}. */
    public String type() {
        return type;
    }

    /** The sender's registered id. */
    public String from() {
        return from;
    }

    /** The recipient's id. */
    public String to() {
        return to;
    }

    /** The JSON text the recipient receives. */
    public String frame() {
        return frame;
    }

    /** The client's {@code mid} field as JSON text, exactly as sent, or {@code null} when it sent none. */
    public String mid() {
        return mid;
    }

    @Override
    public String toString() {
        return "Envelope[" + type + " " + from + " -> " + to + ", " + frame.length() + " chars]";
    }
}
