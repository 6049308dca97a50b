package dev.mvp.signaling.core;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

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

    /**
     * An envelope for a message that passed a hub's checks elsewhere (on another node) and arrives here
     * to be delivered: the parts as {@link #type}, {@link #from}, {@link #to}, {@link #frame} and
     * {@link #mid} gave them.
     *
     * @param type the message type
     * @param from the sender's registered id
     * @param to the recipient's id
     * @param frame the JSON text the recipient receives
     * @param mid the sender's {@code mid} as JSON text, or {@code null}
     * @return the envelope
     * @throws IllegalArgumentException if a required part is missing or {@code mid} is not JSON
     */
    public static Envelope of(String type, String from, String to, String frame, String mid) {
        if (type == null || from == null || to == null || frame == null) {
            throw new IllegalArgumentException("type, from, to and frame are required");
        }
        if (mid != null) {
            try {
                JsonParser.parseString(mid); // echoed verbatim into error frames: it must be JSON
            } catch (JsonParseException e) {
                throw new IllegalArgumentException("mid is not JSON: " + mid, e);
            }
        }
        return new Envelope(type, from, to, frame, mid);
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

    /** {@return the client's {@code mid} field as JSON text, exactly as sent, or {@code null} when it sent none} */
    public String mid() {
        return mid;
    }

    @Override
    public String toString() {
        return "Envelope[" + type + " " + from + " -> " + to + ", " + frame.length() + " chars]";
    }
}
