package dev.mvp.signaling.server.http;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.HubStats;
import dev.mvp.signaling.core.PeerIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The plain-HTTP side of the server: {@code GET /}, {@code GET /status}, CORS preflights, JSON errors,
 * and the decision whether an upgrade request may become a WebSocket. Turns a parsed request into the
 * bytes of a complete response; never touches a socket. Runs on the engines' I/O threads, so it stays
 * cheap. Every response closes the connection.
 */
final class HttpResponder implements HttpService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpResponder.class);
    private static final com.google.gson.Gson JSON = new com.google.gson.Gson();

    private final Cors cors;
    private final Supplier<HubStats> stats;
    private final String version;
    private final DemoPages demo;
    private final Map<String, HttpHandler> routes;
    private final Supplier<Map<String, Object>> moreStatus;
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();

    /**
     * @param demo the browser demo to serve under {@code /demo/}, or null to answer 404 there
     * @param moreStatus objects {@code /status} adds after its own fields, by name, or null for none
     */
    HttpResponder(Cors cors, Supplier<HubStats> stats, String version, DemoPages demo, Map<String, HttpHandler> routes,
                  Supplier<Map<String, Object>> moreStatus) {
        this.routes = Map.copyOf(routes);
        this.moreStatus = moreStatus;
        this.cors = cors;
        this.stats = stats;
        this.version = version;
        this.demo = demo;
    }

    @Override
    public byte[] respond(HttpRequest req) {
        String origin = req.header("Origin");
        boolean head = req.method().equals("HEAD");
        if (req.method().equals("OPTIONS")) {
            return preflight(req, origin);
        }
        DemoPages.Page page = demo == null ? null : demo.page(req.path());
        boolean demoPath = demo != null && (page != null || req.path().equals("/demo"));
        HttpHandler route = routes.get(req.path());
        boolean known = req.path().equals("/") || req.path().equals("/status") || demoPath || route != null;
        if (known && !req.method().equals("GET") && !head) {
            return build(405, "Method Not Allowed", origin, Map.of("Allow", Cors.ALLOWED_METHODS),
                    error("method-not-allowed", req.method() + " is not supported on " + req.path() + "; use GET"), false);
        }
        if (req.path().equals("/")) {
            return build(200, "OK", origin, Map.of(), root(), head);
        }
        if (req.path().equals("/status")) {
            return build(200, "OK", origin, Map.of(), status(), head);
        }
        if (route != null) {
            return routed(route, req, origin, head);
        }
        if (page != null) {
            return build(200, "OK", origin, Map.of("X-Content-Type-Options", "nosniff"), page.contentType(), page.body(), head);
        }
        if (demoPath) { // "/demo": the page's relative URLs need the trailing slash
            String location = DemoPages.ROOT + (req.query().isEmpty() ? "" : "?" + req.query());
            return build(308, "Permanent Redirect", origin, Map.of("Location", location), null, head);
        }
        if (WsPaths.isWsPath(req.path()) && !req.method().equals("GET") && !head) {
            return build(405, "Method Not Allowed", origin, Map.of("Allow", "GET"),
                    error("method-not-allowed", "a WebSocket is opened with GET, not " + req.method()), false);
        }
        if (WsPaths.isWsPath(req.path())) {
            return build(426, "Upgrade Required", origin, Map.of("Upgrade", "websocket"),
                    error("upgrade-required", "this is the WebSocket endpoint; connect with a WebSocket client"), head);
        }
        return notFound(req, origin, head);
    }

    @Override
    public Upgrade upgrade(HttpRequest req) {
        String origin = req.header("Origin");
        if (!WsPaths.isWsPath(req.path()) || req.path().indexOf('/', WsPaths.PREFIX.length()) >= 0) {
            return Upgrade.refuse(notFound(req, origin, false));
        }
        String id = WsPaths.clientId(req.path());
        String problem = id == null ? "a percent escape is not two hexadecimal digits" : PeerIds.problem(id);
        if (problem != null) {
            return Upgrade.refuse(build(400, "Bad Request", origin, Map.of(), error("invalid-id",
                    "the client id in the path is invalid: " + problem), false));
        }
        if (req.headers().getOrDefault("Origin", List.of()).size() > 1) {
            return Upgrade.refuse(build(403, "Forbidden", origin, Map.of(), error("origin-not-allowed",
                    "a WebSocket request may name one Origin, not several"), false));
        }
        if (!cors.allows(origin)) {
            return Upgrade.refuse(build(403, "Forbidden", origin, Map.of(), error("origin-not-allowed",
                    "WebSocket connections from origin '" + origin + "' are not allowed"), false));
        }
        List<String> versions = req.headers().getOrDefault("Sec-WebSocket-Version", List.of());
        if (versions.size() != 1 || !versions.get(0).equals("13")) {
            return Upgrade.refuse(build(426, "Upgrade Required", origin, Map.of("Sec-WebSocket-Version", "13"),
                    error("upgrade-required", "unsupported WebSocket version " + (versions.isEmpty() ? "(none)" : versions)
                            + "; this server speaks version 13"), false));
        }
        List<String> keys = req.headers().getOrDefault("Sec-WebSocket-Key", List.of());
        if (keys.size() != 1 || !isKey(keys.get(0))) {
            return Upgrade.refuse(build(400, "Bad Request", origin, Map.of(), error("bad-request",
                    "a WebSocket request needs one Sec-WebSocket-Key of 16 bytes in base64"), false));
        }
        return Upgrade.accept(id, new Handshake(req.path(), req.query(), req.headers(), req.remoteAddress()));
    }

    private static boolean isKey(String key) {
        try {
            return key.length() == 24 && Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public byte[] malformed(IllegalArgumentException problem) {
        if (problem instanceof HttpRequest.UnsupportedVersionException) {
            return build(505, "HTTP Version Not Supported", null, Map.of(), error("version-not-supported",
                    problem.getMessage()), false);
        }
        return badRequest(problem.getMessage());
    }

    private byte[] routed(HttpHandler route, HttpRequest req, String origin, boolean head) {
        HttpResponse r;
        try {
            r = Objects.requireNonNull(route.handle(req), "the route's handler returned null");
        } catch (RuntimeException e) {
            log.warn("The handler of {} failed", req.path(), e);
            return build(500, "Internal Server Error", origin, Map.of(), error("internal-error",
                    "the handler of " + req.path() + " failed"), head);
        }
        return build(r.status(), reasonPhrase(r.status()), origin, Map.of(), r.contentType(), r.body(), head);
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error";
        };
    }

    @Override
    public byte[] badRequest(String message) {
        return build(400, "Bad Request", null, Map.of(), error("bad-request", message), false);
    }

    @Override
    public byte[] headTooLarge(int limit) {
        return build(431, "Request Header Fields Too Large", null, Map.of(),
                error("header-too-large", "the request head is longer than " + limit + " bytes"), false);
    }

    private byte[] notFound(HttpRequest req, String origin, boolean head) {
        return build(404, "Not Found", origin, Map.of(), error("not-found", "no resource at " + req.path()
                + "; try GET /, GET /status or a WebSocket to /ws/{client_id}"), head);
    }

    private byte[] preflight(HttpRequest req, String origin) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Allow", Cors.ALLOWED_METHODS);
        if (origin != null && req.header("Access-Control-Request-Method") != null && cors.allowOriginHeader(origin) != null) {
            extra.put("Access-Control-Allow-Methods", Cors.ALLOWED_METHODS);
            String requested = req.header("Access-Control-Request-Headers");
            if (requested != null && !requested.isBlank()) {
                extra.put("Access-Control-Allow-Headers", requested);
            }
            extra.put("Access-Control-Max-Age", "600");
        }
        return build(204, "No Content", origin, extra, null, false);
    }

    private String root() {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        o.addProperty("service", "signaling-server");
        o.addProperty("connectedClients", stats.get().connections());
        return o.toString();
    }

    private String status() {
        HubStats s = stats.get();
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        o.addProperty("version", version);
        o.addProperty("startedAt", startedAt.toString());
        o.addProperty("uptimeSeconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        o.addProperty("connections", s.connections());
        o.addProperty("registeredPeers", s.registeredPeers());
        o.addProperty("messagesRouted", s.messagesRouted());
        o.addProperty("heldMessages", s.heldMessages());
        o.addProperty("suspendedPeers", s.suspendedPeers());
        JsonObject errors = new JsonObject();
        s.errorsByCode().forEach(errors::addProperty);
        o.add("errorsByCode", errors);
        if (moreStatus != null) {
            moreStatus.get().forEach((name, value) -> o.add(name, JSON.toJsonTree(value)));
        }
        return o.toString();
    }

    private static String error(String code, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", code);
        o.addProperty("message", message);
        return o.toString();
    }

    private byte[] build(int status, String reason, String origin, Map<String, String> extra, String json, boolean headOnly) {
        return json == null ? build(status, reason, origin, extra, null, new byte[0], headOnly)
                : build(status, reason, origin, extra, "application/json; charset=utf-8",
                        (json + "\n").getBytes(StandardCharsets.UTF_8), headOnly);
    }

    private byte[] build(int status, String reason, String origin, Map<String, String> extra, String contentType,
                         byte[] body, boolean headOnly) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        sb.append("Server: signaling-server/").append(version).append("\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (status != 204) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("Cache-Control: no-store\r\n");
        String allowOrigin = cors.allowOriginHeader(origin);
        if (allowOrigin != null) {
            sb.append("Access-Control-Allow-Origin: ").append(allowOrigin).append("\r\n");
        }
        if (cors.variesByOrigin()) {
            sb.append("Vary: Origin\r\n");
        }
        extra.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        sb.append("Connection: close\r\n\r\n");
        byte[] headBytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (headOnly || body.length == 0) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
