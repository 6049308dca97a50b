package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dead connections are found by WebSocket pings and cleaned up like a disconnect. */
class LivenessTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aClientThatNeverAnswersPingsIsDroppedWithinTwoAndAHalfIntervalsAndItsPeersGetBye() throws Exception {
        server = new SignalingServer(Servers.loopback().pingInterval(INTERVAL).build()).start();
        try (RawWs ghost = RawWs.open(server.port(), "/ws/ghost", 0); WsClient bob = WsClient.register(server, "bob")) {
            ghost.sendText("{\"type\":\"register\",\"id\":\"ghost\"}");
            RawWs.Frame first = ghost.read();
            while (first.opcode() != 0x1) { // on a slow machine the server may ping the ghost before it registers
                first = ghost.read();
            }
            assertThat(first.text()).contains("registered");
            ghost.sendText("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            long lastWord = System.nanoTime();
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("offer");
            // from here on the ghost neither reads nor writes: its kernel acks, but no pong comes

            JsonObject bye = bob.nextJson();
            long silentMs = (System.nanoTime() - lastWord) / 1_000_000;
            System.out.printf("LivenessTest: ping interval %d ms, silent client dropped after %d ms%n",
                    INTERVAL.toMillis(), silentMs);
            assertThat(bye.get("type").getAsString()).isEqualTo("bye");
            assertThat(bye.get("from").getAsString()).isEqualTo("ghost");
            assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
            assertThat(silentMs).isGreaterThanOrEqualTo(2 * INTERVAL.toMillis())
                    .isLessThan(INTERVAL.toMillis() * 5 / 2 + 400); // 2.5 intervals, plus scheduling slack
            assertThat(server.hub().isRegistered("ghost")).isFalse();
        }
    }

    @Test
    void aQuietClientThatAnswersPingsStaysConnected() throws Exception {
        server = new SignalingServer(Servers.loopback().pingInterval(Duration.ofMillis(100)).build()).start();
        try (WsClient alice = WsClient.register(server, "alice")) {
            // The JDK client answers pings by itself; stay silent for many intervals.
            assertThat(alice.poll(800)).isNull();
            assertThat(alice.closed).isNotDone();
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("pong");
            assertThat(server.hub().isRegistered("alice")).isTrue();
        }
    }
}
