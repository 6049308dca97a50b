package dev.mvp.signaling.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.RecordingEngine;
import dev.mvp.signaling.server.SignalingServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a WebSocket ends on the Netty engine, seen from a raw socket: one close frame, the first code kept. */
class ClosingTest {
    private static final int TIMEOUT_MS = 10_000;

    private final CompletableFuture<Integer> leftCode = new CompletableFuture<>();
    private final SignalingHub hub = new SignalingHub(HubConfig.builder().listener(new HubListener() {
        @Override
        public void left(String id, int code, String reason) {
            leftCode.complete(code);
        }
    }).build());
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        hub.close();
    }

    private int start() {
        server = NettyEngineTest.start(hub, 0);
        return server.port();
    }

    @Test
    void invalidUtf8FailsTheConnectionAndNothingSentAfterItReachesTheHub() throws Exception {
        int port = start();
        try (Raw mallory = Raw.open(port, "mallory"); Raw bob = Raw.open(port, "bob")) {
            bob.send(1, "{\"type\":\"register\",\"id\":\"bob\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(bob.readText()).contains("registered");
            mallory.send(1, "{\"type\":\"register\",\"id\":\"mallory\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(mallory.readText()).contains("registered");
            long routedBefore = hub.stats().messagesRouted();
            // in one write: a text frame that is not UTF-8, then a valid offer the hub would route to bob
            byte[] bad = {'{', '"', (byte) 0xC3, '"', '}'};
            byte[] offer = "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}".getBytes(StandardCharsets.UTF_8);
            mallory.sendAll(Raw.frame(1, bad), Raw.frame(1, offer));
            assertThat(mallory.readClose()).isEqualTo(1007);
            assertThat(mallory.readToEnd()).as("nothing after the close frame, then the socket closes").isEmpty();
            assertThat(leftCode.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isEqualTo(1007);
            assertThat(hub.stats().messagesRouted()).isEqualTo(routedBefore);
        }
    }

    @Test
    void aProtocolErrorAfterOurCloseFrameSendsNoSecondOneAndKeepsTheFirstCode() throws Exception {
        int port = start();
        try (Raw eve = Raw.open(port, "eve")) {
            eve.send(1, "{\"type\":\"register\",\"id\":\"eve\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(eve.readText()).contains("registered");
            List<? extends Connection> open = RecordingEngine.open();
            open.get(0).close(1001, "going away");
            assertThat(eve.readClose()).isEqualTo(1001);
            // instead of answering the close, an unmasked frame: a protocol error
            eve.sendAll(new byte[] {(byte) 0x81, 2, 'h', 'i'});
            assertThat(eve.readToEnd()).as("no second close frame").isEmpty();
            assertThat(leftCode.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isEqualTo(1001);
        }
    }

    /** A WebSocket client on a plain socket: masked frames out, frames in, nothing hidden. */
    static final class Raw implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        private Raw(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
        }

        static Raw open(int port, String id) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write(("GET /ws/" + id + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Raw raw = new Raw(s);
            String head = raw.readHead();
            assertThat(head).startsWith("HTTP/1.1 101");
            return raw;
        }

        private String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.readUnsignedByte());
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        /** A final, masked client frame (mask key zero: the payload goes as it is). */
        static byte[] frame(int opcode, byte[] payload) {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x80 | opcode);
            if (payload.length < 126) {
                f.write(0x80 | payload.length);
            } else {
                f.write(0x80 | 126);
                f.write(payload.length >> 8);
                f.write(payload.length & 0xFF);
            }
            f.writeBytes(new byte[4]);
            f.writeBytes(payload);
            return f.toByteArray();
        }

        void send(int opcode, byte[] payload) throws IOException {
            sendAll(frame(opcode, payload));
        }

        void sendAll(byte[]... frames) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] f : frames) {
                all.writeBytes(f);
            }
            socket.getOutputStream().write(all.toByteArray());
            socket.getOutputStream().flush();
        }

        private int[] opcodeAndPayload(byte[][] payload) throws IOException {
            int b0 = in.readUnsignedByte();
            int len = in.readUnsignedByte() & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = (int) in.readLong();
            }
            payload[0] = new byte[len];
            in.readFully(payload[0]);
            return new int[] {b0 & 0x0F};
        }

        String readText() throws IOException {
            byte[][] p = new byte[1][];
            int op = opcodeAndPayload(p)[0];
            assertThat(op).as("a text frame").isEqualTo(1);
            return new String(p[0], StandardCharsets.UTF_8);
        }

        /** Reads frames up to a close frame; its code. */
        int readClose() throws IOException {
            byte[][] p = new byte[1][];
            while (true) {
                int op = opcodeAndPayload(p)[0];
                if (op == 8) {
                    return ((p[0][0] & 0xFF) << 8) | (p[0][1] & 0xFF);
                }
            }
        }

        /** Everything until the server closes the socket. */
        byte[] readToEnd() throws IOException {
            InputStream raw = socket.getInputStream();
            try {
                return raw.readAllBytes();
            } catch (EOFException e) {
                return new byte[0];
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
