package dev.mvp.signaling.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One raw, blocking client connection of the memory soak: masked frames out, frames in, nothing polite
 * unless asked.
 */
final class SoakConn implements AutoCloseable {
    private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};
    final Socket socket;
    final OutputStream out;
    private final DataInputStream in;
    /** When a connection the server leaves open stops being watched. */
    private volatile long endNanos;

    private SoakConn(Socket socket, long endNanos) throws IOException {
        this.socket = socket;
        this.endNanos = endNanos;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    static SoakConn open(InetSocketAddress address, String id, int receiveBuffer, long endNanos) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setTcpNoDelay(true);
        s.connect(address, 5000);
        s.setSoTimeout(10_000);
        SoakConn c = new SoakConn(s, endNanos);
        c.out.write(("GET /ws/" + id + " HTTP/1.1\r\nHost: soak\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        c.out.flush();
        c.readHead();
        return c;
    }

    private void readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
    }

    void register(String id) throws IOException {
        sendText("{\"type\":\"register\",\"id\":\"" + id + "\"}");
        awaitType("registered");
    }

    int sendText(String text) throws IOException {
        return sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    int sendHeader(int first, long length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(14);
        b.put((byte) first);
        if (length < 126) {
            b.put((byte) (0x80 | length));
        } else if (length < 65536) {
            b.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            b.put((byte) (0x80 | 127)).putLong(length);
        }
        b.put(MASK);
        out.write(b.array(), 0, b.position());
        return b.position();
    }

    /** One masked frame; {@code first} is the whole first byte (FIN and opcode). */
    int sendFrame(int first, byte[] payload) throws IOException {
        int header = sendHeader(first, payload.length);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ MASK[i & 3]);
        }
        out.write(masked);
        out.flush();
        return header + payload.length;
    }

    /** Reads frames until a text frame of {@code type} arrives; fails on a close. */
    void awaitType(String type) throws IOException {
        String needle = "\"type\":\"" + type + "\"";
        while (true) {
            int b0 = in.readUnsignedByte();
            byte[] payload = payload(in.readUnsignedByte());
            int opcode = b0 & 0x0F;
            if (opcode == 0x8) {
                throw new IOException("closed by the server while waiting for " + type);
            }
            if (opcode == 0x1 && new String(payload, StandardCharsets.UTF_8).contains(needle)) {
                return;
            }
        }
    }

    private byte[] payload(int b1) throws IOException {
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) Math.min(len, 16 * 1024 * 1024)];
        in.readFully(payload);
        return payload;
    }

    /** Reads and drops whatever the server sends, on a thread of its own that ends with the socket. */
    void discardInBackground() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                while (in.read(buf) >= 0) {
                    // dropped
                }
            } catch (IOException ignored) {
                // the socket closed
            }
        }, "soak-discard");
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the server to end the connection: the close code it sent, or how the socket ended. */
    String waitForEnd() {
        try {
            socket.setSoTimeout(1000);
        } catch (IOException e) {
            return "error";
        }
        while (true) {
            try {
                int b0 = in.readUnsignedByte();
                byte[] payload = payload(in.readUnsignedByte());
                if ((b0 & 0x0F) == 0x8) {
                    return payload.length >= 2 ? "close-" + (((payload[0] & 0xff) << 8) | (payload[1] & 0xff)) : "close";
                }
            } catch (SocketTimeoutException e) {
                if (socket.isClosed()) {
                    return "error";
                }
                // still open: keep waiting, the caller's deadline ends the run
                if (Thread.currentThread().isInterrupted()) {
                    return "interrupted";
                }
                if (!stillRunning()) {
                    return "still-open-at-end";
                }
            } catch (EOFException e) {
                return "dropped";
            } catch (IOException e) {
                return "reset";
            }
        }
    }

    private boolean stillRunning() {
        return System.nanoTime() < endNanos;
    }

    /** After a write failed: what the server said before it closed, if anything can still be read. */
    String endingAfterWriteFailure() {
        endNanos = Math.min(endNanos, System.nanoTime() + 2_000_000_000L);
        return waitForEnd();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
