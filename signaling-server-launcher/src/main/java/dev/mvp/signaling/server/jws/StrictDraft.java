package dev.mvp.signaling.server.jws;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;

/**
 * The library's RFC 6455 draft, with the two checks it leaves out for a server: every client frame must be
 * masked (5.1: else fail with 1002), and a close frame's reason must be UTF-8 (7.1.6: else 1007). It reads
 * the frame headers of the byte stream as they pass, before the library decodes them, so it keeps its own
 * place across reads; one instance per connection ({@link #copyInstance}).
 *
 * <p>Why not a fix upstream only: the library relays unmasked frames and decodes a close reason leniently
 * in 1.6.0; this wrapper is the smallest place to refuse both without forking its decoder.
 */
final class StrictDraft extends Draft_6455 {
    private static final int MAX_HEADER = 14;

    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    /** Payload bytes of the current frame still to pass. */
    private long payloadLeft;
    /** The payload of a close frame being read (at most 125 bytes), unmasked; null for other frames. */
    private byte[] closePayload;
    private int closeLength;
    private final byte[] mask = new byte[4];

    StrictDraft(int maxFrameBytes) {
        super(List.of(), maxFrameBytes);
    }

    @Override
    public Draft copyInstance() {
        return new StrictDraft(getMaxFrameSize());
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        scan(buffer.duplicate());
        return super.translateFrame(buffer);
    }

    private void scan(ByteBuffer in) throws InvalidDataException {
        while (in.hasRemaining()) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, in.remaining());
                if (closePayload != null) {
                    for (int i = 0; i < n; i++) {
                        closePayload[closeLength] = (byte) (in.get() ^ mask[closeLength & 3]);
                        closeLength++;
                    }
                } else {
                    in.position(in.position() + n);
                }
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    frameEnd();
                }
                continue;
            }
            header[headerLength++] = in.get();
            int needed = headerNeeded();
            if (headerLength < needed) {
                continue;
            }
            headerStart();
        }
    }

    /** How many header bytes this frame has, as far as known from what arrived. */
    private int headerNeeded() {
        if (headerLength < 2) {
            return 2;
        }
        int len = header[1] & 0x7F;
        int lengthBytes = len == 126 ? 2 : len == 127 ? 8 : 0;
        int maskBytes = (header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + lengthBytes + maskBytes;
    }

    private void headerStart() throws InvalidDataException {
        if ((header[1] & 0x80) == 0) {
            throw new InvalidFrameException("a client frame must be masked");
        }
        int len = header[1] & 0x7F;
        long length;
        int at;
        if (len == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            at = 4;
        } else if (len == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            at = 10;
        } else {
            length = len;
            at = 2;
        }
        System.arraycopy(header, at, mask, 0, 4);
        headerLength = 0;
        boolean close = (header[0] & 0x0F) == 0x8;
        closePayload = close && length <= 125 ? new byte[(int) length] : null;
        closeLength = 0;
        payloadLeft = length; // a negative or huge length is the library's to refuse
        if (payloadLeft <= 0) {
            payloadLeft = 0;
            frameEnd();
        }
    }

    private void frameEnd() throws InvalidDataException {
        byte[] payload = closePayload;
        closePayload = null;
        if (payload == null || payload.length <= 2) {
            return;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload, 2, payload.length - 2));
        } catch (CharacterCodingException e) {
            throw new InvalidDataException(CloseFrame.NO_UTF8, "the close reason is not UTF-8");
        }
    }
}
