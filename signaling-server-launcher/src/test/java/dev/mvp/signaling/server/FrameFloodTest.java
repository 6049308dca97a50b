package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every frame a client sends counts against its rate limit, not only text: a flood of pings, pongs or
 * binary frames is refused and closed with 1008 like a flood of messages, on each transport.
 */
class FrameFloodTest {
    /** Five frames at once and, for the length of a test, no refill: the count of frames decides alone. */
    private static final RateLimit LIMIT = new RateLimit(0.01, 5);

    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x9, 0xA, 0x2}) // ping, pong, binary
    void aFloodOfFramesThatCarryNoMessageIsClosedWith1008(int opcode) throws Exception {
        server = Servers.start(HubConfig.builder().rateLimit(LIMIT).build());
        try (RawWs raw = RawWs.open(server.port(), "/ws/flooder", 0)) {
            raw.sendText("{\"type\":\"register\",\"id\":\"flooder\"}"); // takes one token
            assertThat(raw.read().text()).contains("registered");
            // four frames take the rest of the burst; then each frame is a strike, and the sixth passes the burst
            for (int i = 0; i < 4 + LIMIT.burst() + 1; i++) {
                raw.sendFrame(opcode, new byte[] {1, 2, 3}, true);
            }
            int limited = 0;
            while (true) {
                RawWs.Frame f = raw.read();
                if (f.opcode() == 0x8) {
                    assertThat(f.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
                    break;
                }
                if (f.opcode() == 0x1 && f.text().contains("rate-limited")) {
                    limited++;
                }
            }
            assertThat(limited).isEqualTo(LIMIT.burst() + 1);
        }
        Await.until("the hub forgot the flooder", () -> !server.hub().isRegistered("flooder"));
    }

    /**
     * A flooder is failed (RFC 6455 7.1.7), not asked to close: after the 1008 close frame the server ends
     * the TCP connection at once, whatever the client goes on sending, instead of decoding its frames until
     * the close timeout (here far longer than the read's own timeout).
     */
    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x9, 0x1}) // ping, text
    void aFlooderIsDisconnectedRightAfterItsCloseFrameWhateverItStillSends(int opcode) throws Exception {
        server = new SignalingServer(Servers.loopback().shutdownTimeout(Duration.ofSeconds(60))
                .hubConfig(HubConfig.builder().rateLimit(LIMIT).build()).build()).start();
        try (RawWs raw = RawWs.open(server.port(), "/ws/flooder", 0)) {
            raw.sendText("{\"type\":\"register\",\"id\":\"flooder\"}");
            assertThat(raw.read().text()).contains("registered");
            byte[] payload = opcode == 0x1 ? "{\"type\":\"ping\"}".getBytes() : new byte[] {1, 2, 3};
            for (int i = 0; i < 4 + LIMIT.burst() + 1; i++) {
                raw.sendFrame(opcode, payload, true);
            }
            assertThat(raw.readUntilClose()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            try {
                for (int i = 0; i < 100; i++) {
                    raw.sendFrame(opcode, payload, true); // no close frame of its own, only more of the flood
                }
            } catch (IOException alreadyGone) {
                // the server may have ended the connection already: that is the point
            }
            assertThatThrownBy(raw::read).as("the server ends the connection, within the read timeout")
                    .isInstanceOf(EOFException.class);
        }
    }
}
