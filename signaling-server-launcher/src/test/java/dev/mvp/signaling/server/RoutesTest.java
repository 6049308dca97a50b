package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.server.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routes an embedder adds to the HTTP side, answered by the engine under test. */
class RoutesTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAddedRouteAnswersGetAndHeadWithTheServersHeadersAndOtherMethodsGet405() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new SignalingServer(Servers.loopback().allowedOrigins(java.util.List.of("https://app.example"))
                .route("/metrics", request -> {
                    calls.incrementAndGet();
                    return HttpResponse.ok("text/plain", "connections " + server.hub().stats().connections() + "\n"
                            + "query " + request.query() + "\n");
                }).build()).start();
        String get = Raw.exchange(server.port(), "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nOrigin: https://app.example\r\n\r\n");
        assertThat(get).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Type: text/plain; charset=utf-8\r\n", "Cache-Control: no-store\r\n",
                        "Access-Control-Allow-Origin: https://app.example\r\n", "Connection: close\r\n")
                .endsWith("\r\n\r\nconnections 0\nquery x=1\n");
        String head = Raw.exchange(server.port(), "HEAD /metrics HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + "connections 0\nquery \n".length() + "\r\n").endsWith("\r\n\r\n");
        assertThat(Raw.exchange(server.port(), "POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405").contains("method-not-allowed");
        assertThat(Raw.exchange(server.port(), "GET /metrics/more HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 404");
        assertThat(calls).hasValue(2);
    }

    @Test
    void aHandlerThatFailsGets500AndTheServerGoesOn() throws Exception {
        server = new SignalingServer(Servers.loopback().route("/boom", request -> {
            throw new IllegalStateException("secret detail");
        }).build()).start();
        assertThat(Raw.exchange(server.port(), "GET /boom HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 500")
                .contains("internal-error").doesNotContain("secret detail");
        assertThat(Raw.exchange(server.port(), "GET /status HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void theServersOwnPathsAndMalformedPathsCannotBeTaken() {
        for (String taken : new String[] {"/", "/status", "/demo", "/demo/x", "/ws/alice", "/ws"}) {
            assertThatThrownBy(() -> ServerConfig.builder().route(taken, r -> HttpResponse.ok("text/plain", "")))
                    .as(taken).hasMessageContaining("the server answers " + taken + " itself");
        }
        assertThatThrownBy(() -> ServerConfig.builder().route("metrics", r -> HttpResponse.ok("text/plain", "")))
                .hasMessageContaining("must start with /");
        assertThatThrownBy(() -> ServerConfig.builder().route("/m", r -> HttpResponse.ok("text/plain", ""))
                .route("/m", r -> HttpResponse.ok("text/plain", ""))).hasMessage("a route for /m was added already");
        assertThatThrownBy(() -> new HttpResponse(99, "text/plain", new byte[0])).hasMessageContaining("between 200 and 599");
    }
}
