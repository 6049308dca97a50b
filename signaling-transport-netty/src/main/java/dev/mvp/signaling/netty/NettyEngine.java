package dev.mvp.signaling.netty;

import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.engine.Engine;
import dev.mvp.signaling.server.engine.EngineContext;
import dev.mvp.signaling.server.http.HttpService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty engine: one port serving WebSocket upgrades (each open WebSocket a hub
 * {@link dev.mvp.signaling.core.Session Session}, reported to the server's registry) and, through the
 * server's {@link HttpService}, every other HTTP request. The server around it owns the shutdown sequence,
 * the liveness rule and the settings.
 *
 * <p><b>Threads.</b> One group of event loops ({@code signaling-netty-N-io-M}, daemons, one per CPU)
 * accepts, reads, runs the hub for each frame on the loop that read it, and writes. Epoll is used where
 * its native library loads (Linux x86-64), NIO elsewhere. A frame for another connection is handed to
 * that connection's loop by Netty; nothing on the message path blocks or takes a lock of ours.
 */
final class NettyEngine implements Engine {
    private static final Logger log = LoggerFactory.getLogger(NettyEngine.class);

    /** Longest request head buffered (as the other engine: 16 KiB); longer ones get 431. */
    static final int MAX_HEAD = 16 * 1024;

    final SignalingHub hub;
    final HttpService front;
    final EngineContext context;
    final int maxFrameBytes;
    /** The frame decoder's settings, the same for every connection. */
    final WebSocketDecoderConfig decoderConfig;
    final long handshakeTimeoutNanos;
    final long closeTimeoutNanos;
    private final SSLContext sslContext;
    private final int ioThreads;
    private final boolean nativeTransport;

    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private MultiThreadIoEventLoopGroup group;
    private Channel serverChannel;
    private volatile InetSocketAddress address;
    private String ioKind = "nio";

    /**
     * @param ioThreads how many event loops
     * @param nativeTransport whether to use epoll where it loads
     */
    NettyEngine(EngineContext context, int ioThreads, boolean nativeTransport) {
        this.context = context;
        this.hub = context.hub();
        this.front = context.http();
        this.maxFrameBytes = context.config().maxFrameBytes();
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrameBytes)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .expectMaskedFrames(true)
                .closeOnProtocolViolation(false) // NettyConnection answers, once, keeping the first close code
                .build();
        this.handshakeTimeoutNanos = context.config().handshakeTimeout().toNanos();
        this.closeTimeoutNanos = context.config().shutdownTimeout().toNanos();
        this.sslContext = context.tls();
        this.ioThreads = ioThreads;
        this.nativeTransport = nativeTransport;
    }

    @Override
    public synchronized InetSocketAddress start() throws IOException {
        if (group != null) {
            throw new IllegalStateException("an engine starts once");
        }
        IoHandlerFactory io;
        Class<? extends ServerChannel> channelType;
        if (nativeTransport && Epoll.isAvailable()) {
            io = EpollIoHandler.newFactory();
            channelType = EpollServerSocketChannel.class;
            ioKind = "epoll";
        } else {
            io = NioIoHandler.newFactory();
            channelType = NioServerSocketChannel.class;
            ioKind = "nio";
        }
        group = new MultiThreadIoEventLoopGroup(ioThreads, threadFactory(), io);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, context.config().acceptBacklog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init(ch);
                    }
                });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(context.config().host(), context.config().port()))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            stopThreads(System.nanoTime() + closeTimeoutNanos);
            if (cause instanceof IOException e) {
                throw asBindException(e);
            }
            if (cause instanceof RuntimeException e) {
                throw e;
            }
            throw new IOException(cause == null ? "bind failed" : cause.toString(), cause);
        }
        serverChannel = bound.channel();
        address = (InetSocketAddress) serverChannel.localAddress();
        log.debug("Netty engine ({}, {} I/O threads) listening on {}", ioKind, ioThreads, address);
        return address;
    }

    @Override
    public String description() {
        return NettyEngineFactory.NAME + ", " + ioKind + (sslContext != null ? ", TLS" : "");
    }

    /**
     * Epoll reports bind errors as its own IOException ("bind(..) failed with error(-98): Address already
     * in use"); callers, and the JDK's NIO, expect a {@link java.net.BindException} for these.
     */
    private static IOException asBindException(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        for (String known : List.of("Address already in use", "Cannot assign requested address", "Permission denied")) {
            if (!(e instanceof java.net.BindException) && m.contains(known)) {
                java.net.BindException b = new java.net.BindException(known);
                b.initCause(e);
                return b;
            }
        }
        return e;
    }

    private ThreadFactory threadFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new FastThreadLocalThread(r, context.threadName("io-" + n.incrementAndGet()));
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
    }

    private void init(SocketChannel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
        ChannelPipeline p = ch.pipeline();
        if (sslContext != null) {
            SSLEngine engine = sslContext.createSSLEngine();
            engine.setUseClientMode(false);
            p.addLast("tls", new SslHandler(engine));
        }
        p.addLast(FrontHandler.NAME, new FrontHandler(this));
    }

    /** {@code epoll} or {@code nio}: the I/O the loops use. */
    String ioKind() {
        return ioKind;
    }

    @Override
    public int socketCount() {
        return channels.size();
    }

    @Override
    public void stopAccepting() {
        Channel s = serverChannel;
        if (s != null) {
            s.close().awaitUninterruptibly(closeTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public synchronized void close(long deadlineNanos) {
        if (group == null || group.isShuttingDown()) {
            return;
        }
        stopAccepting();
        for (Channel ch : List.copyOf(channels)) {
            ch.close();
        }
        stopThreads(deadlineNanos);
    }

    private void stopThreads(long deadline) {
        group.shutdownGracefully(0, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        boolean interrupted = false;
        try {
            if (!group.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("The Netty event loops did not stop in time");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // --- connections ------------------------------------------------------------------------------

    void opened(NettyConnection c, long acceptedNanos) {
        context.connections().opened(c, acceptedNanos);
    }

    void closed(NettyConnection c) {
        context.connections().closed(c);
    }

    @Override
    public String toString() {
        return "NettyEngine[" + address + ", " + ioKind + ", " + channels.size() + " sockets]";
    }

    /**
     * Whether an error is, or was caused by, running out of memory (heap or direct): such an error is
     * logged at error level wherever it surfaces, never only at debug.
     *
     * @param cause what a handler caught
     * @return true for an {@link OutOfMemoryError} anywhere in the cause chain
     */
    static boolean outOfMemory(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
