package dev.mvp.signaling.server.jws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Queue;
import dev.mvp.signaling.server.engine.ByteBudget;
import org.java_websocket.WrappedByteChannel;

/**
 * The write side of one upgraded connection: puts the hub's frames and the library's buffers on the wire
 * in one order, whichever thread sends them.
 *
 * <p><b>Why our frames bypass the library's out-queue.</b> {@link #send} writes a frame of the hub's
 * straight to the connection, on the sending thread, when nothing waits ahead of it; only what the
 * socket does not take is queued here, for the selector to finish ({@link #flush}). Java-WebSocket's
 * selector loop leaves every key it served only for writing in its selected-key set until that
 * connection next receives data, and visits all of them on every wake-up: with frames handed to the
 * selector, each idle client that was ever sent a frame made every later message slower. Writing
 * directly keeps idle clients out of that set and saves a thread hand-off and a selector wake-up per
 * frame.
 *
 * <p><b>Order.</b> Every write, ours from any thread and the library's from its selector thread
 * ({@link #writeLibrary}: the 101 response, pings, pongs, close frames), happens under this object's
 * monitor. A frame is never interleaved with another: a frame of ours partly written is finished before
 * any other byte, and a library buffer partly written (still in the library's queue) makes ours queue
 * behind it. Our queued frames follow the library buffer they waited behind; a close frame of the library
 * goes out only after every frame of ours queued before it, so a client reads what was sent before the
 * close (a {@code server-shutdown}, an error) and then the close.
 *
 * <p><b>TLS.</b> With a TLS layer, every byte goes through it: our frames are encrypted on the sending
 * thread, under the same monitor as the library's writes. The library's TLS channel shares its encrypted
 * output buffer between reads (a close_notify it answers, a handshake message) and writes, and is not
 * safe for concurrent use, so its reads take this monitor too ({@link FrontDoorChannel}). Bytes the TLS
 * layer encrypted but the socket did not take yet wait in that layer, not here; {@link #hasPendingOutput}
 * includes them.
 */
final class FrameWriter {
    private final SocketChannel socket;
    /** The TLS layer over the socket, or null. */
    private final WrappedByteChannel tls;
    /** Frames of ours the connection has not taken yet, oldest first; the head may be partly written. */
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>(); // guarded by this
    private volatile long queuedBytes;
    /** The last pong queued, which a later one replaces while it has not started; or null. */
    private ByteBuffer queuedPong; // guarded by this
    /**
     * Bytes of the pongs replaced since the queue was last empty: not held, but owed to a client that does
     * not read, and counted in {@link #waitingBytes()} so that it is a slow reader like any other.
     */
    private volatile long owedPongBytes;
    /** The server's total of bytes waiting for clients, and this connection's share of it; set once upgraded. */
    private ByteBudget budget;
    private ByteBudget.Holder holder;
    /** Set once the connection ended: a frame sent after is dropped, so nothing stays charged. */
    private boolean released; // guarded by this

    FrameWriter(SocketChannel socket, WrappedByteChannel tls) {
        this.socket = socket;
        this.tls = tls;
    }

    /** Charges what is queued from now on to {@code budget}, as {@code holder}'s. */
    synchronized void chargeTo(ByteBudget budget, ByteBudget.Holder holder) {
        this.budget = budget;
        this.holder = holder;
    }

    /** Queued bytes changed by {@code delta}; under this object's monitor. */
    private void account(long delta) {
        queuedBytes += delta;
        if (budget != null && delta != 0) {
            budget.charge(holder, delta);
        }
    }

    /**
     * Sends one encoded frame of ours: written at once if nothing waits ahead of it, else queued. Any
     * thread.
     *
     * @param libraryQueue the library's out-queue for this connection
     * @return true if nothing is left to write (or the connection is broken and the frame dropped: the
     *     selector's next read reports that); false if bytes wait and the selector must be asked to write
     */
    synchronized boolean send(ByteBuffer frame, Queue<ByteBuffer> libraryQueue) {
        if (released) {
            return true;
        }
        if (queued.isEmpty() && allWritten(libraryQueue)) {
            try {
                writeOut(frame);
            } catch (IOException | RuntimeException e) {
                return true;
            }
            if (!frame.hasRemaining()) {
                return tls == null || !tls.isNeedWrite();
            }
        }
        enqueue(frame);
        return false;
    }

    /**
     * Sends a pong: like {@link #send}, but a pong of ours still queued and not started is dropped first,
     * so that a client that pings and never reads makes at most one pong wait (RFC 6455 5.5.3 lets an
     * endpoint answer only the latest ping).
     *
     * @param pong the encoded pong frame
     * @param libraryQueue the library's out-queue for this connection
     * @return as {@link #send}
     */
    synchronized boolean sendPong(ByteBuffer pong, Queue<ByteBuffer> libraryQueue) {
        ByteBuffer waiting = queuedPong;
        if (waiting != null && waiting.position() == 0 && queued.removeIf(b -> b == waiting)) {
            account(-waiting.remaining());
            owedPongBytes += waiting.remaining();
        }
        queuedPong = null;
        boolean done = send(pong, libraryQueue);
        if (!done && queued.peekLast() == pong) {
            queuedPong = pong;
        }
        return done;
    }

    /** Queues a frame without writing anything: what a lost write request leaves behind (tests use it). */
    synchronized void enqueue(ByteBuffer frame) {
        if (released) {
            return;
        }
        queued.add(frame);
        account(frame.remaining());
    }

    /** Bytes of our frames not taken by the connection yet (before encryption). */
    long queuedBytes() {
        return queuedBytes;
    }

    /** What waits for the client: {@link #queuedBytes()}, plus the pongs a later one replaced meanwhile. */
    long waitingBytes() {
        return queuedBytes + owedPongBytes;
    }

    /**
     * Drops every queued frame but one already partly written (which must be finished, or the client
     * reads garbage): what a connection closed for being too slow no longer gets.
     *
     * @return the bytes dropped
     */
    synchronized long discard() {
        long before = queuedBytes;
        ByteBuffer head = queued.peek();
        boolean keepHead = head != null && head.position() > 0;
        queued.clear();
        queuedPong = null;
        owedPongBytes = 0;
        long kept = 0;
        if (keepHead) {
            queued.add(head);
            kept = head.remaining();
        }
        account(kept - before);
        return before - kept;
    }

    /** The connection ended: nothing queued will be written; releases it all from the budget. */
    synchronized void release() {
        released = true;
        queued.clear();
        queuedPong = null;
        owedPongBytes = 0;
        account(-queuedBytes);
        if (budget != null) {
            budget.forget(holder);
        }
    }

    /** Whether anything of ours waits: queued frames, or encrypted bytes the socket has not taken. */
    synchronized boolean hasPendingOutput() {
        return !queued.isEmpty() || (tls != null && tls.isNeedWrite());
    }

    /**
     * Writes a buffer of the library's, on the selector thread, after what must precede it.
     *
     * @param closeFrame whether {@code src} is a close frame: every frame of ours queued so far goes first
     * @return the bytes of {@code src} written (0 while ours still go first)
     */
    synchronized int writeLibrary(ByteBuffer src, boolean closeFrame) throws IOException {
        if (closeFrame ? !flushQueued() : !finishStarted()) {
            return 0;
        }
        int before = src.position();
        writeOut(src);
        if (!src.hasRemaining()) {
            flushQueued(); // ours that waited behind this buffer
        }
        return src.position() - before;
    }

    /** Writes what waits, as far as the connection takes it (the selector's writeMore). */
    synchronized void flush() throws IOException {
        if (flushQueued() && tls != null && tls.isNeedWrite()) {
            tls.writeMore(); // encrypted bytes a short write left behind
        }
    }

    /** True if every buffer in the library's queue was fully written (the selector may not have polled it yet). */
    private static boolean allWritten(Queue<ByteBuffer> libraryQueue) {
        for (ByteBuffer b : libraryQueue) {
            if (b.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    /** Writes our queued frames as far as the connection takes them; true if none is left. */
    private boolean flushQueued() throws IOException {
        ByteBuffer b;
        while ((b = queued.peek()) != null) {
            int before = b.position();
            try {
                writeOut(b);
            } finally {
                account(-(b.position() - before));
            }
            if (b.hasRemaining()) {
                return false;
            }
            queued.poll();
        }
        owedPongBytes = 0; // the client took everything: it reads
        return true;
    }

    /** Finishes a frame of ours that was partly written; true if none is. */
    private boolean finishStarted() throws IOException {
        ByteBuffer head = queued.peek();
        if (head == null || head.position() == 0) {
            return true;
        }
        int before = head.position();
        try {
            writeOut(head);
        } finally {
            account(-(head.position() - before));
        }
        if (head.hasRemaining()) {
            return false;
        }
        queued.poll();
        return true;
    }

    /**
     * Writes as much of {@code b} as the connection takes now. Over TLS the layer encrypts one record per
     * call and keeps what the socket refused; it is asked for more only while the socket takes everything.
     */
    private void writeOut(ByteBuffer b) throws IOException {
        if (tls == null) {
            socket.write(b);
            return;
        }
        while (b.hasRemaining()) {
            int before = b.position();
            tls.write(b);
            if (b.position() == before || tls.isNeedWrite()) {
                return; // the socket is full, or the TLS layer is not ready for data
            }
        }
    }
}
