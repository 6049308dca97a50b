package dev.mvp.signaling.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an {@link HttpHandler} answers: a status, a content type and a body. The server writes the rest of
 * the response.
 *
 * @param status the status code, 200 to 599
 * @param contentType the {@code Content-Type}, e.g. {@code text/plain; charset=utf-8}
 * @param body the body (copied neither way: do not change it afterwards)
 */
public record HttpResponse(int status, String contentType, byte[] body) {
    /**
     * Checks the parts.
     *
     * @param status the status code, 200 to 599
     * @param contentType the content type
     * @param body the body
     */
    public HttpResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be between 200 and 599, was " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (contentType.chars().anyMatch(c -> c < 32 || c >= 127)) {
            throw new IllegalArgumentException("contentType must be printable ASCII");
        }
    }

    /**
     * A 200 response with a UTF-8 text body.
     *
     * @param contentType the media type without charset, e.g. {@code text/plain}
     * @param text the body
     * @return the response
     */
    public static HttpResponse ok(String contentType, String text) {
        return new HttpResponse(200, contentType + "; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
