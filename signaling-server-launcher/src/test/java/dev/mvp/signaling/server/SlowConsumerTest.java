package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that never reads, flooded over real sockets: what the server holds for it stays bounded,
 * it is closed with 4002, and everybody else keeps being served.
 */
class SlowConsumerTest {
    private static final long MAX_BUFFERED = 64 * 1024;
    private static final String SDP = "v=0 " + "s".repeat(16 * 1024);
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aClientThatDoesNotReadIsCutAt4002WhileItsBufferStaysBounded() throws Exception {
        server = new SignalingServer(RecordingEngine.loopback()
                .hubConfig(HubConfig.builder().maxBufferedBytes(MAX_BUFFERED).rateLimit(RateLimit.UNLIMITED).build()).build()).start();
        try (RawWs reader = RawWs.open(server.port(), "/ws/reader", 4096);
             WsClient flooder = WsClient.register(server, "flooder");
             WsClient carol = WsClient.register(server, "carol");
             WsClient dave = WsClient.register(server, "dave")) {
            reader.sendText("{\"type\":\"register\",\"id\":\"reader\"}");
            assertThat(reader.read().text()).contains("registered");
            dev.mvp.signaling.core.Connection readerConnection = RecordingEngine.open().stream()
                    .filter(c -> c.handshake().path().equals("/ws/reader")).findFirst().orElseThrow();

            // Watches the reader's out-buffer from another thread for as long as the flood goes on.
            java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (flooding.get()) {
                    peak.accumulateAndGet(readerConnection.bufferedBytes(), Math::max);
                    Thread.onSpinWait();
                }
            }, "test-buffer-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long highest = 0;
            int sent = 0;
            int frameBytes = 0;
            long start = System.nanoTime();
            // Flood until the hub cuts the reader off; the kernel's socket buffers take a few MB first.
            while (server.hub().isRegistered("reader") && sent < 4000) {
                String offer = "{\"type\":\"offer\",\"to\":\"reader\",\"sdp\":\"" + SDP + sent + "\"}";
                frameBytes = Math.max(frameBytes, offer.length() + 14);
                flooder.send(offer);
                sent++;
                if (sent % 25 == 0) { // others are served while the flood goes on
                    carol.send("{\"type\":\"offer\",\"to\":\"dave\",\"sdp\":\"during " + sent + "\"}");
                    assertThat(dave.next()).contains("during " + sent);
                }
                highest = Math.max(highest, readerConnection.bufferedBytes());
            }
            // The flooder's frames are routed on its own connection's events: wait for the last of them.
            Await.until("the reader is cut off", () -> !server.hub().isRegistered("reader"));
            flooding.set(false);
            sampler.join(Raw.TIMEOUT_MS);
            highest = Math.max(highest, peak.get());
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("SlowConsumerTest: %d offers of %d bytes sent in %d ms; highest buffered for the"
                    + " reader %d bytes (bound %d + one frame %d)%n", sent, frameBytes, ms, highest, MAX_BUFFERED, frameBytes);

            // Netty counts a write queued for the reader's event loop from another thread at its size plus a
            // task overhead (32 bytes, io.netty.transport.writeTaskSizeOverhead): with a few dozen frames in
            // flight that is up to about a kilobyte of bookkeeping on top of the bytes themselves.
            long bookkeeping = Servers.javaWebSocket() ? 0 : 2048;
            assertThat(highest).isGreaterThan(0).isLessThanOrEqualTo(MAX_BUFFERED + frameBytes + bookkeeping);
            assertThat(server.hub().stats().connections()).isEqualTo(3);

            carol.send("{\"type\":\"offer\",\"to\":\"dave\",\"sdp\":\"after\"}");
            assertThat(dave.next()).contains("\"after\"");
            assertThat(reader.readUntilClose()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        }
    }
}
