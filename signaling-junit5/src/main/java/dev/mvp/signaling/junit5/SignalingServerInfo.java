package dev.mvp.signaling.junit5;

import java.net.URI;
import java.util.Objects;

/**
 * Where the server of a {@link SignalingServerExtension} listens, as a test parameter:
 *
 * <pre>{@code
 * @Test
 * void statusCountsTheAgent(SignalingServerInfo server) {
 *     MyAgent agent = MyAgent.start(server.url("alice"));
 *     HttpRequest status = HttpRequest.newBuilder(server.httpUri("/status")).build();
 *     ...
 * }
 * }</pre>
 *
 * The addresses stay valid across {@link SignalingServerExtension#restart()}, which keeps the port. Ids
 * passed to {@link #url(String)} belong to the test the parameter was given to. Thread-safe.
 */
public final class SignalingServerInfo {
    private final Fixture fixture;
    private final TestScope scope;

    SignalingServerInfo(Fixture fixture, TestScope scope) {
        this.fixture = fixture;
        this.scope = scope;
    }

    /**
     * The WebSocket URL for peer {@code id}: {@code ws://127.0.0.1:<port>/ws/<id>}, the id percent-encoded.
     *
     * @throws IllegalStateException if a test running at the same time on this server uses {@code id}
     *
     * @param id the peer id
     * @return the WebSocket URL for peer {@code id}: {@code ws://127.0.0.1:<port>/ws/<id>}, the id percent-encoded
     */
    public URI url(String id) {
        Objects.requireNonNull(id, "id");
        fixture.claim(scope, id);
        return fixture.server().webSocketUri(id);
    }

    /**
     * The base WebSocket URI, {@code ws://127.0.0.1:<port>}, for clients that add the path themselves.
     *
     * @return the base WebSocket URI, {@code ws://127.0.0.1:<port>}, for clients that add the path themselves
     */
    public URI uri() {
        URI any = fixture.server().webSocketUri("-");
        return URI.create(any.getScheme() + "://" + any.getRawAuthority());
    }

    /**
     * An HTTP URI of the server, e.g. {@code httpUri("/status")}: {@code http://127.0.0.1:<port>/status}.
     *
     * @param path the path, e.g. {@code /status}
     * @return the server's HTTP URI for {@code path}
     */
    public URI httpUri(String path) {
        Objects.requireNonNull(path, "path");
        return fixture.server().uri(path.startsWith("/") || path.isEmpty() ? path : "/" + path);
    }

    /**
     * The bound port.
     *
     * @return the bound port
     */
    public int port() {
        return fixture.server().port();
    }

    @Override
    public String toString() {
        return "SignalingServerInfo[" + fixture.server().uri("") + "]";
    }
}
