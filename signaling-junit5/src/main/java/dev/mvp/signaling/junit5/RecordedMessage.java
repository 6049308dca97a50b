package dev.mvp.signaling.junit5;

/**
 * One routable message as the hub handled it, in a {@link Recording}.
 *
 * @param outcome what happened to it
 * @param type the message type, e.g. {@code answer}; {@code null} for a rejected frame that had none
 * @param from the sender's id (for a rejected message: its registered id, or the id of its connection path)
 * @param to the recipient's id; {@code null} for a rejected message that named none
 * @param frame the JSON text the recipient received (or would have, for a dropped one), with any top-level
 *     {@code token} value redacted; {@code null} for a rejected message
 * @param code the error code the sender got, for a rejected message; otherwise {@code null}
 * @param error the error message the sender got, for a rejected message; otherwise {@code null}
 */
public record RecordedMessage(Outcome outcome, String type, String from, String to, String frame, String code,
                              String error) {

    /** What happened to a message. */
    public enum Outcome {
        /** Handed to the recipient's connection. */
        ROUTED,
        /** Refused; the sender received an {@code error} frame with {@link #code()}. */
        REJECTED,
        /** Dropped on purpose by a fault the test injected; nobody was told. */
        DROPPED
    }

    /**
     * {@return whether this is a message of {@code type} from {@code from} to {@code to} that was routed}
     *
     * @param from the sender's id
     * @param type the message type, e.g. {@code offer}
     * @param to the recipient's id
     */
    public boolean isRouted(String from, String type, String to) {
        return outcome == Outcome.ROUTED && type.equals(this.type) && from.equals(this.from) && to.equals(this.to);
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case ROUTED -> type + " " + from + " -> " + to;
            case DROPPED -> type + " " + from + " -> " + to + " DROPPED by a test fault";
            case REJECTED -> (type == null ? "a message" : type) + " from " + from
                    + (to == null ? "" : " to " + to) + " REJECTED " + code;
        };
    }
}
