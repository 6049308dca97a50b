package dev.mvp.signaling.server.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The head of one HTTP/1.x request: request line and header fields, and the client's address. Immutable;
 * knows nothing of sockets. An engine with an HTTP parser of its own builds one with {@link #of}; one that
 * buffers raw bytes finds the end with {@link #findEnd} and parses with {@link #parse}.
 */
public final class HttpRequest {
    // compiled once: a request head is parsed for every connection
    private static final Pattern CRLF = Pattern.compile("\r\n", Pattern.LITERAL);
    private static final Pattern HTTP_1 = Pattern.compile("HTTP/1\\.[0-9]");
    private static final Pattern HTTP_ANY = Pattern.compile("HTTP/[0-9](\\.[0-9])?");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");

    private final String method;
    private final String target;
    private final String path;
    private final String query;
    private final String version;
    private final Map<String, List<String>> headers;
    private final InetSocketAddress remoteAddress;

    private HttpRequest(String method, String target, String path, String query, String version,
                        Map<String, List<String>> headers, InetSocketAddress remoteAddress) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.query = query;
        this.version = version;
        this.headers = headers;
        this.remoteAddress = remoteAddress;
    }

    /** {@return the method, e.g. {@code GET}} */
    public String method() {
        return method;
    }

    /** {@return the request target as sent, e.g. {@code /ws/alice?x=1}} */
    public String target() {
        return target;
    }

    /** {@return the path without the query, e.g. {@code /ws/alice}} */
    public String path() {
        return path;
    }

    /** {@return the query without {@code ?}, or empty} */
    public String query() {
        return query;
    }

    /** {@return the protocol version, e.g. {@code HTTP/1.1}} */
    public String version() {
        return version;
    }

    /** {@return field values by name, unmodifiable; names compare ignoring case} */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** {@return the client's socket address, or null if unknown} */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Where the head ends in {@code buf[0..len)}: the index just after the empty line ({@code CRLF CRLF},
     * or a bare {@code LF LF}, which {@link #parse} then refuses), or -1 if the head is not complete yet.
     *
     * @param buf the bytes read so far
     * @param len how many of them
     * @return the length of the head, or -1
     */
    public static int findEnd(byte[] buf, int len) {
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
     * Parses a complete head, strictly: anything that two HTTP parsers could read two ways is refused, so
     * that every engine, and any proxy in front, sees the same request (RFC 9112). Line ends must be
     * {@code CRLF}; folded lines, white space before a colon and control characters in a field are refused.
     *
     * @param buf the bytes read so far
     * @param headLength where the head ends, as {@link #findEnd} said
     * @param remoteAddress the client's socket address, or null if unknown
     * @return the request
     * @throws UnsupportedVersionException if the request line names an HTTP version other than 1.x (505)
     * @throws IllegalArgumentException with a message fit for a 400 response if the head is malformed
     */
    public static HttpRequest parse(byte[] buf, int headLength, InetSocketAddress remoteAddress) {
        for (int i = 0; i < headLength; i++) {
            if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r')) {
                throw new IllegalArgumentException("a line ends in a bare LF; HTTP lines end in CRLF");
            }
        }
        String text = new String(buf, 0, headLength, StandardCharsets.ISO_8859_1);
        String[] lines = CRLF.split(text, -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()) {
            throw new IllegalArgumentException("malformed request line");
        }
        String method = requestLine[0];
        String target = requestLine[1];
        String version = requestLine[2];
        if (!method.chars().allMatch(HttpRequest::isTokenChar)
                || target.chars().anyMatch(c -> c <= 32 || c >= 127)) {
            throw new IllegalArgumentException("malformed request line");
        }
        if (!HTTP_1.matcher(version).matches()) {
            if (HTTP_ANY.matcher(version).matches()) {
                throw new UnsupportedVersionException(version);
            }
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
            if (colon <= 0 || !line.substring(0, colon).chars().allMatch(HttpRequest::isTokenChar)) {
                throw new IllegalArgumentException("malformed header line");
            }
            String value = line.substring(colon + 1);
            if (value.chars().anyMatch(c -> (c < 32 && c != '\t') || c == 127)) {
                throw new IllegalArgumentException("a control character in the value of " + line.substring(0, colon));
            }
            headers.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(value.strip());
        }
        return of(method, target, version, headers, remoteAddress);
    }

    /** A {@code tchar} of RFC 9110 5.6.2: what method and field names are made of. */
    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /**
     * A request line naming an HTTP version this server does not speak (anything but 1.x): answered 505.
     */
    public static final class UnsupportedVersionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * @param version the version as the request line named it
         */
        public UnsupportedVersionException(String version) {
            super(version + " is not supported; this server speaks HTTP/1.0 and HTTP/1.1");
        }
    }

    /**
     * A head from parts another HTTP parser decoded: splits the target into path and query.
     *
     * @param method e.g. {@code GET}
     * @param target the request target as sent
     * @param version e.g. {@code HTTP/1.1}
     * @param fields header values by name, in arrival order
     * @param remoteAddress the client's socket address, or null if unknown
     * @return the request
     * @throws IllegalArgumentException with a message fit for a 400 response if the target is malformed, or
     *     the fields say two things about the host or where the request ends
     */
    public static HttpRequest of(String method, String target, String version, Map<String, List<String>> fields,
                                 InetSocketAddress remoteAddress) {
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
        checkFraming(version, headers);
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new HttpRequest(method, target, path, query, version, java.util.Collections.unmodifiableMap(headers),
                remoteAddress);
    }

    /**
     * Refuses what RFC 9112 says a server must refuse with 400, or what could make this server and a proxy in
     * front disagree about where a request ends: a 1.1 request without exactly one {@code Host} (3.2), more
     * than one {@code Host}, {@code Content-Length} beside {@code Transfer-Encoding} (6.1), more than one
     * {@code Content-Length} or one that is not a number (6.3).
     */
    private static void checkFraming(String version, Map<String, List<String>> headers) {
        List<String> host = headers.getOrDefault("Host", List.of());
        if (host.size() > 1 || (host.isEmpty() && !version.equals("HTTP/1.0"))) {
            throw new IllegalArgumentException(host.isEmpty() ? "an HTTP/1.1 request needs a Host header"
                    : "more than one Host header");
        }
        List<String> length = headers.getOrDefault("Content-Length", List.of());
        if (!length.isEmpty() && headers.containsKey("Transfer-Encoding")) {
            throw new IllegalArgumentException("Content-Length and Transfer-Encoding together are not accepted");
        }
        if (length.size() > 1) {
            throw new IllegalArgumentException("more than one Content-Length");
        }
        if (length.size() == 1 && !DECIMAL.matcher(length.get(0)).matches()) {
            throw new IllegalArgumentException("Content-Length is not a number");
        }
    }

    /**
     * The first value of a field.
     *
     * @param name the field name, in any case
     * @return the value, or {@code null} if the request has no such field
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Whether a comma-separated field holds a token, ignoring case.
     *
     * @param name the field name, in any case
     * @param token the token, in lower case
     * @return whether one of the field's values lists it
     */
    public boolean hasToken(String name, String token) {
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

    /**
     * Whether this is a {@code GET} asking to become a WebSocket.
     *
     * @return true for an upgrade request
     */
    public boolean isWebSocketUpgrade() {
        return method.equals("GET") && hasToken("Upgrade", "websocket");
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
