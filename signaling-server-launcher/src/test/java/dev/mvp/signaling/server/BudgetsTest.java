package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's totals across connections, over real sockets: bytes waiting for all clients, and bytes of
 * messages not fully arrived from all clients. Each per-connection bound stays far above what the test
 * sends one connection, so only the total can cut a connection off.
 */
class BudgetsTest {
    private static final long TOTAL = 256 * 1024;
    private static final String SDP = "v=0 " + "s".repeat(16 * 1024);
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void clientsThatDoNotReadAreShedWhenAllTogetherHoldMoreThanTheTotal() throws Exception {
        server = new SignalingServer(RecordingEngine.loopback().bufferedBytesTotal(TOTAL)
                .hubConfig(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build()).build()).start();
        List<RawWs> readers = new ArrayList<>();
        try (WsClient flooder = WsClient.register(server, "flooder");
             WsClient carol = WsClient.register(server, "carol");
             WsClient dave = WsClient.register(server, "dave")) {
            for (int i = 0; i < 4; i++) {
                RawWs r = RawWs.open(server.port(), "/ws/reader" + i, 4096);
                readers.add(r);
                r.sendText("{\"type\":\"register\",\"id\":\"reader" + i + "\"}");
                assertThat(r.read().text()).contains("registered");
            }
            List<? extends Connection> readerConnections = RecordingEngine.open().stream()
                    .filter(c -> c.handshake().path().startsWith("/ws/reader")).toList();
            assertThat(readerConnections).hasSize(4);
            long highest = 0;
            int sent = 0;
            while (anyRegistered(4) && sent < 8000) {
                String to = "reader" + (sent % 4);
                flooder.send("{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + SDP + sent + "\"}");
                sent++;
                if (sent % 25 == 0) { // a pair that reads keeps being served
                    carol.send("{\"type\":\"offer\",\"to\":\"dave\",\"sdp\":\"during " + sent + "\"}");
                    assertThat(dave.next()).contains("during " + sent);
                }
                highest = Math.max(highest, readerConnections.stream().mapToLong(Connection::bufferedBytes).sum());
            }
            Await.until("every reader is cut off", () -> !anyRegistered(4));
            System.out.printf("BudgetsTest: %d offers sent; highest held for the readers together %d bytes"
                    + " (total %d)%n", sent, highest, TOTAL);
            // each reader alone stays far under its own bound (1 MiB): the total cut them off
            assertThat(highest).isLessThanOrEqualTo(TOTAL + 2L * (SDP.length() + 64));
            for (RawWs r : readers) {
                RawWs.Frame close = r.readCloseFrame();
                assertThat(close.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
                assertThat(close.closeReason()).contains("all clients");
            }
            carol.send("{\"type\":\"offer\",\"to\":\"dave\",\"sdp\":\"after\"}");
            assertThat(dave.next()).contains("\"after\"");
        } finally {
            for (RawWs r : readers) {
                r.close();
            }
        }
    }

    @Test
    void theConnectionThatTakesUnfinishedMessagesOverTheTotalIsClosed1009() throws Exception {
        server = new SignalingServer(Servers.loopback().assemblyBytesTotal(TOTAL)
                .hubConfig(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build()).build()).start();
        byte[] part = new byte[100 * 1024];
        Arrays.fill(part, (byte) 'x');
        try (RawWs a = RawWs.open(server.port(), "/ws/a", 0);
             RawWs b = RawWs.open(server.port(), "/ws/b", 0);
             RawWs c = RawWs.open(server.port(), "/ws/c", 0);
             RawWs d = RawWs.open(server.port(), "/ws/d", 0);
             WsClient carol = WsClient.register(server, "carol");
             WsClient dave = WsClient.register(server, "dave")) {
            // two unfinished messages: a first fragment each, 200 KiB together, under the total
            startMessage(a, part);
            startMessage(b, part);
            // a third client's frame, not fully arrived, takes the total over
            byte[] head = WireConformanceTest.frame(0x81, new byte[512 * 1024], true);
            c.socket.getOutputStream().write(head, 0, 14 + part.length);
            c.socket.getOutputStream().flush();
            RawWs.Frame close = c.readCloseFrame();
            assertThat(close.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
            assertThat(close.closeReason()).contains("unfinished messages");
            // the others stay, and a pair that sends whole messages is served
            assertPong(a);
            assertPong(b);
            carol.send("{\"type\":\"offer\",\"to\":\"dave\",\"sdp\":\"after\"}");
            assertThat(dave.next()).contains("\"after\"");
            // what a closed connection held is given back: another may start a message
            int before = server.hub().stats().connections();
            a.close();
            Await.until("a is gone", () -> server.hub().stats().connections() < before);
            startMessage(d, part);
        }
    }

    /** Sends a first fragment, then a ping, and waits for the pong: the fragment has been read by then. */
    private static void startMessage(RawWs ws, byte[] part) throws IOException {
        ws.sendFrame(0x1, part, false);
        assertPong(ws);
    }

    private static void assertPong(RawWs ws) throws IOException {
        ws.sendFrame(0x9, new byte[] {7}, true);
        RawWs.Frame f = ws.read();
        assertThat(f.opcode()).as("a pong, not a close").isEqualTo(0xA);
    }

    private boolean anyRegistered(int readers) {
        for (int i = 0; i < readers; i++) {
            if (server.hub().isRegistered("reader" + i)) {
                return true;
            }
        }
        return false;
    }

}
