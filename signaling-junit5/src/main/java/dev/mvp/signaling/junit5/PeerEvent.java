package dev.mvp.signaling.junit5;

/**
 * A peer registered or left, in a {@link Recording}.
 *
 * @param kind which of the two
 * @param id the peer's id
 * @param code for {@link Kind#LEFT}, the WebSocket close code; otherwise 0
 * @param reason for {@link Kind#LEFT}, the close reason (possibly empty); otherwise {@code null}
 */
public record PeerEvent(Kind kind, String id, int code, String reason) {

    /** Whether the peer registered or left. */
    public enum Kind {
        /** The peer registered, or came back on a newer connection. */
        REGISTERED,
        /** The peer's connection ended. */
        LEFT
    }

    @Override
    public String toString() {
        return kind == Kind.REGISTERED ? id + " registered" : id + " left (" + code + (reason.isEmpty() ? "" : " " + reason) + ")";
    }
}
