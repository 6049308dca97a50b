package dev.mvp.signaling.client;

/**
 * An {@code error} frame the server sent: it refused one of this client's messages (or its
 * registration). See the error codes in {@code docs/PROTOCOL.md}; the hub's own codes are constants in
 * {@link dev.mvp.signaling.core.ErrorCodes}.
 *
 * @param code the stable, kebab-case error code, e.g. {@code peer-not-found}
 * @param message the server's human-readable explanation
 * @param peer the {@code to} of the refused message, or {@code null}
 * @param ref the type of the refused message, or {@code null}
 * @param mid the refused message's {@code mid}, as JSON text (e.g. {@code 7} or {@code "a1"}), or {@code null}
 */
public record SignalingError(String code, String message, String peer, String ref, String mid) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(code).append(": ").append(message);
        if (ref != null) {
            b.append(" (ref=").append(ref);
            if (peer != null) {
                b.append(", peer=").append(peer);
            }
            if (mid != null) {
                b.append(", mid=").append(mid);
            }
            b.append(')');
        }
        return b.toString();
    }
}
