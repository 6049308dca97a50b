package dev.mvp.signaling.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.java_websocket.WrappedByteChannel;

/**
 * Sits between one accepted socket and Java-WebSocket, so that plain HTTP and WebSockets share a port.
 *
 * <p>It buffers the request head itself. A WebSocket upgrade to an acceptable path is passed through:
 * the library then reads the buffered bytes as if they came from the socket and performs the handshake.
 * Any other request is answered here: the response is written (partial writes are finished through
 * {@link #isNeedWrite()}/{@link #writeMore()}, which the library calls when the socket is writable), the
 * output is shut, and input is drained until the client closes, so that a client that half-closed or is
 * still sending never loses the response. The library sees nothing of such a connection: no
 * {@code onOpen}, no {@code onClose}.
 *
 * <p>It also closes two gaps of the library: when the library refuses a handshake itself (its fixed 404),
 * it never closes the socket, so this channel shuts the output after that response and ends the
 * connection when the client does.
 *
 * <p><b>Our frames bypass the library's out-queue.</b> {@link #sendFrame} writes a frame of the hub's
 * straight to the socket, on the sending thread, when nothing is waiting ahead of it; only what the
 * socket does not take is queued here, for the selector to finish through {@link #isNeedWrite()}/
 * {@link #writeMore()}. The library's own selector loop leaves every key it served for writing in its
 * selected-key set until that connection next receives data, and then visits all of them on every
 * wake-up: with frames handed to the selector, each idle client that was ever sent a frame made every
 * later message slower. Writing directly keeps idle clients out of that set, and saves the hand-off to
 * the selector thread and its wake-up per frame. One lock orders the direct writes against the
 * library's writes (handshake response, pongs, close frames), and a frame of ours that was partly written
 * is always finished before any other byte goes out, so frames never interleave.
 *
 * <p>Threading: the library calls every method on its selector thread, except {@link #close()}, which
 * any thread may call. {@link #abortUnlessOpen()} runs on the server's timer thread.
 */
final class FrontDoorChannel implements WrappedByteChannel {
    /** The longest request head buffered; longer ones get 431. */
    static final int MAX_HEAD = 16 * 1024;
    private static final byte[] SWITCHING = "HTTP/1.1 101".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private enum State { HEAD, UPGRADED, RESPONDING, DRAINING }

    private final SocketChannel socket;
    private final SelectionKey key;
    private final HttpResponder responder;
    private final java.util.function.Consumer<FrontDoorChannel> onClose;
    private State state = State.HEAD;
    private ByteBuffer head = ByteBuffer.allocate(1024);
    /** Bytes read while parsing the head, still to be handed to the library after an upgrade. */
    private ByteBuffer passThrough;
    private ByteBuffer response;
    private ByteBuffer scratch;
    private boolean handshakeAnswered;
    private boolean refusedByLibrary;
    private HttpHead request;
    private String clientId;
    /** Set once the library opened the WebSocket. */
    private volatile WsConnection connection;
    /** Orders socket writes: ours (any thread) and the library's (selector thread). */
    private final Object writeLock = new Object();
    /** Frames of ours the socket has not taken yet, oldest first; the head may be partly written. */
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>(); // guarded by writeLock
    private volatile long queuedBytes;

    FrontDoorChannel(SocketChannel socket, SelectionKey key, HttpResponder responder,
                     java.util.function.Consumer<FrontDoorChannel> onClose) {
        this.socket = socket;
        this.key = key;
        this.responder = responder;
        this.onClose = onClose;
    }

    /** The upgrade request, once passed through to the library. */
    HttpHead request() {
        return request;
    }

    /** The percent-decoded id from the upgrade path, once passed through. */
    String clientId() {
        return clientId;
    }

    InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) socket.getRemoteAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void attach(WsConnection connection) {
        this.connection = connection;
    }

    /** The WebSocket this became, or null. */
    WsConnection connection() {
        return connection;
    }

    // --- reading ----------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        switch (state) {
            case UPGRADED:
                if (passThrough != null && passThrough.hasRemaining()) {
                    return drainPassThrough(dst);
                }
                return socket.read(dst);
            case HEAD:
                return readHead(dst);
            default:
                return discardInput();
        }
    }

    private int readHead(ByteBuffer dst) throws IOException {
        if (!head.hasRemaining()) {
            if (head.capacity() >= MAX_HEAD) {
                respond(responder.headTooLarge(MAX_HEAD));
                return 0;
            }
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEAD, head.capacity() * 4));
            head.flip();
            bigger.put(head);
            head = bigger;
        }
        int n = socket.read(head);
        if (n < 0) {
            return -1; // the client left before finishing its request; the library closes
        }
        int end = HttpHead.findEnd(head.array(), head.position());
        if (end < 0) {
            if (!head.hasRemaining() && head.capacity() >= MAX_HEAD) {
                respond(responder.headTooLarge(MAX_HEAD));
            }
            return 0;
        }
        HttpHead req;
        try {
            req = HttpHead.parse(head.array(), end);
        } catch (IllegalArgumentException e) {
            respond(responder.badRequest(e.getMessage()));
            return 0;
        }
        if (!req.isWebSocketUpgrade()) {
            respond(responder.respond(req));
            return 0;
        }
        byte[] refusal = responder.refuseUpgrade(req);
        if (refusal != null) {
            respond(refusal);
            return 0;
        }
        request = req;
        clientId = WsPaths.clientId(req.path);
        state = State.UPGRADED;
        head.flip();
        passThrough = head;
        head = null;
        return drainPassThrough(dst);
    }

    private int drainPassThrough(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), passThrough.remaining());
        ByteBuffer slice = passThrough.slice();
        slice.limit(n);
        dst.put(slice);
        passThrough.position(passThrough.position() + n);
        if (!passThrough.hasRemaining()) {
            passThrough = null;
        }
        return n;
    }

    /** Reads and drops input; -1 once the client closed its side. */
    private int discardInput() throws IOException {
        if (scratch == null) {
            scratch = ByteBuffer.allocate(1024);
        }
        while (true) {
            scratch.clear();
            int n = socket.read(scratch);
            if (n < 0) {
                if (state == State.RESPONDING) {
                    // Keep the connection until the response is out; stop read readiness from spinning.
                    key.interestOps(SelectionKey.OP_WRITE);
                    return 0;
                }
                return -1;
            }
            if (n == 0) {
                return 0;
            }
        }
    }

    @Override
    public boolean isNeedRead() {
        return passThrough != null && passThrough.hasRemaining();
    }

    @Override
    public int readMore(ByteBuffer dst) {
        return passThrough == null ? 0 : drainPassThrough(dst);
    }

    // --- writing ----------------------------------------------------------------------------------

    private void respond(byte[] bytes) throws IOException {
        head = null;
        response = ByteBuffer.wrap(bytes);
        state = State.RESPONDING;
        writeMore();
    }

    /**
     * Sends one encoded frame of ours: written at once if neither our queue nor the library's holds
     * anything, else queued behind them. Any thread.
     *
     * @param libraryQueue the library's out-queue for this connection, which must be empty for a direct write
     * @return true if the frame is on the wire (or the socket is broken and the frame dropped); false if
     *     it waits and the selector must be asked to write
     */
    boolean sendFrame(ByteBuffer frame, Queue<ByteBuffer> libraryQueue) {
        synchronized (writeLock) {
            if (queued.isEmpty() && libraryQueue.isEmpty()) {
                try {
                    socket.write(frame);
                } catch (IOException e) {
                    return true; // the connection is broken; the selector's next read reports it
                }
                if (!frame.hasRemaining()) {
                    return true;
                }
            }
            queued.add(frame);
            queuedBytes += frame.remaining();
            return false;
        }
    }

    /** Bytes of our frames not written yet. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Writes our queued frames as far as the socket takes them; true if none is left. Holds writeLock. */
    private boolean flushQueued() throws IOException {
        ByteBuffer b;
        while ((b = queued.peek()) != null) {
            int n = socket.write(b);
            queuedBytes -= n;
            if (b.hasRemaining()) {
                return false;
            }
            queued.poll();
        }
        return true;
    }

    /** Finishes a frame of ours that was partly written; true if none is. Holds writeLock. */
    private boolean finishStarted() throws IOException {
        ByteBuffer head = queued.peek();
        if (head == null || head.position() == 0) {
            return true;
        }
        queuedBytes -= socket.write(head);
        if (head.hasRemaining()) {
            return false;
        }
        queued.poll();
        return true;
    }

    @Override
    public boolean isNeedWrite() {
        return (state == State.RESPONDING && response.hasRemaining()) || queuedBytes > 0;
    }

    @Override
    public void writeMore() throws IOException {
        if (state == State.UPGRADED) {
            synchronized (writeLock) {
                flushQueued();
            }
            return;
        }
        if (state != State.RESPONDING) {
            return;
        }
        socket.write(response);
        if (response.hasRemaining()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            return;
        }
        finishResponse();
    }

    /** The response is out: send FIN, then wait (reading) for the client to close. */
    private void finishResponse() throws IOException {
        response = null;
        state = State.DRAINING;
        socket.shutdownOutput();
        key.interestOps(SelectionKey.OP_READ);
    }

    /** The library writes its buffers (handshake response, control frames) here, on the selector thread. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (writeLock) {
            if (!finishStarted()) {
                return 0; // half a frame of ours is on the wire: nothing else may go out before its rest
            }
            if (state == State.UPGRADED && !handshakeAnswered) {
                handshakeAnswered = true;
                refusedByLibrary = !startsWith(src, SWITCHING);
            }
            int n = socket.write(src);
            if (refusedByLibrary && !src.hasRemaining()) {
                // The library answered the handshake with an error and would leave the socket open.
                state = State.DRAINING;
                socket.shutdownOutput();
                return n;
            }
            // Frames of ours that queued behind this buffer follow it; the library then writes its next.
            if (!src.hasRemaining() && !flushQueued()) {
                WsConnection c = connection;
                if (c != null) {
                    c.watchFlush(); // the library may drop write interest after this call: make sure it comes back
                }
            }
            return n;
        }
    }

    private static boolean startsWith(ByteBuffer buf, byte[] prefix) {
        if (buf.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.get(buf.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // --- lifecycle --------------------------------------------------------------------------------

    /** Called by the timer at the handshake deadline: closes the connection unless it became a WebSocket. */
    void abortUnlessOpen() {
        if (connection == null && socket.isOpen()) {
            try {
                close();
            } catch (IOException ignored) {
                // closing anyway
            }
            key.selector().wakeup();
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            onClose.accept(this);
        }
    }

    @Override
    public boolean isBlocking() {
        return socket.isBlocking();
    }

    @Override
    public String toString() {
        return "FrontDoorChannel[" + state + ", " + remoteAddress() + "]";
    }
}
