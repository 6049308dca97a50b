package dev.mvp.signaling.server.jws;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.TestKeyStore;
import dev.mvp.signaling.server.RawWs;
import dev.mvp.signaling.server.Raw;
import dev.mvp.signaling.server.Await;
import dev.mvp.signaling.server.RecordingEngine;
import dev.mvp.signaling.server.SignalingServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's frames are written from the sending thread and the library's (pongs, close frames) from its
 * selector: on the wire they must still come whole, in order, and a close frame after every frame sent
 * before it, with and without TLS, however far behind the reader is.
 */
class FrameOrderTest {
    private static final int FRAMES = 120;
    private static final int FRAME_CHARS = 40_000; // several TLS records each; ~4.8 MB in all
    @TempDir
    static Path dir;
    private static TestKeyStore keys;
    private SignalingServer server;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keys = TestKeyStore.create(dir);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void framesToASlowReaderArriveWholeInOrderWithPongsBetweenAndTheCloseLast() throws Exception {
        server = new SignalingServer(withoutSlowReaderBound().build()).start();
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connect, so the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), Raw.TIMEOUT_MS);
        try (RawWs reader = RawWs.over(socket, "/ws/slow")) {
            floodPingAndClose(reader);
        }
    }

    @Test
    void overTlsLargeFramesToASlowReaderArriveWholeInOrderWithPongsBetweenAndTheCloseLast() throws Exception {
        server = new SignalingServer(withoutSlowReaderBound().tls(keys.file(), keys.password()).build()).start();
        SSLSocket socket = (SSLSocket) keys.clientContext().getSocketFactory().createSocket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), Raw.TIMEOUT_MS);
        socket.setSoTimeout(Raw.TIMEOUT_MS);
        socket.startHandshake();
        try (RawWs reader = RawWs.over(socket, "/ws/slow")) {
            floodPingAndClose(reader);
        }
    }

    /**
     * The reader holds ~4.8 MB unread on purpose. With the hub's slow-reader bound (1 MiB by default) it
     * would be shed (4002) whenever the server's queue outruns the kernel's send buffer at the moment the
     * ping is read, which depends on how busy the machine is; that bound has its own test (SlowConsumerTest).
     */
    private static ServerConfig.Builder withoutSlowReaderBound() {
        return RecordingEngine.loopback().hubConfig(HubConfig.builder().maxBufferedBytes(0).build());
    }

    /**
     * Sends more than the socket buffers hold to a client that is not reading, so most frames queue; the
     * client pings meanwhile and the server closes behind the queued frames; then the client reads it all.
     */
    private void floodPingAndClose(RawWs reader) throws Exception {
        WsConnection c = onlyConnection();
        String filler = "x".repeat(FRAME_CHARS);
        long heardBefore = c.lastHeardNanos();
        for (int i = 0; i < FRAMES; i++) {
            c.send("{\"n\":" + i + ",\"pad\":\"" + filler + "\"}");
            if (i == FRAMES / 2) {
                reader.sendFrame(0x9, "are-you-there".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
            }
        }
        assertThat(c.bufferedBytes()).as("frames must be queued for this test to mean anything").isPositive();
        // the ping must be answered before the close is queued, or no pong may follow (RFC 6455 5.5.1)
        Await.until("the server read the ping", () -> c.lastHeardNanos() != heardBefore);
        c.close(4000, "done");

        int next = 0;
        boolean ponged = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            RawWs.Frame f = reader.read();
            if (f.opcode() == 0xA) {
                assertThat(f.text()).isEqualTo("are-you-there");
                ponged = true;
            } else if (f.opcode() == 0x8) {
                assertThat(f.closeCode()).isEqualTo(4000);
                break;
            } else {
                assertThat(f.opcode()).isEqualTo(0x1);
                String text = f.text();
                assertThat(text).startsWith("{\"n\":" + next + ",");
                assertThat(text).hasSize(FRAME_CHARS + ("{\"n\":" + next + ",\"pad\":\"\"}").length());
                next++;
            }
        }
        assertThat(next).as("every data frame before the close frame").isEqualTo(FRAMES);
        assertThat(ponged).isTrue();
    }

    private WsConnection onlyConnection() throws InterruptedException {
        Await.until("one connection", () -> RecordingEngine.open().size() == 1);
        return (WsConnection) RecordingEngine.open().get(0);
    }
}
