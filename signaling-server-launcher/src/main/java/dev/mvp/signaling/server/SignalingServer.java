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
 * ({@code GET /}, {@code GET /status}, CORS) on the same port.
 *
 * <pre>{@code
 * try (SignalingServer server = new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(0).build()).start()) {
 *     URI alice = server.webSocketUri("alice");   // ws://127.0.0.1:PORT/ws/alice
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@link #start()} returns once the port is bound and the server accepts, and
 * throws {@link ServerStartException} naming host and port if it cannot bind. {@link #close()} closes
 * every WebSocket with 1001 (going away), waits up to {@link ServerConfig#shutdownTimeout()} for the
 * close handshakes, drops what is left and returns; it is idempotent, and no thread of the server
 * outlives it. A server is started at most once.
 *
 * <p><b>Threads</b> are daemons named {@code signaling-ws-N-selector} (network I/O and HTTP answers),
 * {@code signaling-ws-N-worker-M} (decoding frames and running the hub for them; one per CPU) and
 * {@code signaling-ws-N-timer} (handshake deadlines, pings, the out-queue guard), N counting servers in
 * this JVM. All public methods are thread-safe.
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long START_TIMEOUT_MS = 10_000;
    /** Time granted on top of the shutdown timeout to stop the threads. */
    private static final long THREAD_GRACE_MS = 500;

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final ServerConfig config;
    private final String threadPrefix;
    private State state = State.NEW; // guarded by this
    private SignalingHub hub;
    private boolean ownsHub;
    private ServerSocketChannel serverChannel;
    private ScheduledThreadPoolExecutor timer;
    private WsEngine engine;
    private Thread selectorThread;
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
        ownsHub = config.hub() == null;
        hub = ownsHub ? new SignalingHub(config.hubConfig()) : config.hub();
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
        HttpResponder responder = new HttpResponder(new Cors(config.allowedOrigins()), hub::stats, Version.get());
        long maxFrameBytes = 3L * config.hubConfig().maxMessageLength() + 16; // the hub answers long texts itself
        engine = new WsEngine(serverChannel, hub, responder, timer, config.handshakeTimeout().toMillis(),
                (int) Math.min(Integer.MAX_VALUE, maxFrameBytes), threadPrefix);
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
            timer.scheduleAtFixedRate(() -> engine.pingIdle(ping), ping, ping, TimeUnit.NANOSECONDS);
        }
        state = State.RUNNING;
        log.info("Signaling server listening on {} (WebSockets at {}, status at {})",
                ServerStartException.hostPort(address.getHostString(), address.getPort()),
                "ws://" + authority() + WsPaths.PREFIX + "{client_id}", uri("/status"));
        return this;
    }

    private void abortStart() {
        closeQuietly(serverChannel);
        timer.shutdownNow();
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
        return URI.create("http://" + authority() + path);
    }

    /** The WebSocket URI for a client id: {@code ws://host:port/ws/{id}}, the id percent-encoded. */
    public URI webSocketUri(String clientId) {
        String id = URLEncoder.encode(clientId, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create("ws://" + authority() + WsPaths.PREFIX + id);
    }

    private String authority() {
        InetSocketAddress a = requireStarted();
        InetAddress ip = a.getAddress();
        String host;
        if (ip == null) {
            host = a.getHostString();
        } else if (ip.isAnyLocalAddress()) {
            host = ip instanceof Inet6Address ? "[::1]" : "127.0.0.1";
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
     * Stops the server: closes every WebSocket with 1001 "server shutting down", waits up to the
     * configured shutdown timeout for clients to answer, drops whoever has not, stops every thread, and
     * closes the hub if the server created it. Returns within the shutdown timeout plus about a second.
     * Idempotent; a server that was never started just becomes closed.
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
        boolean interrupted = false;
        try {
            if (ownsHub) {
                hub.close(); // closes each session's connection with 1001
            } else {
                for (WsConnection c : List.copyOf(engine.openConnections())) {
                    c.close(CloseCodes.GOING_AWAY, "server shutting down");
                }
            }
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
        if (ownsHub) {
            hub.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
