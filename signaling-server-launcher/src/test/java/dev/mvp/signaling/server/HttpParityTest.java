package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of odd HTTP requests and the status each must get, run against every engine, so both answer the
 * same bytes the same way. Anything ambiguous about where a request ends or what it asks for is refused: that
 * is what keeps a proxy in front and this server from reading one request two ways.
 */
class HttpParityTest {
    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    private static final String UPGRADE_HEADERS = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";

    private static SignalingServer server;

    @BeforeAll
    static void start() {
        server = new SignalingServer(Servers.loopback().allowedOrigins(java.util.List.of("https://app.example")).build())
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("a plain GET /status", 200, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n"),
                row("HTTP/1.0 without Host", 200, "GET / HTTP/1.0\r\n\r\n"),
                row("HTTP/1.1 without Host", 400, "GET / HTTP/1.1\r\n\r\n"),
                row("Content-Length with Transfer-Encoding: chunked", 400,
                        "GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                row("two Content-Lengths", 400, "GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n"),
                row("a Content-Length that is not a number", 400, "GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n"),
                row("bare LF line ends", 400, "GET /status HTTP/1.1\nHost: x\n\n"),
                row("a folded header line", 400, "GET /status HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\n\r\n"),
                row("white space before a header's colon", 400, "GET /status HTTP/1.1\r\nHost : x\r\n\r\n"),
                row("HTTP/9.9", 505, "GET /status HTTP/9.9\r\nHost: x\r\n\r\n"),
                row("HTTP/2.0 in an HTTP/1 request line", 505, "GET /status HTTP/2.0\r\nHost: x\r\n\r\n"),
                row("a lower-case method (methods are case-sensitive: not GET)", 405, "get /status HTTP/1.1\r\nHost: x\r\n\r\n"),
                row("POST /status", 405, "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
                row("an unknown path", 404, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"),
                row("a head over 16 KiB", 431, "GET / HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(20_000) + "\r\n\r\n"),
                row("a NUL in a header value", 400, "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n"),
                row("an upgrade with two Origin headers, the allowed one first", 403,
                        "GET /ws/alice HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + KEY
                                + "Origin: https://app.example\r\nOrigin: https://evil.example\r\n\r\n"),
                row("an upgrade from an origin not allowed", 403,
                        "GET /ws/alice HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + KEY + "Origin: https://evil.example\r\n\r\n"),
                row("an upgrade whose key is not 16 bytes of base64", 400,
                        "GET /ws/alice HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + "Sec-WebSocket-Key: not-a-key\r\n\r\n"),
                row("an upgrade without a key", 400, "GET /ws/alice HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + "\r\n"),
                row("an upgrade with two keys", 400, "GET /ws/alice HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + KEY + KEY + "\r\n"),
                row("an upgrade with WebSocket version 8", 426,
                        "GET /ws/alice HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Version: 8\r\n" + KEY + "\r\n"),
                row("an upgrade with a broken percent escape in the id", 400,
                        "GET /ws/a%G1 HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + KEY + "\r\n"),
                row("an upgrade with a truncated percent escape", 400,
                        "GET /ws/a%4 HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + KEY + "\r\n"),
                row("an upgrade by POST", 405,
                        "POST /ws/alice HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + UPGRADE_HEADERS + KEY + "\r\n"),
                row("a valid upgrade", 101, "GET /ws/alice HTTP/1.1\r\nHost: x\r\n" + UPGRADE_HEADERS + KEY
                        + "Origin: https://app.example\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void everyEngineAnswersTheSameStatus(String request, int status) throws Exception {
        String response = status == 101 ? upgradeHead(request) : Raw.exchange(server.port(), request);
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
    }

    private static String upgradeHead(String request) throws Exception {
        try (java.net.Socket s = Raw.open(server.port())) {
            Raw.write(s, request);
            return HostileClientsTest.readHead(s.getInputStream());
        }
    }

    private static Arguments row(String name, int status, String request) {
        return Arguments.of(Named.of(name, request), status);
    }
}
