package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    /** The most a shed connection's socket buffer may keep of it until the socket closes (Netty's write buffer). */
    private static final long LINGER = 64 * 1024;
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
            // each reader alone stays far under its own bound (1 MiB): the total cut them off. A reader once shed
            // may still hold, until its socket closes, what the engine had already handed its socket buffer (on
            // Netty up to its 64 KiB write buffer and a frame); those bytes are counted as going, and nobody
            // else is cut for them
            assertThat(highest).isLessThanOrEqualTo(TOTAL + 2L * (SDP.length() + 64) + 4L * (LINGER + SDP.length() + 64));
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
    void overTheTotalOfUnfinishedMessagesTheLargestHoldersAreClosedNotAPairWhoseOfferIsHalfArrived() throws Exception {
        server = new SignalingServer(Servers.loopback().assemblyBytesTotal(TOTAL)
                .hubConfig(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build()).build()).start();
        int room = 1000; // what the holders leave of the total: less than half an offer
        try (RawWs a = RawWs.open(server.port(), "/ws/a", 0);
             RawWs b = RawWs.open(server.port(), "/ws/b", 0);
             RawWs c = RawWs.open(server.port(), "/ws/c", 0);
             RawWs d1 = RawWs.open(server.port(), "/ws/d1", 0);
             RawWs d2 = RawWs.open(server.port(), "/ws/d2", 0);
             RawWs carol = RawWs.open(server.port(), "/ws/carol", 0);
             RawWs dave = RawWs.open(server.port(), "/ws/dave", 0)) {
            register(carol, "carol");
            register(dave, "dave");
            hold(a, 100_000);
            hold(b, 95_000);
            hold(c, (int) TOTAL - room - 195_000);
            // a normal offer arrives in two reads: its first half takes the total over, a holds the most
            String offer = "{\"type\":\"offer\",\"to\":\"dave\",\"sdp\":\"v=0 " + "o".repeat(2500) + "\"}";
            sendInTwoReads(carol, offer, a);
            assertThat(dave.read().text()).contains("\"offer\"").contains("\"from\":\"carol\"");
            // two more holders fill what a let go of; the answer's first half crosses again: b holds the most
            hold(d1, 50_000);
            hold(d2, 50_000);
            String answer = "{\"type\":\"answer\",\"to\":\"carol\",\"sdp\":\"v=0 " + "a".repeat(2500) + "\"}";
            sendInTwoReads(dave, answer, b);
            assertThat(carol.read().text()).contains("\"answer\"").contains("\"from\":\"dave\"");
            // the smaller holders stay, and the pair goes on exchanging
            assertPong(c);
            assertPong(d1);
            assertPong(d2);
            carol.sendText("{\"type\":\"offer\",\"to\":\"dave\",\"sdp\":\"after\"}");
            assertThat(dave.read().text()).contains("\"after\"");
            // what the shed connections held is given back: another may start a large message
            try (RawWs e = RawWs.open(server.port(), "/ws/e", 0)) {
                hold(e, 90_000);
            }
        }
    }

    private static void register(RawWs ws, String id) throws IOException {
        ws.sendText("{\"type\":\"register\",\"id\":\"" + id + "\"}");
        assertThat(ws.read().text()).contains("registered");
    }

    /**
     * Starts a message of {@code bytes} and leaves it unfinished: fragments of at most 1,000 bytes, each
     * written with a ping and read before the next (its pong came back), so that no frame is held half
     * arrived and the connection holds exactly {@code bytes}.
     */
    private static void hold(RawWs ws, int bytes) throws IOException {
        for (int sent = 0; sent < bytes; sent += 1000) {
            byte[] part = new byte[Math.min(1000, bytes - sent)];
            Arrays.fill(part, (byte) 'x');
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(WireConformanceTest.frame(sent == 0 ? 0x01 : 0x00, part, true));
            out.writeBytes(WireConformanceTest.frame(0x89, new byte[] {7}, true));
            ws.socket.getOutputStream().write(out.toByteArray());
            ws.socket.getOutputStream().flush();
            assertThat(ws.read().opcode()).as("a pong, not a close").isEqualTo(0xA);
        }
    }

    /**
     * Writes a text frame in two parts: its first half, then, once the server has answered that half by
     * closing {@code largest} with 1009, the rest.
     */
    private static void sendInTwoReads(RawWs sender, String text, RawWs largest) throws IOException {
        byte[] frame = WireConformanceTest.frame(0x81, text.getBytes(StandardCharsets.UTF_8), true);
        int half = frame.length / 2;
        sender.socket.getOutputStream().write(frame, 0, half);
        sender.socket.getOutputStream().flush();
        RawWs.Frame close = largest.readCloseFrame();
        assertThat(close.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        assertThat(close.closeReason()).contains("unfinished messages", "the most from this one");
        sender.socket.getOutputStream().write(frame, half, frame.length - half);
        sender.socket.getOutputStream().flush();
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
