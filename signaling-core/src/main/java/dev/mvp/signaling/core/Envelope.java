package dev.mvp.signaling.core;

import com.google.gson.JsonElement;

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
    private final JsonElement mid;

    Envelope(String type, String from, String to, String frame, JsonElement mid) {
        this.type = type;
        this.from = from;
        this.to = to;
        this.frame = frame;
        this.mid = mid;
    }

    /** {@return the message type, e.g. {@code offer}} */
    public String type() {
        return type;
    }

    /** {@return the sender's registered id} */
    public String from() {
        return from;
    }

    /** {@return the recipient's id} */
    public String to() {
        return to;
    }

    /** {@return the JSON text the recipient receives} */
    public String frame() {
        return frame;
    }

    /** {@return the client's {@code mid} field as JSON text, or {@code null} when it sent none} */
    public String mid() {
        return mid == null ? null : mid.toString();
    }

    JsonElement midElement() {
        return mid;
    }

    @Override
    public String toString() {
        return "Envelope[" + type + " " + from + " -> " + to + ", " + frame.length() + " chars]";
    }
}
