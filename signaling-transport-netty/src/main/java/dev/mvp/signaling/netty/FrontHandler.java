package dev.mvp.signaling.netty;

import dev.mvp.signaling.server.http.HttpService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every socket: reads one HTTP request head, and either answers it (through the
 * {@link HttpService}) and closes, or turns the socket into a WebSocket and hands it to a
 * {@link NettyConnection}. A socket that has not become a WebSocket or been answered within the
 * handshake timeout is closed.
 *
 * <p><b>Why not Netty's HTTP decoder.</b> The head is buffered here and parsed by the launcher's
 * {@link dev.mvp.signaling.server.http.HttpRequest#parse}, the parser the Java-WebSocket engine uses too:
 * Netty's {@code HttpServerCodec} is lenient where the other engine is strict and the reverse (folded lines,
 * white space before a colon, bare LF, {@code HTTP/9.9}), and one parser is what makes both engines answer
 * the same bytes alike by construction. The server never reads a request body, so nothing of the codec is
 * missed; what follows a head is discarded (a response) or handed to the frame decoder (an upgrade).
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrontHandler.class);
    static final String NAME = "front";

    private final NettyEngine transport;
    private ScheduledFuture<?> deadline;
    private boolean done; // answered or upgraded: ignore whatever else arrives
    /** The head read so far; grows up to {@link NettyEngine#MAX_HEAD}. */
    private byte[] head = new byte[1024];
    private int headLength;
    /** When the channel became active (accepted), a {@link System#nanoTime()} value. */
    private long acceptedNanos = System.nanoTime();

    FrontHandler(NettyEngine transport) {
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        acceptedNanos = System.nanoTime();
        deadline = ctx.executor().schedule(() -> {
            if (ctx.pipeline().get(NAME) != null) {
                log.debug("Closing {}: no complete request or handshake in time", ctx.channel());
                ctx.close();
            }
        }, transport.handshakeTimeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg); // after the head: a body, or a client still sending
            return;
        }
        try {
            int end = -1;
            while (in.isReadable() && end < 0) {
                if (headLength == head.length) {
                    if (head.length >= NettyEngine.MAX_HEAD) {
                        done = true;
                        respond(ctx, transport.front.headTooLarge(NettyEngine.MAX_HEAD));
                        return;
                    }
                    head = java.util.Arrays.copyOf(head, Math.min(NettyEngine.MAX_HEAD, head.length * 4));
                }
                int n = Math.min(in.readableBytes(), head.length - headLength);
                in.readBytes(head, headLength, n);
                headLength += n;
                end = dev.mvp.signaling.server.http.HttpRequest.findEnd(head, headLength);
            }
            if (end < 0) {
                return; // wait for more
            }
            done = true;
            InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
            dev.mvp.signaling.server.http.HttpRequest request;
            try {
                request = dev.mvp.signaling.server.http.HttpRequest.parse(head, end, remote);
            } catch (IllegalArgumentException e) {
                respond(ctx, transport.front.malformed(e));
                return;
            }
            if (request.isWebSocketUpgrade()) {
                ByteBuf rest = Unpooled.buffer(headLength - end + in.readableBytes());
                rest.writeBytes(head, end, headLength - end).writeBytes(in);
                upgrade(ctx, request, rest);
            } else {
                respond(ctx, transport.front.respond(request));
            }
        } catch (RuntimeException e) {
            log.warn("Could not answer a request on {}", ctx.channel(), e);
            ctx.close();
        } finally {
            if (done) {
                head = null;
            }
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * @param rest what the client sent after the head (frames sent without waiting for the 101), for the
     *     frame decoder
     */
    private void upgrade(ChannelHandlerContext ctx, dev.mvp.signaling.server.http.HttpRequest request, ByteBuf rest) {
        HttpService.Upgrade decision = transport.front.upgrade(request);
        if (!decision.accepted()) {
            rest.release();
            respond(ctx, decision.refusal());
            return;
        }
        String accept = HttpService.acceptKey(request.header("Sec-WebSocket-Key"));
        cancelDeadline();
        ChannelPipeline p = ctx.pipeline();
        NettyConnection connection = new NettyConnection(transport, ctx.channel(), decision.handshake());
        // In: decoder, aggregator, connection. Out: the connection's frames through the encoder; the 101 is
        // written from this handler's place, below the encoder, as it is.
        p.addAfter(NAME, "wsdecoder", new AssemblyDecoder(transport.decoderConfig, transport.context.inboundBudget()));
        p.addAfter("wsdecoder", "wsencoder", new WebSocket08FrameEncoder(false));
        p.addAfter("wsencoder", "aggregator", new WebSocketFrameAggregator(transport.maxFrameBytes));
        p.addAfter("aggregator", NettyConnection.NAME, connection);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(switchingProtocols(accept)));
        connection.open(decision.clientId(), acceptedNanos);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest); // to the frame decoder, so no frame sent early is lost
        } else {
            rest.release();
        }
        p.remove(this);
    }

    private static byte[] switchingProtocols(String accept) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes a complete response as it is (through TLS, if any), and ends the
     * connection. A plain socket is half-closed and then drained until the client closes (or the handshake
     * deadline passes): closing at once with a request body still arriving would reset the connection,
     * and the client could lose the response. With TLS the connection is closed once the response is out.
     */
    private void respond(ChannelHandlerContext ctx, byte[] response) {
        ChannelFuture written = ctx.writeAndFlush(Unpooled.wrappedBuffer(response));
        if (ctx.channel() instanceof DuplexChannel duplex && ctx.pipeline().get(SslHandler.class) == null) {
            written.addListener(f -> {
                if (f.isSuccess()) {
                    duplex.shutdownOutput(); // the deadline still closes a client that never lets go
                } else {
                    ctx.close();
                }
            });
        } else {
            cancelDeadline();
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (NettyEngine.outOfMemory(cause)) {
            log.error("Out of memory on {} before it became a WebSocket; closing it", ctx.channel(), cause);
        } else {
            log.debug("Closing {} before it became a WebSocket", ctx.channel(), cause);
        }
        ctx.close();
    }
}
