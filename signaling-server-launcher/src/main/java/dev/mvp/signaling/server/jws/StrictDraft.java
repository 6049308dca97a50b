package dev.mvp.signaling.server.jws;

import dev.mvp.signaling.server.http.HttpService;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import dev.mvp.signaling.server.engine.ByteBudget;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.TextFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeBuilder;
import org.java_websocket.handshake.ServerHandshakeBuilder;

/**
 * The library's RFC 6455 draft, with what it leaves out for a server: every client frame must be masked
 * (5.1: else fail with 1002), a close frame's reason must be UTF-8 (7.1.6: else 1007), a message in
 * fragments is capped as a whole as its fragments arrive, not only at its last one (1009), and a frame that
 * has not fully arrived costs the bytes that arrived, not its declared length. It reads the frame headers
 * of the byte stream before the library decodes them, keeping its own place across reads, refuses a
 * declared length over the frame cap at once (1009), and hands the library complete frames only; one
 * instance per connection ({@link #copyInstance}). A text message in one frame, the common case, it decodes
 * itself (see {@link #decode}): the library's decoding of it (unmasking a byte at a time, then a UTF-8 check a
 * byte at a time that its own strict text decoding repeats) was a third of the server's time in the relay
 * benchmark.
 * What it holds for a frame not fully arrived, and what
 * the library holds of a fragmented message, is charged to the server's inbound {@link ByteBudget}: when
 * the total goes over, the connections holding the most are closed 1009, whichever one's bytes took it
 * over, and what each sends after is dropped.
 *
 * <p>Why not the library alone: in 1.6.0 it relays unmasked frames, decodes a close reason leniently, and
 * allocates a buffer of the declared length as soon as a frame's header arrives (a client sending the
 * headers of 1 MiB frames and little else made it hold 1 MiB per connection). This wrapper is the smallest
 * place to change all three without forking its decoder.
 */
final class StrictDraft extends Draft_6455 {
    private static final int MAX_HEADER = 14;

    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    /** Header and payload bytes of the frame being read, once its header is complete; else -1. */
    private long frameBytes = -1;
    /** Payload bytes of the fragmented message so far, its frames up to this one included. */
    private long messageBytes;
    /** Payload bytes of the current frame still to pass. */
    private long payloadLeft;
    /** The payload of a close frame being read (at most 125 bytes), unmasked; null for other frames. */
    private byte[] closePayload;
    private int closeLength;
    private final byte[] mask = new byte[4];
    /** Whether the frame being read is a data frame (text, binary, continuation), its FIN bit, its length. */
    private boolean dataFrame;
    private boolean finalFragment;
    private long frameLength;
    /** Payload bytes of the complete fragments of a message not finished yet: the library holds them. */
    private long fragmentBytes;
    /** The server's total of bytes of unfinished frames and messages, or null; and this connection's share. */
    private final ByteBudget budget;
    private final ByteBudget.Share share;
    /** The connection to close when the total sheds this one; set when it opens. */
    private volatile WsConnection connection;
    /** Set once the total shed this connection: everything it sends after is dropped. */
    private boolean refused;
    /**
     * Bytes this draft was given whose frames the library has finished with, their events to the server
     * included; written by the worker thread that decodes this connection, read by the selector thread.
     */
    private volatile long processedBytes;
    /** The frames of the last {@link #translateFrame} still to be processed, and the bytes they came in. */
    private int unprocessedFrames;
    private long unprocessedBytes;

    StrictDraft(int maxFrameBytes) {
        this(maxFrameBytes, null);
    }

    /**
     * @param budget the server's total of bytes of unfinished frames and messages, or null for none
     */
    StrictDraft(int maxFrameBytes, ByteBudget budget) {
        super(List.of(), maxFrameBytes);
        this.budget = budget;
        this.share = budget == null ? null : new ByteBudget.Share(budget, ByteBudget.assemblyRefusal(budget), this::shed);
    }

    /**
     * The connection this draft decodes for, open now: the one closed if the total sheds it.
     *
     * @param opened the connection
     */
    void opened(WsConnection opened) {
        this.connection = opened;
    }

    /** The total shed this connection, from any thread: it is closed 1009; its decoder drops what follows. */
    private void shed(String reason) {
        WsConnection c = connection;
        if (c != null) {
            c.close(dev.mvp.signaling.core.CloseCodes.MESSAGE_TOO_BIG, reason);
        } // else not open yet, so it charged nothing: only frames after the handshake are charged
    }

    @Override
    public Draft copyInstance() {
        return new StrictDraft(getMaxFrameSize(), budget);
    }

    /** The library resets the draft when the connection closes: what it held is released. */
    @Override
    public void reset() {
        super.reset();
        partial = null;
        fragmentBytes = 0;
        if (share != null) {
            share.release();
        }
    }

    /**
     * Sets this connection's share of the server's total to what it holds now (a frame not fully arrived,
     * fragments of an unfinished message); the total sheds its largest holders if that took it over.
     *
     * @return false if the total shed this connection, now or before
     */
    private boolean charge() {
        return share == null || share.hold(heldBytes() + fragmentBytes);
    }

    /**
     * The 101 response's headers: the same three the Netty engine sends. The library's own adds a
     * {@code Server} header naming it and a {@code Date} header it formats with a new
     * {@code SimpleDateFormat} for every handshake; neither is required (RFC 6455 4.2.2), and the engines
     * answer alike. The request was checked before (key, version, origin) by the server's HTTP side.
     */
    @Override
    public HandshakeBuilder postProcessHandshakeResponseAsServer(ClientHandshake request, ServerHandshakeBuilder response)
            throws InvalidHandshakeException {
        String key = request.getFieldValue("Sec-WebSocket-Key");
        if (key == null || key.isEmpty()) {
            throw new InvalidHandshakeException("missing Sec-WebSocket-Key");
        }
        response.setHttpStatusMessage("Switching Protocols");
        response.put("Upgrade", "websocket");
        response.put("Connection", "Upgrade");
        response.put("Sec-WebSocket-Accept", HttpService.acceptKey(key));
        return response;
    }

    /** The start of a frame not complete yet, as it arrived; null when none. Grows with what arrives. */
    private ByteBuffer partial;

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        int given = buffer.remaining();
        if (!refused && share != null && share.isShed()) { // shed by another connection's charge, closing
            drop();
        }
        if (refused) {
            buffer.position(buffer.limit());
            processedBytes += given;
            return List.of();
        }
        int completeEnd = scan(buffer.duplicate());
        ByteBuffer whole = null;
        if (completeEnd >= 0) {
            ByteBuffer complete = buffer.duplicate();
            complete.limit(completeEnd);
            if (partial != null) {
                partial.flip();
                whole = ByteBuffer.allocate(partial.remaining() + complete.remaining()).put(partial).put(complete);
                whole.flip();
                partial = null;
            } else {
                whole = complete.slice();
            }
            buffer.position(completeEnd);
        }
        if (buffer.hasRemaining()) {
            keep(buffer);
        }
        if (!charge()) { // shed by its own charge: closing, and closed here if it was not opened yet
            drop();
            throw new LimitExceededException(ByteBudget.assemblyRefusal(budget), getMaxFrameSize());
        }
        List<Framedata> frames = whole == null ? List.of() : decode(whole);
        if (frames.isEmpty()) {
            processedBytes += given;
        } else {
            unprocessedFrames = frames.size();
            unprocessedBytes = given;
        }
        return frames;
    }

    /** The total shed this connection: what it holds is dropped, and so is everything it sends after. */
    private void drop() {
        refused = true;
        partial = null;
        fragmentBytes = 0;
    }

    /** The library hands each frame of the last {@link #translateFrame} here, and runs its events. */
    @Override
    public void processFrame(org.java_websocket.WebSocketImpl ws, Framedata frame) throws InvalidDataException {
        try {
            super.processFrame(ws, frame);
        } finally {
            if (unprocessedFrames > 0 && --unprocessedFrames == 0) {
                processedBytes += unprocessedBytes;
            }
        }
    }

    /**
     * Bytes of the stream after the handshake that the library has decoded and whose frames' events have
     * run. Any thread.
     *
     * @return the count
     */
    long processedBytes() {
        return processedBytes;
    }

    /** The first header byte of a whole text message in one frame: FIN, no reserved bit, opcode 1. */
    private static final int WHOLE_TEXT = 0x81;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Decodes complete frames. A text message in a single frame, which is nearly every frame a signaling
     * client sends, is unmasked here eight bytes at a time and handed on without the library's
     * byte-at-a-time UTF-8 check: the library decodes the text of a whole message with the JDK's strict
     * decoder before it reaches the server (1007 when it is not UTF-8), so that check only repeated it.
     * Every other frame (fragments, control frames, reserved bits or opcodes) goes through the library's
     * own decoding, as before. Frames arrive here masked and within the caps: {@link #scan} checked both.
     */
    private List<Framedata> decode(ByteBuffer frames) throws InvalidDataException {
        List<Framedata> out = null;
        while (frames.hasRemaining()) {
            int start = frames.position();
            int first = frames.get(start) & 0xFF;
            int len7 = frames.get(start + 1) & 0x7F;
            int at = start + 2;
            long length = len7;
            if (len7 == 126) {
                length = frames.getShort(at) & 0xFFFF;
                at += 2;
            } else if (len7 == 127) {
                length = frames.getLong(at);
                at += 8;
            }
            int end = (int) (at + 4 + length);
            List<Framedata> decoded;
            if (first == WHOLE_TEXT) {
                TextFrame text = new TextFrame();
                text.setPayload(ByteBuffer.wrap(unmask(frames, at, (int) length)));
                decoded = List.of(text);
            } else {
                ByteBuffer one = frames.duplicate();
                one.position(start).limit(end);
                decoded = super.translateFrame(one.slice());
            }
            frames.position(end);
            if (out == null && !frames.hasRemaining()) {
                return decoded; // the usual case: one frame per read
            }
            if (out == null) {
                out = new ArrayList<>();
            }
            out.addAll(decoded);
        }
        return out == null ? List.of() : out;
    }

    /** The payload of {@code length} bytes after the 4-byte mask at {@code maskAt}, unmasked. */
    static byte[] unmask(ByteBuffer frames, int maskAt, int length) {
        byte[] key = new byte[4];
        frames.get(maskAt, key);
        byte[] payload = new byte[length];
        frames.get(maskAt + 4, payload);
        long wide = (key[0] & 0xFFL) << 24 | (key[1] & 0xFFL) << 16 | (key[2] & 0xFFL) << 8 | (key[3] & 0xFFL);
        wide |= wide << 32; // the key twice, big-endian as LONGS reads the payload
        int i = 0;
        for (int last = length - 8; i <= last; i += 8) {
            LONGS.set(payload, i, (long) LONGS.get(payload, i) ^ wide);
        }
        for (; i < length; i++) {
            payload[i] ^= key[i & 3];
        }
        return payload;
    }

    /** Bytes held for a frame not complete yet (tests use it). */
    int heldBytes() {
        return partial == null ? 0 : partial.capacity();
    }

    /** Keeps the start of an incomplete frame, growing the buffer at most to twice what arrived. */
    private void keep(ByteBuffer rest) {
        if (partial == null) {
            partial = ByteBuffer.allocate(Math.max(256, rest.remaining()));
        } else if (partial.remaining() < rest.remaining()) {
            int needed = partial.position() + rest.remaining();
            long grown = partial.capacity() * 2L;
            if (frameBytes > 0) {
                grown = Math.min(grown, frameBytes); // never more than the frame itself
            }
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(needed, grown));
            partial.flip();
            partial = bigger.put(partial);
        }
        partial.put(rest);
    }

    /**
     * Follows the frames in {@code in}.
     *
     * @return the index just after the last frame that ends in {@code in}, or -1 if none does
     */
    private int scan(ByteBuffer in) throws InvalidDataException {
        int completeEnd = -1;
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
                    frameBytes = -1;
                    frameEnd();
                    completeEnd = in.position();
                }
                continue;
            }
            header[headerLength++] = in.get();
            int needed = headerNeeded();
            if (headerLength < needed) {
                continue;
            }
            if (headerStart()) {
                completeEnd = in.position();
            }
        }
        return completeEnd;
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

    /** A frame's header is complete; true if the frame is too (no payload). */
    private boolean headerStart() throws InvalidDataException {
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
        if (length < 0 || length > getMaxFrameSize()) {
            throw new LimitExceededException("a frame of " + length + " bytes is over the limit of "
                    + getMaxFrameSize(), getMaxFrameSize());
        }
        int opcode = header[0] & 0x0F;
        boolean fin = (header[0] & 0x80) != 0;
        if (opcode < 0x8) { // a data frame: the cap applies to the whole message, however many fragments
            messageBytes = opcode == 0 ? messageBytes + length : length;
            if (messageBytes > getMaxFrameSize()) {
                throw new LimitExceededException("a message of more than " + getMaxFrameSize()
                        + " bytes in fragments is over the limit", getMaxFrameSize());
            }
            if (fin) {
                messageBytes = 0;
            }
        }
        dataFrame = opcode < 0x8;
        finalFragment = fin;
        frameLength = length;
        System.arraycopy(header, at, mask, 0, 4);
        frameBytes = at + 4 + length;
        headerLength = 0;
        boolean close = (header[0] & 0x0F) == 0x8;
        closePayload = close && length <= 125 ? new byte[(int) length] : null;
        closeLength = 0;
        payloadLeft = length;
        if (payloadLeft == 0) {
            frameBytes = -1;
            frameEnd();
            return true;
        }
        return false;
    }

    private void frameEnd() throws InvalidDataException {
        if (dataFrame) {
            fragmentBytes = finalFragment ? 0 : fragmentBytes + frameLength;
        }
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
