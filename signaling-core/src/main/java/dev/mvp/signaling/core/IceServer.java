package dev.mvp.signaling.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One STUN or TURN server as a browser's {@code RTCIceServer} describes it, so a client can hand the list it
 * receives in {@code registered} straight to {@code new RTCPeerConnection({iceServers})}.
 *
 * @param urls one or more {@code stun:}, {@code turn:} or {@code turns:} URLs; never empty
 * @param username the TURN user name, or {@code null} for a server without credentials
 * @param credential the TURN password, or {@code null} for a server without credentials
 * @param expiry when the credentials stop working, or {@code null} when they do not expire; not sent
 *     inside the server's entry (browsers know no such member) but as the frame's {@code iceServersExpiry}
 */
public record IceServer(List<String> urls, String username, String credential, Instant expiry) {

    /**
     * Checks the parts: at least one URL, each {@code stun:}, {@code turn:} or {@code turns:}; both
     * credentials or neither.
     *
     * @param urls the server's URLs
     * @param username the TURN user name, or {@code null}
     * @param credential the TURN password, or {@code null}
     * @param expiry when the credentials stop working, or {@code null}
     */
    public IceServer {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        for (String url : urls) {
            if (!(url.startsWith("stun:") || url.startsWith("turn:") || url.startsWith("turns:"))) {
                throw new IllegalArgumentException("'" + url + "' is not a stun:, turn: or turns: URL");
            }
        }
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("give both a username and a credential, or neither");
        }
    }

    /**
     * {@return a server that needs no credentials, such as a public STUN server}
     *
     * @param urls its URLs
     */
    public static IceServer of(String... urls) {
        return new IceServer(List.of(urls), null, null, null);
    }
}
