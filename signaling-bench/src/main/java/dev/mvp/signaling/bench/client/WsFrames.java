package dev.mvp.signaling.bench.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few WebSocket (RFC 6455) frame encodings the load client needs. Client frames are masked as the
 * RFC requires; the masking key is zero, so the payload bytes are the text itself and a frame can be
 * encoded once and sent many times. The server unmasks every frame the same way whatever the key, so
 * this saves the client work without changing the server's.
 */
public final class WsFrames {
    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;

    private WsFrames() {}

    /** A masked text frame carrying {@code text}, ready to send; read-only, share it freely. */
    public static ByteBuffer text(String text) {
        return frame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked close frame with {@code code} and no reason. */
    public static ByteBuffer close(int code) {
        return frame(OP_CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /** A masked frame of any opcode. */
    public static ByteBuffer frame(int opcode, byte[] payload) {
        int n = payload.length;
        int lengthBytes = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
        ByteBuffer b = ByteBuffer.allocate(2 + lengthBytes + 4 + n);
        b.put((byte) (0x80 | opcode));
        if (lengthBytes == 0) {
            b.put((byte) (0x80 | n));
        } else if (lengthBytes == 2) {
            b.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            b.put((byte) (0x80 | 127)).putLong(n);
        }
        b.putInt(0); // masking key 0: payload XOR 0 is the payload
        b.put(payload);
        b.flip();
        return b.asReadOnlyBuffer();
    }

    /**
     * The length of the server frame starting at {@code buf}'s position (header plus payload), or -1
     * when the header is not complete yet. Server frames are never masked.
     */
    public static long frameLength(ByteBuffer buf) {
        int p = buf.position();
        int avail = buf.remaining();
        if (avail < 2) {
            return -1;
        }
        int len = buf.get(p + 1) & 0x7F;
        boolean masked = (buf.get(p + 1) & 0x80) != 0;
        int header = 2 + (masked ? 4 : 0);
        long payload;
        if (len < 126) {
            payload = len;
        } else if (len == 126) {
            if (avail < 4) {
                return -1;
            }
            payload = buf.getShort(p + 2) & 0xFFFF;
            header += 2;
        } else {
            if (avail < 10) {
                return -1;
            }
            payload = buf.getLong(p + 2);
            header += 8;
        }
        return header + payload;
    }

    /** The size of the header of the (complete) frame at {@code buf}'s position. */
    public static int headerLength(ByteBuffer buf) {
        int len = buf.get(buf.position() + 1) & 0x7F;
        boolean masked = (buf.get(buf.position() + 1) & 0x80) != 0;
        return 2 + (masked ? 4 : 0) + (len < 126 ? 0 : len == 126 ? 2 : 8);
    }

    /** The opcode of the frame at {@code buf}'s position. */
    public static int opcode(ByteBuffer buf) {
        return buf.get(buf.position()) & 0x0F;
    }
}
