package dev.mvp.signaling.server.jws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the server's text frames: final, unmasked, no extension, so the whole frame is a 2-10 byte
 * header and the text's UTF-8.
 *
 * <p>Done here rather than with the library's {@code Draft.createFrames} + {@code createBinaryFrame},
 * which encodes into one buffer, copies it into a second, and on the way re-validates the UTF-8 it has
 * just produced byte by byte: with a 2.5 KB SDP that validation and copying were the largest single
 * cost of sending a frame. A Java string always encodes to valid UTF-8 (an unpaired surrogate becomes
 * {@code ?}, as with the library), so there is nothing to validate.
 */
final class TextFrames {
    private TextFrames() {}

    /** The frame carrying {@code text}, ready to write (position 0, limit at its end). */
    static ByteBuffer encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81; // FIN, opcode 1 (text)
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n < 65_536) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            long len = n;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return ByteBuffer.wrap(frame);
    }
}
