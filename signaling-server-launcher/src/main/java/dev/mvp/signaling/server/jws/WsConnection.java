package dev.mvp.signaling.server.jws;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.server.engine.ByteBudget;
import dev.mvp.signaling.server.engine.EngineConnection;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.Session;
import dev.mvp.signaling.core.SignalingHub;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket as the hub sees it: the {@link dev.mvp.signaling.core.Connection Connection} the hub sends through, and the driver of
 * the hub's {@link Session} for it.
 *
 * <p><b>Sending.</b> {@link #send} encodes the frame itself ({@link TextFrames}) and hands it to the
 * connection's {@link FrontDoorChannel}, which writes it at once when nothing waits ahead of it and
 * queues it otherwise (see {@link FrameWriter} for why frames bypass the library's out-queue). {@link #bufferedBytes()} is
 * what that queue holds: exact, and free to ask.
 *
 * <p><b>Events.</b> Open, messages and close reach the session through a {@link SerialRunner}: in order,
 * never overlapping, and without a lock held.
 */
final class WsConnection implements EngineConnection, ByteBudget.Holder {
    private static final Logger log = LoggerFactory.getLogger(WsConnection.class);

    private final WsEngine engine;
    private final WebSocketImpl ws;
    private final Handshake handshake;
    private final FrontDoorChannel channel;
    private final SerialRunner events = new SerialRunner();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicBoolean shed = new AtomicBoolean();
    private volatile boolean ended;
    private volatile long lastHeardNanos = System.nanoTime();
    private Session session; // touched only inside events
    private volatile int[] clientClose; // the close code the client sent, once it did
    private volatile String clientCloseReason;

    WsConnection(WsEngine engine, WebSocketImpl ws, FrontDoorChannel channel, Handshake handshake) {
        this.engine = engine;
        this.ws = ws;
        this.channel = channel;
        this.handshake = handshake;
    }

    // --- Connection: called by the hub from any thread --------------------------------------------

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public void send(String text) {
        ByteBuffer frame = encode(text);
        if (frame != null && !channel.sendFrame(frame, ws.outQueue)) {
            queuedBehind();
        }
    }

    /** A frame was queued: make sure it gets written, and keep the server's total within its budget. */
    private void queuedBehind() {
        watchFlush();
        requestWrite();
        ByteBudget budget = engine.outboundBudget();
        if (budget.over()) {
            budget.relieve(ByteBudget.outboundRefusal(budget));
        }
    }

    /**
     * Answers a ping with a pong carrying its payload, through our writer rather than the library's queue:
     * a pong still waiting is replaced, so a client that never reads holds one pong, not one per ping.
     *
     * @param payload the ping's payload (at most 125 bytes)
     */
    void pong(ByteBuffer payload) {
        if (ended || !ws.isOpen()) {
            return;
        }
        int n = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(2 + n).put((byte) 0x8A).put((byte) n).put(payload.duplicate());
        frame.flip();
        if (!channel.sendPong(frame, ws.outQueue)) {
            queuedBehind();
        }
    }

    /**
     * Queues the frame without writing it or asking the selector to: the state a write request lost to
     * the library's race leaves behind, which only {@link FlushGuard} repairs. Tests use it.
     */
    boolean enqueue(String text) {
        ByteBuffer frame = encode(text);
        if (frame == null) {
            return false;
        }
        channel.enqueueFrame(frame);
        watchFlush();
        return true;
    }

    private ByteBuffer encode(String text) {
        if (ended || !ws.isOpen()) {
            return null;
        }
        return TextFrames.encode(text);
    }

    /** Frames wait in our queue: make sure the selector gets to them (see {@link FlushGuard}). */
    void watchFlush() {
        engine.flushGuard().watch(this);
    }

    void requestWrite() {
        try {
            engine.onWriteDemand(ws);
        } catch (RuntimeException e) {
            log.debug("Could not request a write for {}", this, e);
        }
    }

    @Override
    public void close(int code, String reason) {
        if (code == CloseCodes.ABNORMAL) { // drop, even when a close handshake is under way
            closeRequested.set(true);
            ws.closeConnection(CloseFrame.ABNORMAL_CLOSE, CloseCodes.fitReason(reason));
            return;
        }
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        try {
            ws.close(code, CloseCodes.fitReason(reason));
        } catch (WebsocketNotConnectedException e) {
            // closed already
        } catch (RuntimeException e) {
            log.debug("Closing {} failed; dropping the connection", this, e);
            ws.closeConnection(code, CloseCodes.fitReason(reason));
        }
        engine.flushGuard().watch(this); // the close frame must not wait either
    }

    @Override
    public long bufferedBytes() {
        return ended ? 0 : channel.waitingBytes();
    }

    @Override
    public long heldBytes() {
        return channel.queuedBytes();
    }

    /**
     * The server holds too much for all clients, this one the most: what waits for it is dropped, the hub
     * is told at once (its peers get {@code bye}), and the close frame goes out next.
     */
    @Override
    public void shed(String reason) {
        if (ended || !shed.compareAndSet(false, true)) {
            return;
        }
        channel.discard();
        events.run(() -> withSession(s -> s.onClose(CloseCodes.SLOW_CONSUMER, reason)));
        close(CloseCodes.SLOW_CONSUMER, reason);
    }

    /** Whether bytes wait to be written: frames of ours, encrypted bytes, or the library's own buffers. */
    boolean hasQueuedData() {
        return channel.hasPendingOutput() || ws.hasBufferedData();
    }

    // --- events from the engine -------------------------------------------------------------------

    void opened(SignalingHub hub, String claimedId) {
        events.run(() -> session = hub.open(this, claimedId));
    }

    void text(String text) {
        heard();
        events.run(() -> withSession(s -> s.onText(text)));
    }

    void binary(int length) {
        heard();
        events.run(() -> withSession(s -> s.onBinary(length)));
    }

    /** A ping or pong: heard from the client, and counted by the hub like every frame. */
    void controlFrame() {
        heard();
        events.run(() -> withSession(Session::onControlFrame));
    }

    /**
     * The client's close frame arrived (its code and reason). Recorded because the library can still
     * report the close as abnormal: it answers the close frame before it marks the handshake done, and
     * when the client closes its socket in between, the end of the stream is reported as 1006.
     */
    void clientSentClose(int code, String reason) {
        clientClose = new int[] {code};
        clientCloseReason = reason;
    }

    void closed(int code, String reason) {
        ended = true;
        channel.release();
        int[] sent = clientClose;
        boolean cleanAfterAll = code == CloseFrame.ABNORMAL_CLOSE && sent != null;
        int reported = cleanAfterAll ? sent[0] : code;
        String why = cleanAfterAll ? clientCloseReason : reason;
        events.run(() -> withSession(s -> s.onClose(reported, why)));
    }

    /**
     * Runs an event on the session, if the hub opened one: when {@code hub.open} failed (it logged why),
     * the events that follow, the close included, have no session to reach. Inside events only.
     */
    private void withSession(java.util.function.Consumer<Session> event) {
        if (session != null) {
            event.accept(session);
        }
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    @Override
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public void ping() {
        if (ended || closeRequested.get() || !ws.isOpen()) {
            return;
        }
        try {
            ws.sendPing();
            watchFlush();
        } catch (RuntimeException e) {
            log.debug("Could not ping {}", this, e);
        }
    }

    boolean hasEnded() {
        return ended;
    }

    WebSocketImpl socket() {
        return ws;
    }

    @Override
    public String toString() {
        return "WsConnection[" + handshake.path() + " from " + handshake.remoteAddress() + (ended ? ", ended" : "") + "]";
    }
}
