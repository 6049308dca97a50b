package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that pings and never reads must not make the server hold a pong per ping: every engine answers
 * only the latest ping while earlier pongs wait (RFC 6455 5.5.3), so what the server holds for it stays one
 * pong, whatever the client sends. The pongs it is owed still count as bytes waiting for it: with the
 * slow-reader bound on, it is closed 4002 like any client that does not read.
 */
class PongCoalescingTest {
    private static final int PINGS = 100_000;

    private SignalingServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientThatNeverReadsItsPongsGetsTheLatestAndNotOnePerPing() throws Exception {
        // the slow-reader bound off: what is held is what this test weighs
        server = new SignalingServer(Servers.loopback()
                .hubConfig(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).maxBufferedBytes(0).build()).build()).start();
        try (RawWs ws = RawWs.open(server.port(), "/ws/alice", 4096)) {
            ws.sendText("{\"type\":\"register\",\"id\":\"alice\"}");
            // 100,000 pings of 125 bytes, the counter in the first 4, written without reading a byte
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 1; i <= PINGS; i++) {
                all.writeBytes(WireConformanceTest.frame(0x89, payload(i), true));
                if (all.size() > 1 << 20 || i == PINGS) {
                    ws.socket.getOutputStream().write(all.toByteArray());
                    all.reset();
                }
            }
            ws.socket.getOutputStream().flush();
            int pongs = 0;
            while (true) {
                RawWs.Frame f = ws.read();
                assertThat(f.opcode()).as("no close: pinging is allowed").isNotEqualTo(0x8);
                if (f.opcode() != 0xA) {
                    continue;
                }
                pongs++;
                if (Arrays.equals(f.payload(), payload(PINGS))) {
                    break; // the latest ping is always answered
                }
            }
            // the socket buffers hold a few thousand; a pong per ping would be all 100,000
            assertThat(pongs).isLessThan(PINGS / 2);
        }
    }

    @Test
    void aClientThatPingsAndNeverReadsItsPongsIsASlowReader() throws Exception {
        server = new SignalingServer(Servers.loopback()
                .hubConfig(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).maxBufferedBytes(64 * 1024).build())
                .build()).start();
        try (RawWs ws = RawWs.open(server.port(), "/ws/alice", 4096)) {
            ws.sendText("{\"type\":\"register\",\"id\":\"alice\"}");
            Await.until("alice is registered", () -> server.hub().isRegistered("alice"));
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            int sent = 0;
            // pings without reading a byte, a thousand at a time, until the hub cuts the client off
            while (server.hub().isRegistered("alice") && sent < PINGS) {
                for (int i = 0; i < 1000; i++) {
                    batch.writeBytes(WireConformanceTest.frame(0x89, payload(++sent), true));
                }
                ws.socket.getOutputStream().write(batch.toByteArray());
                batch.reset();
            }
            assertThat(sent).as("cut off before all pings were sent").isLessThan(PINGS);
            assertThat(ws.readUntilClose()).isEqualTo(dev.mvp.signaling.core.CloseCodes.SLOW_CONSUMER);
        }
    }

    private static byte[] payload(int i) {
        return ByteBuffer.allocate(125).putInt(i).array();
    }
}
