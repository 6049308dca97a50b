package dev.mvp.signaling.server.http;

/**
 * A route an embedder adds to the server's HTTP side ({@code ServerConfig.builder().route("/metrics", h)}):
 * answers {@code GET} and {@code HEAD} requests to one exact path, on every engine alike. The server adds
 * the {@code Server}, {@code Cache-Control}, CORS and {@code Connection: close} headers, answers
 * {@code HEAD} without the body, other methods with 405, and a handler that throws with a 500 (logged).
 *
 * <p><b>Threading.</b> Called on the engine's I/O threads, possibly concurrently: keep it cheap, thread-safe
 * and never blocking (read figures that are already there; do not do I/O).
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Answers one request.
     *
     * @param request the request, its path being the route's
     * @return the response; never null
     */
    HttpResponse handle(HttpRequest request);
}
