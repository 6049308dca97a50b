package dev.mvp.signaling.server;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.SignalingHub;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling hub on the network: WebSockets at {@code /ws/{client_id}} and a small JSON HTTP API
 * ({@code GET /}, {@code GET /status}, CORS) on the same port, on Netty or on Java-WebSocket
 * ({@link Transport}).
 *
 * <pre>{@code
 * try (SignalingServer server = new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(0).build()).start()) {
 *     URI alice = server.webSocketUri("alice");   // ws://127.0.0.1:PORT/ws/alice
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@link #start()} returns once the port is bound and the server accepts, and
 * throws {@link ServerStartException} naming host and port if it cannot bind. {@link #close()} stops
 * accepting, sends every WebSocket a {@code server-shutdown} frame, closes it with 1001 (going away),
 * waits up to {@link ServerConfig#shutdownTimeout()} for the
 * close handshakes, drops what is left and returns; it is idempotent, and no thread of the server
 * outlives it. A server is started at most once.
 *
 * <p><b>Threads</b> are daemons. On the default transport, Netty ({@link ServerConfig#transport()}), they
 * are {@code signaling-netty-N-io-M}: one event loop per CPU doing network I/O, HTTP answers, the hub's
 * work for each frame, deadlines and pings. On Java-WebSocket they are {@code signaling-ws-N-selector}
 * (network I/O and HTTP answers), {@code signaling-ws-N-worker-M} (decoding frames and running the hub
 * for them; one per CPU) and {@code signaling-ws-N-timer} (handshake deadlines, pings, the out-queue
 * guard). N counts servers in this JVM. All public methods are thread-safe.
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long START_TIMEOUT_MS = 10_000;
    /** Time granted on top of the shutdown timeout to stop the threads. */
    private static final long THREAD_GRACE_MS = 500;

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    /**
     * The frame every open WebSocket receives when the server shuts down, just before it is closed with
     * 1001: the client should reconnect, to another instance if there is one. Documented in
     * {@code docs/PROTOCOL.md}.
     */
    static final String SHUTDOWN_NOTICE = "{\"type\":\"server-shutdown\",\"reconnect\":true,"
            + "\"message\":\"the server is shutting down; reconnect, to another instance if there is one\"}";

    private final ServerConfig config;
    private final String threadPrefix;
    private State state = State.NEW; // guarded by this
    private SignalingHub hub;
    private boolean ownsHub;
    private ServerSocketChannel serverChannel;
    private ScheduledThreadPoolExecutor timer;
    private WsEngine engine;
    private Thread selectorThread;
    private java.util.concurrent.ExecutorService tlsTasks;
    private NettyEngine netty;
    private volatile InetSocketAddress address;

    public SignalingServer(ServerConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.threadPrefix = "signaling-ws-" + INSTANCES.incrementAndGet() + "-";
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server, for chaining
     * @throws ServerStartException if the address cannot be bound (in use, not local, unresolvable)
     * @throws IllegalStateException if the server was started or closed before
     */
    public synchronized SignalingServer start() {
        if (state != State.NEW) {
            throw new IllegalStateException(state == State.RUNNING
                    ? "start() was called already; a server starts once"
                    : "this server was closed; create a new SignalingServer");
        }
        String host = config.host();
        int port = config.port();
        javax.net.ssl.SSLContext sslContext = null;
        if (config.tls()) {
            try {
                sslContext = TlsContexts.fromPkcs12(config.tlsKeyStore(), config.tlsKeyStorePassword());
            } catch (java.security.GeneralSecurityException | IOException e) {
                state = State.CLOSED;
                throw new ServerStartException(host, port, "cannot use the TLS key store " + config.tlsKeyStore() + ": "
                        + e.getMessage(), e);
            }
            if (config.transport() == Transport.JAVA_WEBSOCKET) {
                tlsTasks = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, threadPrefix + "tls");
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        ownsHub = config.hub() == null;
        hub = ownsHub ? new SignalingHub(config.hubConfig()) : config.hub();
        if (config.transport() == Transport.NETTY) {
            startNetty(sslContext);
            return this;
        }
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadPrefix + "timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        try {
            serverChannel = ServerSocketChannel.open();
            serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            serverChannel.bind(new InetSocketAddress(host, port), config.acceptBacklog());
            address = (InetSocketAddress) serverChannel.getLocalAddress();
        } catch (IOException | UnresolvedAddressException | SecurityException e) {
            String why = e instanceof UnresolvedAddressException ? "the host name cannot be resolved"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            abortStart();
            throw new ServerStartException(host, port, why, e);
        }
        HttpResponder responder = new HttpResponder(new Cors(config.allowedOrigins()), hub::stats, Version.get(),
                config.demo() ? DemoPages.load() : null);
        engine = new WsEngine(serverChannel, hub, responder, timer, config.handshakeTimeout().toMillis(),
                config.maxFrameBytes(), threadPrefix, sslContext, tlsTasks);
        selectorThread = new Thread(engine, threadPrefix + "selector");
        selectorThread.setDaemon(true);
        selectorThread.start();
        try {
            engine.started().get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            state = State.CLOSING;
            shutDown(System.nanoTime());
            state = State.CLOSED;
            throw new ServerStartException(host, port, "the server did not start: " + cause, cause);
        }
        long ping = config.pingInterval().toNanos();
        if (ping > 0) {
            long tick = Math.max(1, ping / 2);
            timer.scheduleAtFixedRate(() -> engine.pingIdle(ping), tick, tick, TimeUnit.NANOSECONDS);
        }
        state = State.RUNNING;
        log.info("Signaling server listening on {} (java-websocket; WebSockets at {}, status at {})",
                ServerStartException.hostPort(address.getHostString(), address.getPort()),
                webSocketScheme() + "://" + authority() + WsPaths.PREFIX + "{client_id}", uri("/status"));
        return this;
    }

    /** {@link #start()} on the Netty transport: its own threads, pings and handshake deadlines. */
    private void startNetty(javax.net.ssl.SSLContext sslContext) {
        String host = config.host();
        int port = config.port();
        HttpResponder responder = new HttpResponder(new Cors(config.allowedOrigins()), hub::stats, Version.get(),
                config.demo() ? DemoPages.load() : null);
        try {
            netty = new NettyEngine(config, hub, responder, sslContext, threadPrefix.replace("-ws-", "-netty-"));
            address = netty.start();
        } catch (IOException | UnresolvedAddressException | SecurityException e) {
            String why = e instanceof UnresolvedAddressException ? "the host name cannot be resolved"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            netty = null;
            abortStart();
            throw new ServerStartException(host, port, why, e);
        } catch (NoClassDefFoundError e) {
            netty = null;
            abortStart();
            throw new ServerStartException(host, port, "the netty transport needs the module "
                    + "dev.mvp:signaling-transport-netty on the class path; add it, or choose the java-websocket transport (" + e.getMessage() + " is missing)", e);
        }
        state = State.RUNNING;
        log.info("Signaling server listening on {} (netty, {}; WebSockets at {}, status at {})",
                ServerStartException.hostPort(address.getHostString(), address.getPort()), netty.ioKind(),
                webSocketScheme() + "://" + authority() + WsPaths.PREFIX + "{client_id}", uri("/status"));
    }

    private void abortStart() {
        closeQuietly(serverChannel);
        if (timer != null) {
            timer.shutdownNow();
        }
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
        }
        if (ownsHub) {
            hub.close();
        }
        state = State.CLOSED;
    }

    /** The bound port: the real one when the configuration asked for 0. */
    public int port() {
        return requireStarted().getPort();
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return requireStarted();
    }

    /**
     * An {@code http} URI of this server, e.g. {@code uri("/status")}. A server bound to every
     * interface is addressed through the loopback address.
     */
    public URI uri(String path) {
        return URI.create((config.tls() ? "https" : "http") + "://" + authority() + path);
    }

    private String webSocketScheme() {
        return config.tls() ? "wss" : "ws";
    }

    /** The WebSocket URI for a client id: {@code ws://host:port/ws/{id}} ({@code wss} with TLS), the id percent-encoded. */
    public URI webSocketUri(String clientId) {
        String id = URLEncoder.encode(clientId, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(webSocketScheme() + "://" + authority() + WsPaths.PREFIX + id);
    }

    private String authority() {
        InetSocketAddress a = requireStarted();
        InetAddress ip = a.getAddress();
        String host;
        if (ip == null) {
            host = a.getHostString();
        } else if (ip.isAnyLocalAddress()) {
            host = "localhost"; // every local address is served; this one reads well in logs
        } else {
            host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        }
        return host + ":" + a.getPort();
    }

    /** The hub this server routes through. */
    public synchronized SignalingHub hub() {
        if (hub == null) {
            throw new IllegalStateException("call start() first");
        }
        return hub;
    }

    public ServerConfig config() {
        return config;
    }

    private InetSocketAddress requireStarted() {
        InetSocketAddress a = address;
        if (a == null) {
            throw new IllegalStateException("call start() first");
        }
        return a;
    }

    /**
     * Stops the server: stops accepting, sends every WebSocket the {@code server-shutdown} notice
     * ({@code {"type":"server-shutdown","reconnect":true,"message":...}}), closes it with 1001 "server
     * shutting down", waits up to the
     * configured shutdown timeout for clients to answer, drops whoever has not, stops every thread, and
     * closes the hub if the server created it. Returns within the shutdown timeout plus about a second.
     * Idempotent; a server that was never started just becomes closed. (On Netty, the library's own
     * JVM-wide {@code globalEventExecutor} thread, which reports that the event loops ended, stops by
     * itself about a second later.)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.NEW) {
                state = State.CLOSED;
                return;
            }
            if (state != State.RUNNING) {
                return;
            }
            state = State.CLOSING;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        shutDown(deadline);
        synchronized (this) {
            state = State.CLOSED;
        }
        log.info("Signaling server on {} closed", ServerStartException.hostPort(address.getHostString(), address.getPort()));
    }

    private void shutDown(long deadline) {
        if (netty != null) {
            shutDownNetty(deadline);
            return;
        }
        boolean interrupted = false;
        engine.stopping();
        closeQuietly(serverChannel); // stop accepting first: new clients should go elsewhere at once
        for (WsConnection c : List.copyOf(engine.openConnections())) {
            c.send(SHUTDOWN_NOTICE); // queued ahead of the close frame that follows
        }
        try {
            if (ownsHub) {
                hub.close(); // closes each session's connection with 1001
            } else {
                for (WsConnection c : List.copyOf(engine.openConnections())) {
                    c.close(CloseCodes.GOING_AWAY, "server shutting down");
                }
            }
            // Let the notices and close frames go out and the clients answer before the library's loop
            // is stopped: stopping it at once could close sockets with those frames still queued, and the
            // clients then saw a drop (1006) instead of a close.
            engine.awaitNoConnections(deadline);
            engine.stop((int) Math.max(1, remainingMs(deadline)), "server shutting down");
        } catch (InterruptedException e) {
            interrupted = true;
        }
        for (WsConnection c : List.copyOf(engine.openConnections())) {
            c.socket().closeConnection(CloseCodes.GOING_AWAY, "server stopped");
        }
        for (FrontDoorChannel ch : List.copyOf(engine.channels())) {
            closeQuietly(ch);
        }
        long graceEnd = Math.max(deadline, System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(THREAD_GRACE_MS);
        interrupted |= join(selectorThread, graceEnd, true);
        closeQuietly(serverChannel);
        timer.shutdownNow();
        try {
            timer.awaitTermination(Math.max(1, remainingMs(graceEnd)), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        for (Thread worker : engine.workerThreads()) {
            interrupted |= join(worker, graceEnd, true);
        }
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
            try {
                tlsTasks.awaitTermination(Math.max(1, remainingMs(graceEnd)), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (ownsHub) {
            hub.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutDown} on the Netty transport: the same sequence as seen by clients. */
    private void shutDownNetty(long deadline) {
        boolean interrupted = false;
        netty.stopAccepting();
        netty.forEachWebSocket(c -> c.send(SHUTDOWN_NOTICE));
        if (ownsHub) {
            hub.close(); // closes each session's connection with 1001
        } else {
            netty.forEachWebSocket(c -> c.close(CloseCodes.GOING_AWAY, "server shutting down"));
        }
        try {
            netty.awaitNoWebSockets(deadline);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        netty.close(Math.max(deadline, System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(THREAD_GRACE_MS));
        if (ownsHub) {
            hub.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Test hook: the open WebSockets as the hub sees them, whatever the transport. */
    List<dev.mvp.signaling.core.Connection> webSockets() {
        if (netty == null) {
            return List.copyOf(engine.openConnections());
        }
        List<dev.mvp.signaling.core.Connection> all = new java.util.ArrayList<>();
        netty.forEachWebSocket(all::add);
        return all;
    }

    /** Test hook: open sockets, WebSockets or not, whatever the transport. */
    int socketCount() {
        return netty != null ? netty.socketCount() : engine.channels().size();
    }

    /** Waits for {@code t} until the deadline, interrupting it if it is still alive; true if interrupted. */
    private static boolean join(Thread t, long deadlineNanos, boolean interruptFirst) {
        if (!t.isAlive()) {
            return false;
        }
        if (interruptFirst) {
            t.interrupt();
        }
        try {
            t.join(Math.max(1, remainingMs(deadlineNanos)));
            if (t.isAlive()) {
                log.warn("Thread {} did not stop in time", t.getName());
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static long remainingMs(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            log.debug("Closing {} failed", c, e);
        }
    }

    /** Test hook: the library adapter. */
    WsEngine engine() {
        return engine;
    }

    @Override
    public synchronized String toString() {
        InetSocketAddress a = address;
        return "SignalingServer[" + state.name().toLowerCase(java.util.Locale.ROOT)
                + (a == null ? ", " + ServerStartException.hostPort(config.host(), config.port()) + " requested"
                        : ", " + ServerStartException.hostPort(a.getHostString(), a.getPort())) + "]";
    }
}
