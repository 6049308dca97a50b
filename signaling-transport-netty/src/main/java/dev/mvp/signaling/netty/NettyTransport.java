package dev.mvp.signaling.netty;

import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.SignalingHub;
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
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling hub's WebSockets on Netty: one port serving WebSocket upgrades (each open WebSocket a
 * hub {@link dev.mvp.signaling.core.Session Session}) and, through an {@link HttpFront}, every other HTTP
 * request. The launcher runs it when asked for {@code --transport netty}; its public face there is
 * {@code SignalingServer}, which adds the HTTP endpoints and the shutdown sequence.
 *
 * <p><b>Threads.</b> One group of event loops ({@code <prefix>io-N}, daemons, one per CPU by default)
 * accepts, reads, runs the hub for each frame on the loop that read it, and writes. Epoll is used where
 * its native library loads (Linux x86-64), NIO elsewhere. A frame for another connection is handed to
 * that connection's loop by Netty; nothing on the message path blocks or takes a lock of ours.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds and returns once the port accepts; {@link #stopAccepting()}
 * closes the listening socket; {@link #close()} closes every socket and stops every thread, waiting at
 * most the builder's {@code closeTimeout} for the loops to end.
 */
public final class NettyTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    /** Longest request line, and longest header block, the HTTP decoder accepts (as the other transport: 16 KiB). */
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEAD = 16 * 1024;

    final SignalingHub hub;
    final HttpFront front;
    final int maxFrameBytes;
    /** The frame decoder's settings, the same for every connection. */
    final WebSocketDecoderConfig decoderConfig;
    final long handshakeTimeoutNanos;
    final long closeTimeoutNanos;
    private final String host;
    private final int port;
    private final int backlog;
    private final long pingIntervalNanos;
    private final SSLContext sslContext;
    private final int ioThreads;
    private final String threadPrefix;
    private final boolean nativeTransport;

    private final Set<NettyConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final Object drained = new Object();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private MultiThreadIoEventLoopGroup group;
    private Channel serverChannel;
    private ScheduledFuture<?> pinger;
    private volatile InetSocketAddress address;
    private String ioKind = "nio";

    private NettyTransport(Builder b) {
        this.hub = b.hub;
        this.front = b.front;
        this.host = b.host;
        this.port = b.port;
        this.backlog = b.backlog;
        this.maxFrameBytes = b.maxFrameBytes;
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(b.maxFrameBytes)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .expectMaskedFrames(true)
                .closeOnProtocolViolation(false) // NettyConnection answers, once, keeping the first close code
                .build();
        this.handshakeTimeoutNanos = b.handshakeTimeout.toNanos();
        this.closeTimeoutNanos = b.closeTimeout.toNanos();
        this.pingIntervalNanos = b.pingInterval.toNanos();
        this.sslContext = b.sslContext;
        this.ioThreads = b.ioThreads;
        this.threadPrefix = b.threadPrefix;
        this.nativeTransport = b.nativeTransport;
    }

    /** A transport for {@code hub} whose plain-HTTP answers come from {@code front}. */
    public static Builder builder(SignalingHub hub, HttpFront front) {
        return new Builder(hub, front);
    }

    /**
     * Binds and starts serving.
     *
     * @return this transport
     * @throws IOException if the address cannot be bound (in use, not local); the threads are stopped then
     * @throws IllegalStateException if it was started before
     */
    public synchronized NettyTransport start() throws IOException {
        if (group != null) {
            throw new IllegalStateException("a transport starts once");
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
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init(ch);
                    }
                });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            stopThreads(System.nanoTime() + closeTimeoutNanos);
            if (cause instanceof IOException e) {
                throw asBindException(e);
            }
            throw new IOException(cause == null ? "bind failed" : cause.toString(), cause);
        }
        serverChannel = bound.channel();
        address = (InetSocketAddress) serverChannel.localAddress();
        if (pingIntervalNanos > 0) {
            long tick = Math.max(1, pingIntervalNanos / 2);
            pinger = group.next().scheduleAtFixedRate(this::pingIdle, tick, tick, TimeUnit.NANOSECONDS);
        }
        log.debug("Netty transport ({}, {} I/O threads) listening on {}", ioKind, ioThreads, address);
        return this;
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
            Thread t = new FastThreadLocalThread(r, threadPrefix + "io-" + n.incrementAndGet());
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
        p.addLast(FrontHandler.CODEC, new HttpServerCodec(MAX_LINE, MAX_HEAD, 8192));
        p.addLast(FrontHandler.NAME, new FrontHandler(this));
    }

    /** {@code epoll} or {@code nio}: the I/O the loops use. */
    public String ioKind() {
        return ioKind;
    }

    /** The bound address. */
    public InetSocketAddress address() {
        InetSocketAddress a = address;
        if (a == null) {
            throw new IllegalStateException("call start() first");
        }
        return a;
    }

    /** Open WebSockets right now. */
    public int webSocketCount() {
        return connections.size();
    }

    /** Open sockets right now, WebSockets or not. */
    public int socketCount() {
        return channels.size();
    }

    /** Runs {@code action} for each open WebSocket (a snapshot). */
    public void forEachWebSocket(Consumer<Connection> action) {
        for (NettyConnection c : List.copyOf(connections)) {
            action.accept(c);
        }
    }

    /** Closes the listening socket: new clients are refused from now on. Idempotent. */
    public void stopAccepting() {
        Channel s = serverChannel;
        if (s != null) {
            s.close().awaitUninterruptibly(closeTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Waits until every WebSocket has closed, or the deadline ({@link System#nanoTime()}) passes.
     *
     * @return whether none is left
     */
    public boolean awaitNoWebSockets(long deadlineNanos) throws InterruptedException {
        synchronized (drained) {
            while (!connections.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
            return true;
        }
    }

    /**
     * Closes every socket at once (no close handshake: do that first, see {@link #forEachWebSocket}) and
     * stops the threads, waiting at most the close timeout. Idempotent.
     */
    @Override
    public void close() {
        close(System.nanoTime() + closeTimeoutNanos);
    }

    /**
     * {@link #close()}, waiting for the threads only until {@code deadlineNanos} ({@link System#nanoTime()}),
     * for callers that already spent part of their time budget on the close handshakes.
     */
    public synchronized void close(long deadlineNanos) {
        if (group == null || group.isShuttingDown()) {
            return;
        }
        long deadline = deadlineNanos;
        if (pinger != null) {
            pinger.cancel(false);
        }
        stopAccepting();
        for (Channel ch : List.copyOf(channels)) {
            ch.close();
        }
        stopThreads(deadline);
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

    void opened(NettyConnection c) {
        connections.add(c);
    }

    void closed(NettyConnection c) {
        if (connections.remove(c)) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Every half interval: pings the WebSockets nothing was heard from for half an interval or more, and
     * drops those silent for more than two intervals, so a dead peer is noticed between two and two and a
     * half intervals after it last spoke. Clients that talk are never pinged.
     */
    private void pingIdle() {
        long now = System.nanoTime();
        for (NettyConnection c : connections) {
            c.checkLiveness(now, pingIntervalNanos);
        }
    }

    @Override
    public String toString() {
        return "NettyTransport[" + (address == null ? host + ":" + port : address) + ", " + ioKind + ", "
                + connections.size() + " WebSockets, " + channels.size() + " sockets]";
    }

    /** The transport's settings. Defaults suit a public server; every one is validated. */
    public static final class Builder {
        private final SignalingHub hub;
        private final HttpFront front;
        private String host = "0.0.0.0";
        private int port = 8000;
        private int backlog = 1024;
        private int maxFrameBytes = 1 << 20;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration closeTimeout = Duration.ofSeconds(2);
        private Duration pingInterval = Duration.ofSeconds(30);
        private SSLContext sslContext;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private String threadPrefix = "signaling-netty-";
        private boolean nativeTransport = true;

        private Builder(SignalingHub hub, HttpFront front) {
            this.hub = Objects.requireNonNull(hub, "hub");
            this.front = Objects.requireNonNull(front, "front");
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The listening socket's accept queue. */
        public Builder acceptBacklog(int backlog) {
            this.backlog = positive("acceptBacklog", backlog);
            return this;
        }

        /** Longer frames (and longer fragmented messages) close the WebSocket with 1009. */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = positive("maxFrameBytes", bytes);
            return this;
        }

        /** Time from accepting a socket to an open WebSocket (or a complete HTTP request). */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * Time a WebSocket is given to answer our close frame before its socket is closed, and the time
         * {@link #close()} waits for the threads.
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /** Ping silent clients this often and drop them after two intervals; zero turns it off. */
        public Builder pingInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("pingInterval must not be negative");
            }
            this.pingInterval = interval;
            return this;
        }

        /** Serve {@code wss://} and {@code https://} with this context; null for plain sockets. */
        public Builder tls(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = positive("ioThreads", threads);
            return this;
        }

        /** Threads are named {@code <prefix>io-N}. */
        public Builder threadNamePrefix(String prefix) {
            this.threadPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Whether to use epoll when its native library loads (default); false forces NIO. */
        public Builder nativeTransport(boolean use) {
            this.nativeTransport = use;
            return this;
        }

        public NettyTransport build() {
            return new NettyTransport(this);
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + v);
            }
            return v;
        }

        private static Duration positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
