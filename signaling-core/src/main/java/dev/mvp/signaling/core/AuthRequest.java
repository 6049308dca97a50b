package dev.mvp.signaling.core;

/**
 * What an {@link Authenticator} decides on: a {@code register} message and the connection it came on.
 *
 * @param id the id being registered; already validated by {@link PeerIds}
 * @param token the {@code token} field of the message, or {@code null} when absent
 * @param handshake the connection's handshake: path, query, headers, remote address
 */
public record AuthRequest(String id, String token, Handshake handshake) {

    @Override
    public String toString() {
        // Never let a token reach a log line through toString().
        return "AuthRequest[id=" + id + ", token=" + (token == null ? "none" : "<redacted>")
                + ", path=" + handshake.path() + "]";
    }
}
