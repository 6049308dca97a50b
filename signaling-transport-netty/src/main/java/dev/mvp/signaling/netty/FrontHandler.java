package dev.mvp.signaling.netty;

import dev.mvp.signaling.server.http.HttpService;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every socket: reads one HTTP request, and either answers it (through the
 * {@link HttpService}) and closes, or turns the socket into a WebSocket and hands it to a
 * {@link NettyConnection}. A socket that has not become a WebSocket or been answered within the
 * handshake timeout is closed.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrontHandler.class);
    static final String NAME = "front";
    static final String CODEC = "http";

    private final NettyEngine transport;
    private ScheduledFuture<?> deadline;
    private boolean done; // answered or upgraded: ignore whatever else the HTTP decoder emits

    FrontHandler(NettyEngine transport) {
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
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
        try {
            if (done || !(msg instanceof HttpRequest req)) {
                return; // request bodies and anything after the first request
            }
            done = true;
            DecoderResult result = req.decoderResult();
            if (result.isFailure()) {
                Throwable cause = result.cause();
                respond(ctx, cause instanceof TooLongFrameException
                        ? transport.front.headTooLarge(NettyEngine.MAX_HEAD)
                        : transport.front.badRequest(problem(cause)));
                return;
            }
            dev.mvp.signaling.server.http.HttpRequest request;
            try {
                request = request(ctx, req);
            } catch (IllegalArgumentException e) {
                respond(ctx, transport.front.badRequest(e.getMessage()));
                return;
            }
            if (req.method().equals(HttpMethod.GET) && req.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
                upgrade(ctx, req, request);
            } else {
                respond(ctx, transport.front.respond(request));
            }
        } catch (RuntimeException e) {
            log.warn("Could not answer a request on {}", ctx.channel(), e);
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, HttpRequest req, dev.mvp.signaling.server.http.HttpRequest request) {
        HttpService.Upgrade decision = transport.front.upgrade(request);
        if (!decision.accepted()) {
            respond(ctx, decision.refusal());
            return;
        }
        String version = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (!"13".equals(version == null ? null : version.trim())) {
            respond(ctx, transport.front.badRequest("unsupported WebSocket version "
                    + (version == null ? "(none)" : "'" + version + "'") + "; this server speaks version 13"));
            return;
        }
        String accept = acceptKey(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY));
        if (accept == null) {
            respond(ctx, transport.front.badRequest("the Sec-WebSocket-Key header is missing or is not 16 bytes in base64"));
            return;
        }
        cancelDeadline();
        ChannelPipeline p = ctx.pipeline();
        NettyConnection connection = new NettyConnection(transport, ctx.channel(), decision.handshake());
        // Frames go out through the WebSocket encoder, placed below the HTTP codec so that they pass it
        // untouched until it is gone; frames come in through the aggregator to the connection.
        p.addBefore(CODEC, "wsencoder", new WebSocket08FrameEncoder(false));
        p.addAfter(NAME, "aggregator", new WebSocketFrameAggregator(transport.maxFrameBytes));
        p.addAfter("aggregator", NettyConnection.NAME, connection);
        p.context(CODEC).writeAndFlush(Unpooled.wrappedBuffer(switchingProtocols(accept)));
        connection.open(decision.clientId());
        p.remove(this);
        // Replacing the codec hands the bytes it holds beyond the request (frames a client sent without
        // waiting for the 101) to the frame decoder, so none is lost.
        p.replace(CODEC, "wsdecoder", new WebSocket08FrameDecoder(transport.decoderConfig));
    }

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The Sec-WebSocket-Accept value for a client's key (RFC 6455, 4.2.2), or null if the key is invalid. */
    static String acceptKey(String key) {
        if (key == null) {
            return null;
        }
        String k = key.trim();
        try {
            if (Base64.getDecoder().decode(k).length != 16) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((k + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    private static byte[] switchingProtocols(String accept) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes a complete response as it is, below the HTTP encoder (but through TLS), and ends the
     * connection. A plain socket is half-closed and then drained until the client closes (or the handshake
     * deadline passes): closing at once with a request body still arriving would reset the connection,
     * and the client could lose the response. With TLS the connection is closed once the response is out.
     */
    private void respond(ChannelHandlerContext ctx, byte[] response) {
        ChannelHandlerContext codec = ctx.pipeline().context(CODEC);
        ChannelFuture written = (codec != null ? codec : ctx).writeAndFlush(Unpooled.wrappedBuffer(response));
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

    private static dev.mvp.signaling.server.http.HttpRequest request(ChannelHandlerContext ctx, HttpRequest req) {
        Map<String, List<String>> headers = new LinkedHashMap<>(); // by name as sent; readers ignore case
        for (Map.Entry<String, String> h : req.headers()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        return dev.mvp.signaling.server.http.HttpRequest.of(req.method().name(), req.uri(), req.protocolVersion().text(),
                headers, remote);
    }

    private static String problem(Throwable cause) {
        String m = cause == null ? null : cause.getMessage();
        return m == null || m.isBlank() ? "malformed request" : "malformed request: " + m;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Closing {} before it became a WebSocket", ctx.channel(), cause);
        ctx.close();
    }
}
