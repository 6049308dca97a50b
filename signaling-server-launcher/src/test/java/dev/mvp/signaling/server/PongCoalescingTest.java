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
 * pong, whatever the client sends.
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
        server = new SignalingServer(Servers.loopback()
                .hubConfig(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build()).build()).start();
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

    private static byte[] payload(int i) {
        return ByteBuffer.allocate(125).putInt(i).array();
    }
}
