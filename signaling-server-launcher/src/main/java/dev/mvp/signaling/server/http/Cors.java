package dev.mvp.signaling.server.http;

import dev.mvp.signaling.server.ServerConfig;
import java.util.List;
import java.util.Set;

/** Which origins may read the HTTP endpoints and open WebSockets, and the CORS headers that say so. */
final class Cors {
    static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";

    private final boolean anyOrigin;
    private final Set<String> origins;

    Cors(List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.contains(ServerConfig.ANY_ORIGIN);
        this.origins = Set.copyOf(allowedOrigins);
    }

    /** Whether a request with this {@code Origin} header (possibly null: not a browser) may proceed. */
    boolean allows(String origin) {
        return anyOrigin || origin == null || origins.contains(origin);
    }

    /** The {@code Access-Control-Allow-Origin} value for this request, or null to send none. */
    String allowOriginHeader(String origin) {
        if (anyOrigin) {
            return "*";
        }
        return origin != null && origins.contains(origin) ? origin : null;
    }

    /** Whether responses depend on the request's Origin (then caches must be told with {@code Vary}). */
    boolean variesByOrigin() {
        return !anyOrigin;
    }
}
