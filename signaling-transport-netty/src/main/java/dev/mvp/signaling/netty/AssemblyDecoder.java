package dev.mvp.signaling.netty;

import dev.mvp.signaling.server.engine.ByteBudget;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Netty's frame decoder, charging what one connection holds of messages not fully arrived to the server's
 * inbound {@link ByteBudget}: the decoder's buffer while a frame arrives (its capacity: Netty's buffers
 * are direct memory), and the fragments of an unfinished message, which the aggregator behind it keeps.
 * When the total goes over, the connections holding the most are shed, whichever one's charge took it
 * over: each is failed with {@link Refused} on its event loop (closed 1009 by {@link NettyConnection}),
 * and whatever it sends after is dropped. One per connection; event loop only, but for its share, which
 * another connection's charge may shed.
 */
final class AssemblyDecoder extends WebSocket08FrameDecoder {
    private final ByteBudget.Share share;
    private final String refusal;
    /** Payload bytes of the complete fragments of a message not finished yet. */
    private long fragmentBytes;
    private boolean refused;
    /** This decoder's place in its pipeline, once added. */
    private volatile ChannelHandlerContext context;

    AssemblyDecoder(WebSocketDecoderConfig config, ByteBudget budget) {
        super(config);
        this.refusal = ByteBudget.assemblyRefusal(budget);
        this.share = new ByteBudget.Share(budget, refusal, this::shed);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    /** The total shed this connection, from any thread: it is failed on its event loop. */
    private void shed(String reason) {
        ChannelHandlerContext ctx = context;
        if (ctx != null) {
            ctx.executor().execute(() -> refuse(ctx, reason));
        }
    }

    /** Drops what this connection holds and sends from now on, and fails it with {@code reason}. */
    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (refused || ctx.isRemoved()) {
            return;
        }
        refused = true;
        ByteBuf arriving = internalBuffer();
        arriving.skipBytes(arriving.readableBytes()); // released by the decoder on its next read or close
        fragmentBytes = 0;
        ctx.fireExceptionCaught(new Refused(reason));
    }

    /**
     * The connection is failed: from now on its bytes are dropped as they arrive, undecoded and uncharged,
     * until it closes. Event loop only.
     */
    void drain() {
        if (!refused) {
            refused = true;
            ByteBuf arriving = internalBuffer();
            arriving.skipBytes(arriving.readableBytes());
            fragmentBytes = 0;
            share.hold(0);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused || share.isShed()) { // shed: the close is on its way
            in.skipBytes(in.readableBytes());
            return;
        }
        int before = out.size();
        super.decode(ctx, in, out);
        for (int i = before; i < out.size(); i++) {
            if (out.get(i) instanceof WebSocketFrame f && (f instanceof TextWebSocketFrame
                    || f instanceof BinaryWebSocketFrame || f instanceof ContinuationWebSocketFrame)) {
                fragmentBytes = f.isFinalFragment() ? 0 : fragmentBytes + f.content().readableBytes();
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (refused) {
            return;
        }
        ByteBuf arriving = internalBuffer();
        if (!share.hold((arriving.isReadable() ? arriving.capacity() : 0) + fragmentBytes)) {
            refuse(ctx, refusal);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx); // decodes what is left first
        fragmentBytes = 0;
        share.release();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        super.handlerRemoved0(ctx);
        fragmentBytes = 0;
        share.release();
    }

    /** The server's total of unfinished messages shed this connection; the message is the close reason. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
