package dev.mvp.signaling.netty;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.Session;
import dev.mvp.signaling.server.engine.ByteBudget;
import dev.mvp.signaling.server.engine.EngineConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket: the {@link dev.mvp.signaling.core.Connection Connection} the hub sends through, and the last handler of its
 * pipeline, which feeds the hub's {@link Session} on the channel's event loop (in order, never
 * overlapping).
 *
 * <p>{@link #send} encodes the text into a pooled buffer and writes it, from whatever thread the hub
 * runs on; Netty hands writes from other threads to the channel's loop in the order they were made.
 * Frames written after our close frame are dropped there, so a close frame is always the last frame.
 * {@link #bufferedBytes()} is what Netty holds for the socket, writes still on their way to the loop
 * included.
 */
final class NettyConnection extends ChannelDuplexHandler implements EngineConnection, ByteBudget.Holder {
    private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);
    static final String NAME = "websocket";
    private static final int NO_STATUS = 1005;
    private static final int INVALID_PAYLOAD = 1007;
    private static final int TLS_FAILURE = 1015;
    private static final int CLOSE_PROTOCOL_ERROR = 1002;

    private final NettyEngine transport;
    private final Channel channel;
    private final Handshake handshake;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private volatile boolean closing; // a close frame is on its way: send() drops from now on
    private volatile long lastHeardNanos = System.nanoTime();
    // event loop only:
    private Session session;
    private boolean closeFrameWritten;
    private boolean closeFrameReceived;
    private int code = CloseCodes.ABNORMAL;
    private String reason = "";
    private ScheduledFuture<?> forceClose;
    private boolean pongInFlight;
    private ByteBuf nextPong;
    /** Frames held back while the channel is not writable, oldest first: dropped whole when the client is shed. */
    private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
    /** Bytes of every frame from the moment it was written until the socket took it (or it was dropped). */
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();
    /** Bytes of the pongs a later one replaced while one was on its way: owed to the client, not held. */
    private volatile long owedPongBytes;
    private final AtomicBoolean shed = new AtomicBoolean();

    private record Held(Object frame, ChannelPromise promise) {}

    NettyConnection(NettyEngine transport, Channel channel, Handshake handshake) {
        this.transport = transport;
        this.channel = channel;
        this.handshake = handshake;
    }

    /**
     * On the event loop, once the handshake response is out.
     *
     * @param acceptedNanos when the channel was accepted, for the handshake's duration
     */
    void open(String clientId, long acceptedNanos) {
        transport.opened(this, acceptedNanos);
        session = transport.hub.open(this, clientId);
        if (!channel.isActive()) { // closed while the hub opened it: channelInactive came first
            end();
        }
    }

    // --- Connection: any thread -------------------------------------------------------------------

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public void send(String text) {
        if (closing || !channel.isActive()) {
            return;
        }
        // The JDK's encoder (a plain copy for Latin-1 text, which signaling nearly always is) and one copy
        // into a pooled direct buffer cost a third of Netty's char-by-char writeUtf8 for a 2.5 KB offer.
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeCounted(new TextWebSocketFrame(channel.alloc().directBuffer(utf8.length).writeBytes(utf8)));
    }

    /**
     * Writes a frame from any thread, charging its bytes to this connection and to the server's outbound
     * budget until the socket took it or it was dropped; relieves the budget if it went over.
     */
    private ChannelFuture writeCounted(WebSocketFrame frame) {
        long size = wireSize(frame.content().readableBytes());
        ChannelPromise promise = channel.newPromise();
        charge(size);
        promise.addListener(f -> charge(-size));
        channel.writeAndFlush(frame, promise);
        ByteBudget budget = transport.context.outboundBudget();
        if (budget.over()) {
            budget.relieve(ByteBudget.outboundRefusal(budget));
        }
        return promise;
    }

    /** A frame's bytes on the wire, header included. */
    private static long wireSize(int payload) {
        return payload + (payload < 126 ? 2 : payload < 65536 ? 4 : 10);
    }

    private void charge(long delta) {
        pending.addAndGet(delta);
        transport.context.outboundBudget().charge(this, delta);
    }

    @Override
    public long heldBytes() {
        return pending.get();
    }

    /**
     * The server holds too much for all clients, this one the most: the frames held back for it are
     * dropped, the hub is told at once (its peers get {@code bye}), and the close frame is written next;
     * what the socket's buffer already has goes when the client reads or the close timeout ends it.
     */
    @Override
    public void shed(String reason) {
        if (!shed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        String why = CloseCodes.fitReason(reason);
        channel.eventLoop().execute(() -> {
            dropHeld();
            owedPongBytes = 0;
            if (session != null && !ended) {
                session.onClose(CloseCodes.SLOW_CONSUMER, why);
            }
            if (closeRequested.compareAndSet(false, true)) {
                sendClose(CloseCodes.SLOW_CONSUMER, why);
            } else {
                channel.close();
            }
        });
    }

    /** Drops the frames held back; their promises fail, which releases their bytes. Event loop only. */
    private void dropHeld() {
        Held h;
        while ((h = held.poll()) != null) {
            ReferenceCountUtil.release(h.frame());
            h.promise().tryFailure(DROPPED);
        }
    }

    private static final java.nio.channels.ClosedChannelException DROPPED = new java.nio.channels.ClosedChannelException();

    @Override
    public void close(int code, String reason) {
        if (code == CloseCodes.ABNORMAL) { // drop, even when a close handshake is under way
            closeRequested.set(true);
            closing = true;
            String why = CloseCodes.fitReason(reason);
            channel.eventLoop().execute(() -> {
                if (this.code == CloseCodes.ABNORMAL) {
                    this.reason = why;
                }
                channel.close();
            });
            return;
        }
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        String why = CloseCodes.fitReason(reason);
        Runnable close = failing(code) ? () -> fail(code, why) : () -> sendClose(code, why);
        if (channel.eventLoop().inEventLoop()) {
            close.run();
        } else {
            channel.eventLoop().execute(close);
        }
    }

    /**
     * Whether the hub closes with {@code code} because of what the client did (a flood, a message too
     * big): the connection is failed instead of waiting for the client's own close frame while still
     * decoding whatever it sends. Both engines end a flooder's connection at once (FrameFloodTest).
     */
    private static boolean failing(int code) {
        return code == CloseCodes.POLICY_VIOLATION || code == CloseCodes.MESSAGE_TOO_BIG;
    }

    @Override
    public long bufferedBytes() {
        return pending.get() + owedPongBytes;
    }

    // --- event loop -------------------------------------------------------------------------------

    private void sendClose(int code, String why) {
        if (closeFrameWritten || !channel.isActive()) {
            return;
        }
        this.code = code;
        this.reason = why;
        if (code == CloseCodes.ABNORMAL || code == NO_STATUS || code == TLS_FAILURE) {
            channel.close(); // codes that only report a close: no frame may carry them, so drop the socket
            return;
        }
        writeCounted(new CloseWebSocketFrame(code, why));
        closeLater();
    }

    /**
     * Fails the connection (RFC 6455 7.1.7): our close frame if none went out yet, then the socket is
     * closed as soon as the frame is written, without waiting for an answer. The code reported to the
     * hub stays the one of the first close frame.
     */
    private void fail(int code, String why) {
        if (!channel.isActive()) {
            return;
        }
        if (closeFrameWritten) {
            channel.close();
            return;
        }
        closeRequested.set(true);
        AssemblyDecoder decoder = channel.pipeline().get(AssemblyDecoder.class);
        if (decoder != null) {
            decoder.drain(); // RFC 6455 7.1.7: nothing the client sends is processed any more
        }
        this.code = code;
        this.reason = why;
        // writing it sets closing (see write), so the frames still arriving no longer reach the hub
        ChannelFuture written = writeCounted(new CloseWebSocketFrame(code, CloseCodes.fitReason(why)));
        if (channel instanceof DuplexChannel duplex && channel.pipeline().get(SslHandler.class) == null) {
            // Half-close and let the decoder drop, undecoded, what the client still sends until it
            // closes: closing with its bytes unread would reset the connection, and the client could lose
            // our close frame. The close timeout bounds a client that never stops.
            written.addListener(f -> {
                if (f.isSuccess()) {
                    duplex.shutdownOutput();
                } else {
                    channel.close();
                }
            });
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        closeLater(); // a client that does not read would keep the write, and so the socket, open
    }

    /** Closes the socket after the close timeout unless it is closed by then. Event loop only. */
    private void closeLater() {
        if (forceClose != null) {
            return;
        }
        forceClose = channel.eventLoop().schedule(() -> {
            log.debug("Closing {}: the close handshake did not finish within the close timeout", this);
            channel.close();
        }, transport.closeTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (closeFrameWritten || ended) {
            ReferenceCountUtil.release(msg); // nothing may follow a close frame
            if (!promise.isVoid()) {
                promise.trySuccess();
            }
            return;
        }
        if (msg instanceof CloseWebSocketFrame) {
            closeFrameWritten = true;
            closing = true;
        }
        if (!held.isEmpty() || !ctx.channel().isWritable()) {
            held.add(new Held(msg, promise)); // the socket is behind: keep whole frames here, where they can be dropped
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!held.isEmpty() && ctx.channel().isWritable()) {
            Held h;
            while (ctx.channel().isWritable() && (h = held.poll()) != null) {
                ctx.write(h.frame(), h.promise());
            }
            ctx.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            lastHeardNanos = System.nanoTime();
            if (closing && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                return; // the connection is being closed: no more messages for the hub
            }
            if (msg instanceof TextWebSocketFrame text) {
                String decoded = strictUtf8(text.content());
                if (decoded == null) {
                    fail(INVALID_PAYLOAD, "the text is not valid UTF-8");
                    return;
                }
                session.onText(decoded);
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                session.onBinary(binary.content().readableBytes());
            } else if (msg instanceof PingWebSocketFrame ping) {
                if (!closeFrameWritten) {
                    pong(ctx, ping.content().retain());
                }
                session.onControlFrame();
            } else if (msg instanceof PongWebSocketFrame) {
                session.onControlFrame(); // heard from the client, and counted by the hub like every frame
            } else if (msg instanceof CloseWebSocketFrame close) {
                closeReceived(ctx, close);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Answers a ping. While a pong is on its way to the socket, a later ping's payload replaces the one
     * waiting behind it (RFC 6455 5.5.3 lets an endpoint answer only the latest ping): a client that pings
     * and never reads makes at most one pong wait here, besides the one written. Event loop only.
     */
    private void pong(ChannelHandlerContext ctx, ByteBuf payload) {
        if (pongInFlight) {
            if (nextPong != null) {
                owedPongBytes += wireSize(nextPong.readableBytes());
                nextPong.release();
            }
            nextPong = payload;
            return;
        }
        pongInFlight = true;
        long size = wireSize(payload.readableBytes());
        charge(size);
        ctx.writeAndFlush(new PongWebSocketFrame(payload)).addListener(f -> {
            charge(-size);
            if (f.isSuccess()) {
                owedPongBytes = 0; // the socket took it: the client reads
            }
            pongInFlight = false;
            ByteBuf next = nextPong;
            nextPong = null;
            if (next != null) {
                if (f.isSuccess() && !closeFrameWritten && channel.isActive()) {
                    pong(ctx, next);
                } else {
                    next.release();
                }
            }
        });
    }

    private void closeReceived(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        if (closeFrameReceived) {
            return;
        }
        closeFrameReceived = true;
        int status = close.statusCode();
        if (status > 4999) { // the decoder checks the rest of RFC 6455 7.4 but lets codes from 5000 through
            fail(CLOSE_PROTOCOL_ERROR, "close code " + status + " is not one a client may send");
            return;
        }
        if (!closeFrameWritten) { // the client closes: its code is the one to report
            code = status < 0 ? NO_STATUS : status;
            reason = close.reasonText();
            closing = true;
            // an empty close is answered 1000, as the other engine does (RFC 6455 5.5.1 allows either)
            CloseWebSocketFrame echo = new CloseWebSocketFrame(status < 0 ? CloseCodes.NORMAL : status, "");
            writeCounted(echo).addListener(ChannelFutureListener.CLOSE);
            closeLater(); // a client that does not read would keep the echo, and so the socket, open
        } else { // the client answered ours: done
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end();
        ctx.fireChannelInactive();
    }

    private boolean ended;

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        closing = true;
        dropHeld();
        transport.context.outboundBudget().forget(this);
        if (nextPong != null) {
            nextPong.release();
            nextPong = null;
        }
        if (forceClose != null) {
            forceClose.cancel(false);
        }
        transport.closed(this); // also when the hub failed to open a session: the count must not keep it
        if (session == null) {
            return;
        }
        try {
            session.onClose(code, reason);
        } catch (RuntimeException e) {
            log.warn("The hub failed handling the close of {}", this, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException bad) {
            // The decoder (built not to answer by itself) found a protocol error: 1002, 1007 or 1009.
            WebSocketCloseStatus status = bad.closeStatus();
            String why = bad.getMessage() == null ? "" : bad.getMessage();
            log.debug("Protocol violation on {}: {}", this, why);
            fail(status == null ? CLOSE_PROTOCOL_ERROR : status.code(), why);
        } else if (cause instanceof AssemblyDecoder.Refused refused) {
            fail(CloseCodes.MESSAGE_TOO_BIG, refused.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            fail(CloseCodes.MESSAGE_TOO_BIG, "message too big: the limit is " + transport.maxFrameBytes + " bytes");
        } else if (NettyEngine.outOfMemory(cause)) {
            log.error("Out of memory on {}; closing it", this, cause);
            ctx.close();
        } else {
            log.debug("Closing {} after an error", this, cause);
            ctx.close();
        }
    }

    /** One decoder per event loop thread: reports malformed input instead of replacing it. */
    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));

    /**
     * The text of a frame's payload, or null if it is not valid UTF-8 (RFC 6455 8.1). The JDK's own
     * decoding (vectorised for ASCII, which signaling is nearly all of) replaces every malformed sequence
     * with U+FFFD; only a text holding U+FFFD, which is rare and may be genuine, is decoded again strictly
     * to tell which.
     */
    static String strictUtf8(ByteBuf payload) {
        String text = payload.toString(StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return UTF8.get().reset().decode(payload.nioBuffer()).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // --- liveness (the rule is the server's) -------------------------------------------------------

    @Override
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public void ping() {
        if (!closing && channel.isActive()) {
            writeCounted(new PingWebSocketFrame());
        }
    }

    @Override
    public String toString() {
        return "NettyConnection[" + handshake.path() + " from " + handshake.remoteAddress() + "]";
    }
}
