package dev.mvp.signaling.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Netty engine's yardstick: the least a relay on Netty can do, with the same rules as
 * {@link BaselineRelay} (an id from the path, then {@link RelayRule}; nothing validated, no limit kept). Built from Netty's own handlers: its HTTP codec, its WebSocket
 * handshake and frame codec, no aggregation of fragments beyond the handshake.
 *
 * <p>Same thread and socket settings as our Netty engine: one event loop per CPU, epoll where it loads,
 * TCP_NODELAY, SO_REUSEADDR and the same accept backlog.
 */
public final class BareNettyRelay implements AutoCloseable {
    private static final AttributeKey<String> ID = AttributeKey.valueOf("bench.id");
    private static final int MAX_FRAME = 1024 * 1024;

    private final Map<String, Channel> byId = new ConcurrentHashMap<>();
    private final MultiThreadIoEventLoopGroup group;
    private final Channel server;

    /**
     * Binds and starts serving.
     *
     * @param address where to listen
     * @param acceptBacklog the listening socket's backlog
     * @throws InterruptedException if interrupted while binding
     */
    public BareNettyRelay(InetSocketAddress address, int acceptBacklog) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        Relay relay = new Relay();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws") // and every path below it: /ws/{id}
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_FRAME)
                .allowExtensions(false)
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, acceptBacklog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024),
                                new WebSocketServerProtocolHandler(ws), relay);
                    }
                })
                .bind(address).sync().channel();
    }

    /** {@return the bound port} */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @ChannelHandler.Sharable
    private final class Relay extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                String id = done.requestUri().substring("/ws/".length());
                ctx.channel().attr(ID).set(id);
                byId.put(id, ctx.channel());
                ctx.channel().closeFuture().addListener(f -> byId.remove(id, ctx.channel()));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String message = frame.text();
            if (RelayRule.isRegister(message)) {
                ctx.writeAndFlush(new TextWebSocketFrame(RelayRule.registered(ctx.channel().attr(ID).get())));
                return;
            }
            String to = RelayRule.recipient(message);
            Channel target = to == null ? null : byId.get(to);
            if (target != null) {
                target.writeAndFlush(new TextWebSocketFrame(frame.content().retain()), target.voidPromise());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
