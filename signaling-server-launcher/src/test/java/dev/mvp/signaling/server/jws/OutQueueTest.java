package dev.mvp.signaling.server.jws;

import dev.mvp.signaling.server.WsClient;
import dev.mvp.signaling.server.Raw;
import dev.mvp.signaling.server.Await;
import dev.mvp.signaling.server.RecordingEngine;
import dev.mvp.signaling.server.SignalingServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** No frame may wait in a connection's out-queue; bufferedBytes() counts what waits. */
class OutQueueTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private WsConnection onlyConnection() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (RecordingEngine.open().size() != 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(RecordingEngine.open()).hasSize(1);
        return (WsConnection) RecordingEngine.open().get(0);
    }

    @Test
    void aFrameLeftInTheOutQueueWithoutWriteInterestIsStillDelivered() throws Exception {
        server = new SignalingServer(RecordingEngine.loopback().build()).start();
        try (WsClient alice = WsClient.register(server, "alice")) {
            WsConnection c = onlyConnection();
            // The state the library's race leaves behind: the frame is queued, the write request lost.
            assertThat(c.enqueue("{\"type\":\"stuck\"}")).isTrue();
            // Without the guard nothing wakes the selector for it and this times out. (The guard need not be
            // the one that flushed it: a stray selector wakeup may write it first, so repairs() is not asserted.)
            assertThat(alice.next()).isEqualTo("{\"type\":\"stuck\"}");
            // The count drops once the write returns, which can be just after the client has read it.
            Await.until("nothing buffered", () -> c.bufferedBytes() == 0);
        }
    }

    @Test
    void manyRoundTripsNeverStall() throws Exception {
        server = new SignalingServer(RecordingEngine.loopback().hubConfig(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build()).build()).start();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient bob = WsClient.register(server, "bob")) {
            for (int i = 0; i < 1000; i++) {
                alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"" + i + "\"}");
                assertThat(bob.next()).endsWith("\"sdp\":\"" + i + "\"}");
                bob.send("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"" + i + "\"}");
                assertThat(alice.next()).endsWith("\"sdp\":\"" + i + "\"}");
            }
        }
    }

    @Test
    void bufferedBytesCountsWhatASlowReaderHasNotTakenAndDropsToZeroOnceRead() throws Exception {
        server = new SignalingServer(RecordingEngine.loopback().build()).start();
        try (Socket raw = Raw.open(server.port())) {
            Raw.write(raw, Raw.upgrade("/ws/slow"));
            InputStream in = raw.getInputStream();
            assertThat(Raw.readHead(in)).startsWith("HTTP/1.1 101");
            WsConnection c = onlyConnection();
            String big = "x".repeat(60_000);
            int frames = 300; // ~18 MB: more than the socket buffers hold
            for (int i = 0; i < frames; i++) {
                c.send(big);
            }
            assertThat(c.bufferedBytes()).isPositive().isLessThanOrEqualTo(frames * 60_004L);
            long total = 0;
            byte[] buf = new byte[1 << 16];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (total < frames * 60_004L && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            assertThat(total).isEqualTo(frames * 60_004L); // 4-byte header per 60,000-byte frame
            // the selector subtracts right after its write returns, which may be after we read the bytes
            Await.until("the count drops to zero", () -> c.bufferedBytes() == 0);
        }
    }
}
