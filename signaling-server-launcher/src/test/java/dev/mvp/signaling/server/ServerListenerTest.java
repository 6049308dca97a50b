package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's listeners hear of every WebSocket handshake, with its duration, on the engine under test. */
class ServerListenerTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyListenerHearsEveryHandshakeAndOneThatThrowsChangesNothing() throws Exception {
        List<Duration> heard = new CopyOnWriteArrayList<>();
        ServerListener broken = new ServerListener() {
            @Override
            public void handshakeCompleted(Duration took) {
                throw new IllegalStateException("a listener that fails");
            }
        };
        ServerListener recording = new ServerListener() {
            @Override
            public void handshakeCompleted(Duration took) {
                heard.add(took);
            }
        };
        server = new SignalingServer(Servers.loopback().serverListener(broken).serverListener(recording).build()).start();
        assertThat(server.config().serverListeners()).containsExactly(broken, recording);

        long before = System.nanoTime();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
            long bound = System.nanoTime() - before;
            Await.until("both handshakes heard", () -> heard.size() == 2);
            assertThat(heard).allSatisfy(took -> assertThat(took).isPositive().isLessThanOrEqualTo(Duration.ofNanos(bound)));
            // A plain HTTP request is no handshake.
            assertThat(Raw.exchange(server.port(), "GET /status HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(heard).hasSize(2);
        }
    }
}
