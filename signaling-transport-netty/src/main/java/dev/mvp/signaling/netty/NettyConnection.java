package dev.mvp.signaling.netty;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.Session;
import dev.mvp.signaling.server.engine.EngineConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
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
final class NettyConnection extends ChannelDuplexHandler implements EngineConnection {
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
        channel.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)), channel.voidPromise());
    }

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
        if (channel.eventLoop().inEventLoop()) {
            sendClose(code, why);
        } else {
            channel.eventLoop().execute(() -> sendClose(code, why));
        }
    }

    @Override
    public long bufferedBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
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
        channel.writeAndFlush(new CloseWebSocketFrame(code, why));
        closeLater();
    }

    /**
     * Fails the connection (RFC 6455 7.1.7): our close frame if none went out yet, then the socket is
     * closed as soon as the frame is written, without waiting for an answer. The code reported to the
     * hub stays the one of the first close frame.
     */
    private void fail(int code, String why) {
        if (closeFrameWritten) {
            channel.close();
            return;
        }
        closeRequested.set(true);
        this.code = code;
        this.reason = why;
        // writing it sets closing (see write), so the frames still arriving no longer reach the hub
        ChannelFuture written = channel.writeAndFlush(new CloseWebSocketFrame(code, CloseCodes.fitReason(why)));
        if (channel instanceof DuplexChannel duplex && channel.pipeline().get(SslHandler.class) == null) {
            // Half-close and let the (now discarding) decoder drain what the client still sends until it
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
        if (closeFrameWritten) {
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
        ctx.write(msg, promise);
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
                nextPong.release();
            }
            nextPong = payload;
            return;
        }
        pongInFlight = true;
        ctx.writeAndFlush(new PongWebSocketFrame(payload)).addListener(f -> {
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
            ctx.channel().writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
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
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }

    @Override
    public String toString() {
        return "NettyConnection[" + handshake.path() + " from " + handshake.remoteAddress() + "]";
    }
}
