package dev.mvp.signaling.server.jws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import dev.mvp.signaling.server.http.HttpRequest;
import dev.mvp.signaling.server.http.HttpService;
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
 * <p>Once upgraded, every write goes through the connection's {@link FrameWriter}: the hub's frames from
 * the sending thread ({@link #sendFrame}), the library's buffers from {@link #write}; see there for the
 * order they keep, and why the hub's frames do not go through the library's out-queue.
 *
 * <p>Threading: the library calls every method on its selector thread, except {@link #close()}, which
 * any thread may call. {@link #abortUnlessOpen()} runs on the server's timer thread, {@link #sendFrame}
 * on any. With TLS, reads and close take the writer's monitor too: the TLS layer is not safe for
 * concurrent use, and its read path can write (a close_notify, a handshake message).
 */
final class FrontDoorChannel implements WrappedByteChannel {
    /** The longest request head buffered; longer ones get 431. */
    static final int MAX_HEAD = 16 * 1024;
    private static final byte[] SWITCHING = "HTTP/1.1 101".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private enum State { HEAD, UPGRADED, RESPONDING, DRAINING }

    private final SocketChannel socket;
    /** What requests and frames are read from and written to: the socket, or TLS over it. */
    private final ByteChannel io;
    /** The TLS layer, or null for plain connections. */
    private final WrappedByteChannel tls;
    private final SelectionKey key;
    private final HttpService responder;
    private final java.util.function.Consumer<FrontDoorChannel> onClose;
    private State state = State.HEAD;
    private ByteBuffer head = ByteBuffer.allocate(1024);
    /** Bytes read while parsing the head, still to be handed to the library after an upgrade. */
    private ByteBuffer passThrough;
    private ByteBuffer response;
    private ByteBuffer scratch;
    private boolean handshakeAnswered;
    private boolean refusedByLibrary;
    private HttpService.Upgrade upgrade;
    /** Set once the library opened the WebSocket. */
    private volatile WsConnection connection;
    private final FrameWriter writer;
    /** Bytes of the stream after the request head handed to the library. */
    private long handed;
    /** When the end of the stream is held back at the latest (see {@link #endOfStream}); 0 until it arrives. */
    private long endDeadlineNanos;
    private final java.util.concurrent.ScheduledExecutorService timer;
    /** The handshake deadline's task while it is pending; called off on the upgrade and on the close. */
    private volatile java.util.concurrent.Future<?> handshakeDeadline;
    /** When the socket was accepted, a {@link System#nanoTime()} value. */
    private final long acceptedNanos = System.nanoTime();

    /**
     * @param tls the TLS layer over {@code socket} (for example the library's {@code SSLSocketChannel2}),
     *     or null for a plain connection
     */
    FrontDoorChannel(SocketChannel socket, WrappedByteChannel tls, SelectionKey key, HttpService responder,
                     java.util.function.Consumer<FrontDoorChannel> onClose, java.util.concurrent.ScheduledExecutorService timer) {
        this.timer = timer;
        this.socket = socket;
        this.tls = tls;
        this.io = tls != null ? tls : socket;
        this.key = key;
        this.responder = responder;
        this.onClose = onClose;
        this.writer = new FrameWriter(socket, tls);
    }

    /** {@return when the socket was accepted, a {@link System#nanoTime()} value} */
    long acceptedNanos() {
        return acceptedNanos;
    }

    /** The accepted upgrade (client id and handshake), once passed through to the library. */
    HttpService.Upgrade upgrade() {
        return upgrade;
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
        callOffHandshakeDeadline();
    }

    /**
     * Closes the connection {@code timeoutMs} from now unless it has become a WebSocket by then. The upgrade and
     * the close call the deadline off: a pending one holds this channel, and with it the library's connection
     * and buffers, so under churn thousands of ended connections outlived young collections for the length of
     * the timeout.
     */
    void closeUnlessOpenWithin(long timeoutMs) {
        try {
            handshakeDeadline = timer.schedule(this::abortUnlessOpen, timeoutMs,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            abortUnlessOpen(); // shutting down
            return;
        }
        if (connection != null || !socket.isOpen()) {
            callOffHandshakeDeadline(); // upgraded or closed while it was being scheduled
        }
    }

    private void callOffHandshakeDeadline() {
        java.util.concurrent.Future<?> deadline = handshakeDeadline;
        if (deadline != null) {
            handshakeDeadline = null;
            deadline.cancel(false);
        }
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
                    return handedOver(drainPassThrough(dst));
                }
                return handedOver(ioRead(dst));
            case HEAD:
                int n = readHead(dst);
                return state == State.UPGRADED ? handedOver(n) : n;
            default:
                return discardInput();
        }
    }

    /** Counts what goes to the library after the head; holds back the end of the stream while it is behind. */
    private int handedOver(int n) {
        if (n > 0) {
            handed += n;
            return n;
        }
        return n < 0 ? endOfStream() : n;
    }

    /**
     * The client closed its side (FIN). The library decodes on a worker thread what this selector thread
     * read, and ends the connection on the selector thread as soon as it sees the end of the stream: told
     * at once, it would drop whatever the worker had not decoded yet, a client's last message before its
     * FIN (even its handshake or its {@code register}). So the end is reported only once the library has
     * processed every byte handed to it, reading paused meanwhile and looked at again every millisecond,
     * for at most {@link #END_WAIT_NANOS}; a connection no longer open ends at once.
     *
     * @return -1 to end the connection, or 0 to look again later
     */
    private int endOfStream() {
        WsConnection c = connection;
        org.java_websocket.WebSocketImpl ws = key.attachment() instanceof org.java_websocket.WebSocketImpl w ? w : null;
        boolean behind = ws != null && socket.isOpen() && (c == null ? !ws.isClosing() && !ws.isClosed()
                : ws.isOpen() && ws.getDraft() instanceof StrictDraft d && d.processedBytes() < handed);
        long now = System.nanoTime();
        if (endDeadlineNanos == 0) {
            endDeadlineNanos = now + END_WAIT_NANOS;
        }
        if (!behind || now - endDeadlineNanos > 0) {
            return -1;
        }
        try {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            timer.schedule(this::readAgain, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
            return 0;
        } catch (RuntimeException e) { // the key was cancelled, or the server is stopping
            return -1;
        }
    }

    /** The longest the end of a stream is held back for the library to catch up. */
    static final long END_WAIT_NANOS = 1_000_000_000L;

    private void readAgain() {
        try {
            if (key.isValid()) {
                key.interestOps(key.interestOps() | SelectionKey.OP_READ);
                key.selector().wakeup();
            }
        } catch (RuntimeException e) {
            // closed meanwhile
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
        int n = ioRead(head);
        if (n < 0) {
            return -1; // the client left before finishing its request; the library closes
        }
        int end = HttpRequest.findEnd(head.array(), head.position());
        if (end < 0) {
            if (!head.hasRemaining() && head.capacity() >= MAX_HEAD) {
                respond(responder.headTooLarge(MAX_HEAD));
            }
            return 0;
        }
        HttpRequest req;
        try {
            req = HttpRequest.parse(head.array(), end, remoteAddress());
        } catch (IllegalArgumentException e) {
            respond(responder.malformed(e));
            return 0;
        }
        if (!req.isWebSocketUpgrade()) {
            respond(responder.respond(req));
            return 0;
        }
        HttpService.Upgrade upgrade = responder.upgrade(req);
        if (!upgrade.accepted()) {
            respond(upgrade.refusal());
            return 0;
        }
        this.upgrade = upgrade;
        state = State.UPGRADED;
        handed = -end; // the head goes to the library too, but its frame decoder sees only what follows
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
        if (passThrough != null && passThrough.hasRemaining()) {
            return true;
        }
        return tls != null && (state == State.HEAD || state == State.UPGRADED) && tls.isNeedRead();
    }

    @Override
    public int readMore(ByteBuffer dst) throws IOException {
        if (passThrough != null && passThrough.hasRemaining()) {
            return handedOver(drainPassThrough(dst));
        }
        if (tls == null) {
            return 0;
        }
        return switch (state) {
            case HEAD -> {
                int n = readHead(dst);
                yield state == State.UPGRADED ? handedOver(n) : n;
            }
            case UPGRADED -> {
                int n;
                synchronized (writer) {
                    n = tls.readMore(dst);
                }
                yield handedOver(n);
            }
            default -> 0;
        };
    }

    /** Reads from the socket, or through TLS under the writer's monitor. */
    private int ioRead(ByteBuffer dst) throws IOException {
        if (tls == null) {
            return socket.read(dst);
        }
        synchronized (writer) {
            return tls.read(dst);
        }
    }

    // --- writing ----------------------------------------------------------------------------------

    private void respond(byte[] bytes) throws IOException {
        head = null;
        response = ByteBuffer.wrap(bytes);
        state = State.RESPONDING;
        writeMore();
    }

    /**
     * Sends one encoded frame of the hub's (see {@link FrameWriter#send}). Any thread.
     *
     * @return true if nothing waits; false if the selector must be asked to write
     */
    boolean sendFrame(ByteBuffer frame, java.util.Queue<ByteBuffer> libraryQueue) {
        return writer.send(frame, libraryQueue);
    }

    /** Sends a pong, replacing one still waiting (see {@link FrameWriter#sendPong}). Any thread. */
    boolean sendPong(ByteBuffer frame, java.util.Queue<ByteBuffer> libraryQueue) {
        return writer.sendPong(frame, libraryQueue);
    }

    /** Queues a frame of the hub's without writing it or asking the selector to (tests use it). */
    void enqueueFrame(ByteBuffer frame) {
        writer.enqueue(frame);
    }

    /** Bytes of the hub's frames not taken by the connection yet. */
    long queuedBytes() {
        return writer.queuedBytes();
    }

    /** What waits for the client, pongs replaced meanwhile included (see {@link FrameWriter#waitingBytes}). */
    long waitingBytes() {
        return writer.waitingBytes();
    }

    /** Charges what is queued from now on to the server's outbound budget, as {@code holder}'s. */
    void chargeTo(dev.mvp.signaling.server.engine.ByteBudget budget, dev.mvp.signaling.server.engine.ByteBudget.Holder holder) {
        writer.chargeTo(budget, holder);
    }

    /** Drops the queued frames but one partly written (see {@link FrameWriter#discard}). */
    long discard() {
        return writer.discard();
    }

    /** The WebSocket ended: releases what was queued (see {@link FrameWriter#release}). */
    void release() {
        writer.release();
    }

    /** Whether frames of the hub's, or encrypted bytes, wait for the socket. */
    boolean hasPendingOutput() {
        return writer.hasPendingOutput();
    }

    @Override
    public boolean isNeedWrite() {
        if (state == State.RESPONDING) {
            return response.hasRemaining() || (tls != null && tls.isNeedWrite());
        }
        if (state == State.UPGRADED) {
            return writer.queuedBytes() > 0 || (tls != null && writer.hasPendingOutput());
        }
        return tls != null && state != State.DRAINING && tls.isNeedWrite();
    }

    @Override
    public void writeMore() throws IOException {
        if (state == State.UPGRADED) {
            writer.flush();
            return;
        }
        if (state != State.RESPONDING) {
            if (tls != null && state != State.DRAINING && tls.isNeedWrite()) {
                tls.writeMore(); // the TLS handshake, or encrypted bytes a short write left behind
            }
            return;
        }
        if (response.hasRemaining()) {
            io.write(response);
        }
        if (tls != null && !response.hasRemaining() && tls.isNeedWrite()) {
            tls.writeMore();
        }
        if (response.hasRemaining() || (tls != null && tls.isNeedWrite())) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            return;
        }
        finishResponse();
    }

    /**
     * The response is out: send FIN, then wait (reading) for the client to close. Over TLS the
     * connection is closed at once instead (with a close_notify): TLS has no half-close to wait in.
     */
    private void finishResponse() throws IOException {
        response = null;
        state = State.DRAINING;
        if (tls != null) {
            close();
            return;
        }
        socket.shutdownOutput();
        key.interestOps(SelectionKey.OP_READ);
    }

    /** The library writes its buffers (handshake response, control frames) here, on the selector thread. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        boolean closeFrame = false;
        if (state == State.UPGRADED && !handshakeAnswered) {
            handshakeAnswered = true;
            refusedByLibrary = !startsWith(src, SWITCHING);
        } else if (state == State.UPGRADED && src.position() == 0 && src.hasRemaining()) {
            closeFrame = (src.get(0) & 0x0F) == 0x08;
        }
        int n = writer.writeLibrary(src, closeFrame);
        WsConnection c = connection;
        if (c != null && writer.hasPendingOutput()) {
            // The library drops write interest once its own queue is empty: make sure ours gets written.
            c.watchFlush();
        }
        if (refusedByLibrary && !src.hasRemaining()) {
            // The library answered the handshake with an error and would leave the socket open.
            state = State.DRAINING;
            if (tls != null) {
                close();
            } else {
                socket.shutdownOutput();
            }
        }
        return n;
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
            if (tls != null && socket.isOpen()) {
                synchronized (writer) {
                    tls.close(); // sends close_notify, then closes the socket
                }
            }
        } catch (IOException | RuntimeException e) {
            // the socket is closed below either way
        } finally {
            try {
                socket.close();
            } finally {
                callOffHandshakeDeadline();
                onClose.accept(this);
            }
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
