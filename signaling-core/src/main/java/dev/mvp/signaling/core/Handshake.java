package dev.mvp.signaling.core;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the client presented when it opened the connection: the request path, the query string, the
 * headers and the remote address. Transports build it; authenticators read it.
 *
 * @param path the request path without the query, e.g. {@code /ws/alice} (never null; may be empty)
 * @param query the raw query string without {@code ?}, or empty
 * @param headers header values by name; lookups through {@link #header} ignore case
 * @param remoteAddress the peer's socket address, or {@code null} when the transport has none
 */
public record Handshake(String path, String query, Map<String, List<String>> headers,
                        InetSocketAddress remoteAddress) {

    /** A handshake with nothing in it: for transports with no request, such as the in-memory one. */
    public static final Handshake NONE = new Handshake("", "", Map.of(), null);

    /**
     * Copies the headers into a case-insensitive map; a null path or query becomes empty.
     *
     * @param path the request path without the query; {@code null} becomes empty
     * @param query the raw query string; {@code null} becomes empty
     * @param headers header values by name, or {@code null} for none
     * @param remoteAddress the peer's socket address, or {@code null}
     */
    public Handshake {
        path = path == null ? "" : path;
        query = query == null ? "" : query;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
                List<String> all = new java.util.ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            }));
        }
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * {@return the first value of the named header (case-insensitive), or {@code null}}
     *
     * @param name the header's name, in any case
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
