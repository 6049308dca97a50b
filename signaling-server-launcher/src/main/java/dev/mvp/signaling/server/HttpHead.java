package dev.mvp.signaling.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The head of one HTTP/1.x request: request line and header fields. Parses what {@link FrontDoorChannel}
 * buffered; knows nothing of sockets.
 */
final class HttpHead {
    final String method;
    /** The request target as sent, e.g. {@code /ws/alice?x=1}. */
    final String target;
    /** The path without the query, e.g. {@code /ws/alice}. */
    final String path;
    /** The query without {@code ?}, or empty. */
    final String query;
    /** e.g. {@code HTTP/1.1}. */
    final String version;
    /** Field values by name; names compare ignoring case. */
    final Map<String, List<String>> headers;

    private HttpHead(String method, String target, String path, String query, String version,
                     Map<String, List<String>> headers) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.query = query;
        this.version = version;
        this.headers = headers;
    }

    /**
     * Where the head ends in {@code buf[0..len)}: the index just after the empty line ({@code CRLF CRLF},
     * or a bare {@code LF LF} from lenient clients), or -1 if the head is not complete yet.
     */
    static int findEnd(byte[] buf, int len) {
        for (int i = 0; i < len; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            if (i + 1 < len && buf[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /**
     * Parses a complete head.
     *
     * @throws IllegalArgumentException with a message fit for a 400 response if the head is malformed
     */
    static HttpHead parse(byte[] buf, int headLength) {
        String text = new String(buf, 0, headLength, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()) {
            throw new IllegalArgumentException("malformed request line");
        }
        String method = requestLine[0];
        String target = requestLine[1];
        String version = requestLine[2];
        if (!method.chars().allMatch(c -> c > 32 && c < 127) || !version.matches("HTTP/1\\.[0-9]")) {
            throw new IllegalArgumentException("malformed request line; this server speaks HTTP/1.0 and HTTP/1.1");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(); // of() merges names that differ in case
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new IllegalArgumentException("folded header lines are not accepted");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(0, colon).chars().anyMatch(c -> c <= 32 || c >= 127)) {
                throw new IllegalArgumentException("malformed header line");
            }
            headers.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return of(method, target, version, headers);
    }

    /**
     * A head from parts another HTTP parser decoded: splits the target into path and query.
     *
     * @throws IllegalArgumentException with a message fit for a 400 response if the target is malformed
     */
    static HttpHead of(String method, String target, String version, Map<String, List<String>> fields) {
        String pathAndQuery = target;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme <= 0) {
                if (method.equals("OPTIONS") && target.equals("*")) {
                    pathAndQuery = "*";
                } else {
                    throw new IllegalArgumentException("malformed request target");
                }
            } else {
                int slash = target.indexOf('/', scheme + 3);
                pathAndQuery = slash < 0 ? "/" : target.substring(slash);
            }
        }
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.forEach((name, values) -> headers.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values));
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new HttpHead(method, target, path, query, version, java.util.Collections.unmodifiableMap(headers));
    }

    /** The first value of the field, or {@code null}. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether a comma-separated field holds {@code token}, ignoring case. */
    boolean hasToken(String name, String token) {
        List<String> values = headers.get(name);
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A {@code GET} asking to become a WebSocket. */
    boolean isWebSocketUpgrade() {
        return method.equals("GET") && hasToken("Upgrade", "websocket");
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
