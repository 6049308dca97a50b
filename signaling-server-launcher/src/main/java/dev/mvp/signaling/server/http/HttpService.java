package dev.mvp.signaling.server.http;

import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.HubStats;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The plain-HTTP side of the server, as every engine calls it: the response to a request that is not a
 * WebSocket upgrade ({@code GET /}, {@code GET /status}, CORS preflights, added routes, JSON errors), and
 * whether an upgrade may proceed. It renders complete responses (status line, headers, body, always
 * {@code Connection: close}); the engine writes them as they are and closes the connection once the client
 * has read them. It never touches a socket.
 *
 * <p><b>Threading.</b> Thread-safe; engines call it on their I/O threads, so it stays cheap and never
 * blocks, except inside a route an embedder added (see {@link HttpHandler}).
 */
public interface HttpService {
    /** The WebSocket endpoint: {@code /ws/{client_id}} is under this prefix. */
    String WEBSOCKET_PREFIX = "/ws/";
    /** The liveness probe: 200 while the process can serve, draining included. */
    String LIVENESS_PATH = "/livez";
    /** The readiness probe: 200 when new clients are welcome, 503 with the reasons otherwise. */
    String READINESS_PATH = "/readyz";

    /**
     * The answer to an upgrade request: either the claimed client id and the handshake the hub should see,
     * or the complete response that refuses it.
     *
     * @param clientId the percent-decoded id from the path, when accepted
     * @param handshake what the hub's session sees, when accepted
     * @param refusal the complete response, when refused
     */
    record Upgrade(String clientId, Handshake handshake, byte[] refusal) {
        /**
         * The upgrade proceeds; the hub opens a session for {@code clientId}.
         *
         * @param clientId the id the client claims
         * @param handshake what it presented
         * @return the acceptance
         */
        public static Upgrade accept(String clientId, Handshake handshake) {
            return new Upgrade(Objects.requireNonNull(clientId, "clientId"), Objects.requireNonNull(handshake, "handshake"),
                    null);
        }

        /**
         * The upgrade is refused with this response.
         *
         * @param response the complete response to write
         * @return the refusal
         */
        public static Upgrade refuse(byte[] response) {
            return new Upgrade(null, null, Objects.requireNonNull(response, "response"));
        }

        /**
         * Whether the upgrade may proceed.
         *
         * @return true unless refused
         */
        public boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * The complete response to a request that is not a WebSocket upgrade.
     *
     * @param request the request
     * @return the bytes to write
     */
    byte[] respond(HttpRequest request);

    /**
     * Whether a {@code GET} with {@code Upgrade: websocket} may become a WebSocket: the path must be
     * {@code /ws/{valid id}} (a broken percent escape is an invalid id), one {@code Origin} at most and that
     * one allowed, {@code Sec-WebSocket-Version: 13} (else 426 naming it) and exactly one
     * {@code Sec-WebSocket-Key} of 16 bytes in base64 (RFC 6455 4.2.1). An engine that accepts it
     * answers 101 with {@link #acceptKey} of that key.
     *
     * @param request the upgrade request
     * @return the decision
     */
    Upgrade upgrade(HttpRequest request);

    /**
     * The response to a request that could not be parsed.
     *
     * @param problem why, for the client
     * @return the bytes of a 400 response
     */
    byte[] badRequest(String problem);

    /**
     * The response to a head {@link HttpRequest#parse} refused: 505 for an HTTP version this server does not
     * speak, else 400 with the parser's reason. Every engine answers a malformed head through this.
     *
     * @param problem what the parser threw
     * @return the bytes of the response
     */
    byte[] malformed(IllegalArgumentException problem);

    /**
     * The response to a request line or head longer than the engine buffers.
     *
     * @param limit the longest head accepted, in bytes
     * @return the bytes of a 431 response
     */
    byte[] headTooLarge(int limit);

    /**
     * The {@code Sec-WebSocket-Accept} value for a client's key (RFC 6455 4.2.2).
     *
     * @param key the {@code Sec-WebSocket-Key} of an accepted upgrade
     * @return the value for the 101 response
     */
    static String acceptKey(String key) {
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            return java.util.Base64.getEncoder().encodeToString(sha1.digest(
                    (key.strip() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * The server's HTTP side.
     *
     * @param allowedOrigins origins allowed by CORS and for upgrades ({@code *} for all)
     * @param stats the hub's figures, read for {@code /} and {@code /status}
     * @param version the server version shown in {@code /status} and the {@code Server} header
     * @param demo whether the browser demo is served at {@code /demo/}
     * @param routes routes added by the embedder, by exact path
     * @param moreStatus objects {@code /status} shows after its own fields, by name (e.g. {@code cluster}),
     *     read at every request, never blocking; null for none, and then {@code /status} is as it always was
     * @return the service
     */
    static HttpService standard(List<String> allowedOrigins, Supplier<HubStats> stats, String version, boolean demo,
                                Map<String, HttpHandler> routes, Supplier<Map<String, Object>> moreStatus) {
        return new HttpResponder(new Cors(allowedOrigins), stats, version, demo ? DemoPages.load() : null, routes,
                moreStatus);
    }

    /**
     * Whether an embedder may add a route at this path: an absolute path with no query that none of the
     * server's own endpoints ({@code /}, {@code /status}, {@code /livez}, {@code /readyz}, {@code /demo},
     * {@code /ws/...}) uses.
     *
     * @param path the path
     * @return null if it may, else why not
     */
    static String routeProblem(String path) {
        if (path == null || !path.startsWith("/") || path.contains("?") || path.contains("#")
                || path.chars().anyMatch(c -> c <= 32 || c >= 127)) {
            return "a route's path must start with / and hold no query, fragment, space or control character: " + path;
        }
        if (path.equals("/") || path.equals("/status") || path.equals(LIVENESS_PATH) || path.equals(READINESS_PATH)
                || path.equals("/demo") || path.startsWith(DemoPages.ROOT)
                || path.startsWith(WEBSOCKET_PREFIX) || path.equals("/ws")) {
            return "the server answers " + path + " itself; choose another path";
        }
        return null;
    }
}
