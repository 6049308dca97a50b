package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ConnectException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shutdown tells every client to reconnect elsewhere, closes it with 1001, and is bounded in time. */
class DrainTest {

    @Test
    void closeSendsServerShutdownThenGoingAwayToEveryClient() throws Exception {
        SignalingServer server = Servers.start();
        int port = server.port();
        try (WsClient alice = WsClient.register(server, "alice");
             WsClient unregistered = WsClient.connect(server.webSocketUri("bob"));
             RawWs raw = RawWs.open(port, "/ws/carol", 0)) {
            Await.until("three connections", () -> server.hub().stats().connections() == 3);
            long start = System.nanoTime();
            server.close();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            for (WsClient c : new WsClient[] {alice, unregistered}) {
                JsonObject notice = c.nextJson();
                assertThat(notice.get("type").getAsString()).isEqualTo("server-shutdown");
                assertThat(notice.get("reconnect").getAsBoolean()).isTrue();
                assertThat(notice.get("message").getAsString()).isNotBlank();
                assertThat(c.awaitClose()).isEqualTo("1001 server shutting down");
            }
            // the exact frame, as a client that does not parse JSON sees it
            RawWs.Frame first = raw.read();
            assertThat(first.text()).isEqualTo(SignalingServer.SHUTDOWN_NOTICE);
            assertThat(JsonParser.parseString(first.text()).getAsJsonObject().keySet())
                    .containsExactly("type", "reconnect", "message");
            assertThat(raw.readUntilClose()).isEqualTo(1001);
            assertThat(ms).isLessThan(server.config().shutdownTimeout().toMillis() + 1500);
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            throw new AssertionError("the port still accepts after close(): " + s);
        } catch (ConnectException expected) {
            // refused: nobody listens any more
        }
    }

    @Test
    void aClientThatIgnoresTheCloseIsDroppedAtTheShutdownTimeout() throws Exception {
        SignalingServer server = new SignalingServer(Servers.loopback()
                .shutdownTimeout(java.time.Duration.ofMillis(300)).build()).start();
        try (RawWs deaf = RawWs.open(server.port(), "/ws/deaf", 0)) {
            deaf.sendText("{\"type\":\"register\",\"id\":\"deaf\"}");
            assertThat(deaf.read().text()).contains("registered");
            long start = System.nanoTime();
            server.close(); // the raw client never answers the close frame
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isLessThan(300 + 1500);
            assertThat(deaf.read().text()).isEqualTo(SignalingServer.SHUTDOWN_NOTICE);
            assertThat(deaf.readUntilClose()).isEqualTo(1001);
        }
    }
}
