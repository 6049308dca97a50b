package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a raw socket, for tests that need what a polite client never does: stop
 * reading, never answer pings, send invalid UTF-8 or drop the connection without a close frame.
 */
public final class RawWs implements AutoCloseable {
    /** One frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame. */
        public int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        /** The reason of a close frame. */
        public String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    private final DataInputStream in;

    private RawWs(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /**
     * Connects and completes the handshake for {@code path}.
     *
     * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's
     */
    public static RawWs open(int port, String path, int receiveBuffer) throws Exception {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer); // before connect, so the window stays small
        }
        s.setSoTimeout(Raw.TIMEOUT_MS);
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), Raw.TIMEOUT_MS);
        RawWs ws = new RawWs(s);
        Raw.write(s, Raw.upgrade(path));
        String head = HostileClientsTest.readHead(s.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 101");
        return ws;
    }

    /**
     * Completes the handshake for {@code path} on a socket already connected (a TLS socket, for one).
     */
    public static RawWs over(Socket s, String path) throws Exception {
        s.setSoTimeout(Raw.TIMEOUT_MS);
        RawWs ws = new RawWs(s);
        Raw.write(s, Raw.upgrade(path));
        String head = HostileClientsTest.readHead(s.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 101");
        return ws;
    }

    public void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends one masked frame with any opcode and payload. */
    public void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(0x80 | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        out.writeBytes(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.writeBytes(masked);
        socket.getOutputStream().write(out.toByteArray());
        socket.getOutputStream().flush();
    }

    /** The next frame from the server; throws on timeout or end of stream. */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(len)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until a close frame comes, skipping everything else; returns its code. */
    public int readUntilClose() throws IOException {
        return readCloseFrame().closeCode();
    }

    /** Reads frames until a close frame comes, skipping everything else; returns it. */
    public Frame readCloseFrame() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == 0x8) {
                return f;
            }
        }
    }

    /** Drops the TCP connection without a close frame. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
