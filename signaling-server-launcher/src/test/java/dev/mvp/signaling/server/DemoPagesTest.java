package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The browser demo at /demo/, served only when asked for. */
class DemoPagesTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDemoIsServedWithItsContentTypesWhenEnabled() throws Exception {
        server = new SignalingServer(Servers.loopback().demo(true).build()).start();
        HttpResponse<String> page = get("/demo/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script src=\"demo.js\"></script>");
        assertThat(get("/demo/index.html").body()).isEqualTo(page.body());

        HttpResponse<String> script = get("/demo/demo.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("window.demo");
        assertThat(script.body().length()).isEqualTo(new String(getClass().getClassLoader()
                .getResourceAsStream("demo/demo.js").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).length());

        assertThat(get("/demo/missing.js").statusCode()).isEqualTo(404);
        assertThat(get("/demo/../status").statusCode()).isIn(200, 404); // normalised by the client or refused
    }

    @Test
    void theDemoHasAFaviconTheBrowserFinds() throws Exception {
        server = new SignalingServer(Servers.loopback().demo(true).build()).start();
        assertThat(get("/demo/").body()).contains("<link rel=\"icon\" href=\"favicon.svg\"");
        for (String path : new String[] {"/demo/favicon.svg", "/favicon.ico"}) {
            HttpResponse<String> icon = get(path);
            assertThat(icon.statusCode()).as(path).isEqualTo(200);
            assertThat(icon.headers().firstValue("Content-Type")).as(path).hasValue("image/svg+xml");
            assertThat(icon.body()).as(path).startsWith("<svg ");
        }
    }

    @Test
    void slashlessDemoRedirectsKeepingTheQuery() throws Exception {
        server = new SignalingServer(Servers.loopback().demo(true).build()).start();
        String response = Raw.exchange(server.port(), "GET /demo?id=alice&peer=bob HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 308").contains("Location: /demo/?id=alice&peer=bob\r\n");
        HttpResponse<String> followed = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(server.uri("/demo?id=alice")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(followed.uri().getPath()).isEqualTo("/demo/");
    }

    @Test
    void theDemoIsNotServedByDefault() throws Exception {
        server = Servers.start();
        assertThat(server.config().demo()).isFalse();
        assertThat(get("/demo/").statusCode()).isEqualTo(404);
        assertThat(get("/demo").statusCode()).isEqualTo(404);
        assertThat(get("/demo/demo.js").statusCode()).isEqualTo(404);
        assertThat(get("/favicon.ico").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyGetAndHeadAreAllowedOnTheDemo() throws Exception {
        server = new SignalingServer(Servers.loopback().demo(true).build()).start();
        assertThat(Raw.exchange(server.port(), "POST /demo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405");
        String head = Raw.exchange(server.port(), "HEAD /demo/demo.js HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Type: text/javascript").endsWith("\r\n\r\n");
    }
}
