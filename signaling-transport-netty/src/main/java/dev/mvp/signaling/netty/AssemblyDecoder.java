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
 * The connection whose charge takes the total over is failed with {@link Refused} (closed 1009 by
 * {@link NettyConnection}), and whatever it sends after is dropped. One per connection; event loop only.
 */
final class AssemblyDecoder extends WebSocket08FrameDecoder {
    private final ByteBudget budget;
    /** Payload bytes of the complete fragments of a message not finished yet. */
    private long fragmentBytes;
    private long charged;
    private boolean refused;

    AssemblyDecoder(WebSocketDecoderConfig config, ByteBudget budget) {
        super(config);
        this.budget = budget;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
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
        if (charge((arriving.isReadable() ? arriving.capacity() : 0) + fragmentBytes)) {
            return;
        }
        refused = true;
        arriving.skipBytes(arriving.readableBytes()); // released by the decoder on its next read or close
        fragmentBytes = 0;
        charge(0);
        ctx.fireExceptionCaught(new Refused(ByteBudget.assemblyRefusal(budget)));
    }

    /** Charges the change to {@code held}; false if that took the total over. */
    private boolean charge(long held) {
        long delta = held - charged;
        charged = held;
        return !budget.charge(null, delta) || delta <= 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fragmentBytes = 0;
        charge(0);
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        fragmentBytes = 0;
        charge(0);
        super.handlerRemoved0(ctx);
    }

    /** The connection took the server's total of unfinished messages over; the message is the close reason. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
