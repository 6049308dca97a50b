package dev.mvp.signaling.server;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.engine.ConnectionRegistry;
import dev.mvp.signaling.server.engine.Engine;
import dev.mvp.signaling.server.engine.EngineConnection;
import dev.mvp.signaling.server.engine.ByteBudget;
import dev.mvp.signaling.server.engine.EngineContext;
import dev.mvp.signaling.server.engine.EngineFactory;
import dev.mvp.signaling.server.http.HttpService;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling hub on the network: WebSockets at {@code /ws/{client_id}} and a small JSON HTTP API
 * ({@code GET /}, {@code GET /status}, CORS, routes added with {@link ServerConfig.Builder#route}) on the same
 * port, on an engine: Java-WebSocket, built in and the default, or a plug-in such as Netty
 * ({@link ServerConfig#engine()}, {@link dev.mvp.signaling.server.engine.EngineFactory}).
 *
 * <pre>{@code
 * try (SignalingServer server = new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(0).build()).start()) {
 *     URI alice = server.webSocketUri("alice");   // ws://127.0.0.1:PORT/ws/alice
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@link #start()} returns once the port is bound and the server accepts, and
 * throws {@link ServerStartException} naming host and port if it cannot bind, or naming the module to add
 * if the engine asked for is not on the class path. {@link #close()} stops
 * accepting, sends every WebSocket a {@code server-shutdown} frame, closes it with 1001 (going away),
 * waits up to {@link ServerConfig#shutdownTimeout()} for the
 * close handshakes, drops what is left and returns; it is idempotent, and no thread of the server
 * outlives it. A server is started at most once.
 *
 * <p><b>Threads</b> are daemons named {@code signaling-WORD-N-ROLE}, WORD being the engine's ({@code ws} for
 * Java-WebSocket, {@code netty}) and N counting servers in this JVM: the server's own
 * {@code signaling-WORD-N-timer} (pings, handshake deadlines) and the engine's (on Java-WebSocket a
 * {@code selector} for network I/O and HTTP answers and one {@code worker-M} per CPU running the hub for
 * each frame; on Netty one {@code io-M} event loop per CPU doing all of it). All public methods are
 * thread-safe.
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Time granted on top of the shutdown timeout to stop the threads. */
    private static final long THREAD_GRACE_MS = 500;

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    /**
     * The frame every open WebSocket receives when the server shuts down, just before it is closed with
     * 1001: the client should reconnect, to another instance if there is one. Documented in
     * {@code docs/PROTOCOL.md}.
     */
    public static final String SHUTDOWN_NOTICE = "{\"type\":\"server-shutdown\",\"reconnect\":true,"
            + "\"message\":\"the server is shutting down; reconnect, to another instance if there is one\"}";

    private final ServerConfig config;
    private final int instance = INSTANCES.incrementAndGet();
    private final OpenConnections connections;
    private volatile State state = State.NEW; // written under this; read by the health probes
    private SignalingHub hub;
    private boolean ownsHub;
    private ScheduledThreadPoolExecutor timer;
    private Engine engine;
    private volatile InetSocketAddress address;

    /**
     * A server with these settings, not started.
     *
     * @param config the settings
     */
    public SignalingServer(ServerConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.connections = new OpenConnections(config.serverListeners());
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server, for chaining
     * @throws ServerStartException if the engine is not on the class path, the TLS key store cannot be used,
     *     or the address cannot be bound (in use, not local, unresolvable)
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
        EngineFactory factory;
        try {
            factory = Engines.find(config.engine());
        } catch (IllegalStateException e) {
            state = State.CLOSED;
            throw ServerStartException.beforeListening(host, port, e.getMessage(), e);
        }
        SSLContext sslContext = null;
        if (config.tls()) {
            try {
                sslContext = TlsContexts.fromPkcs12(config.tlsKeyStore(), config.tlsKeyStorePassword());
            } catch (java.security.GeneralSecurityException | IOException e) {
                state = State.CLOSED;
                throw new ServerStartException(host, port, "cannot use the TLS key store " + config.tlsKeyStore() + ": "
                        + e.getMessage(), e);
            }
        }
        ownsHub = config.hub() == null;
        hub = ownsHub ? new SignalingHub(config.hubConfig()) : config.hub();
        Context context = new Context(factory.threadWord(), sslContext);
        timer = new ScheduledThreadPoolExecutor(1, context.threads("timer", false));
        timer.setRemoveOnCancelPolicy(true);
        // An idle tick, as the hub's scheduler has (see Scheduler.SystemScheduler): every connection's handshake
        // deadline is called off soon after it is set, and without a nearer head each new one woke the thread.
        timer.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
        try {
            engine = factory.create(context);
            address = engine.start();
        } catch (IOException | UnresolvedAddressException | SecurityException e) {
            String why = e instanceof UnresolvedAddressException ? "the host name cannot be resolved"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            abortStart();
            throw new ServerStartException(host, port, why, e);
        } catch (RuntimeException | LinkageError e) {
            abortStart();
            throw new ServerStartException(host, port, "the " + factory.name() + " engine did not start: " + e, e);
        }
        long ping = config.pingInterval().toNanos();
        if (ping > 0) {
            Liveness liveness = new Liveness(connections, ping);
            timer.scheduleAtFixedRate(liveness, liveness.tickNanos(), liveness.tickNanos(), TimeUnit.NANOSECONDS);
        }
        state = State.RUNNING;
        log.info("Signaling server listening on {} ({}; WebSockets at {}, status at {})",
                ServerStartException.hostPort(address.getHostString(), address.getPort()), engine.description(),
                webSocketScheme() + "://" + authority() + HttpService.WEBSOCKET_PREFIX + "{client_id}", uri("/status"));
        return this;
    }

    private void abortStart() {
        if (engine != null) {
            engine.close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_GRACE_MS));
        }
        timer.shutdownNow();
        if (ownsHub) {
            hub.close();
        }
        state = State.CLOSED;
    }

    /**
     * The bound port: the real one when the configuration asked for 0.
     *
     * @return the port
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        return requireStarted().getPort();
    }

    /**
     * The bound address.
     *
     * @return the address
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress address() {
        return requireStarted();
    }

    /**
     * An {@code http} URI of this server, e.g. {@code uri("/status")}. A server bound to every
     * interface is addressed through the loopback address.
     *
     * @param path the path, starting with {@code /}
     * @return the URI ({@code https} with TLS)
     * @throws IllegalStateException before {@link #start()}
     */
    public URI uri(String path) {
        return URI.create((config.tls() ? "https" : "http") + "://" + authority() + path);
    }

    private String webSocketScheme() {
        return config.tls() ? "wss" : "ws";
    }

    /**
     * The WebSocket URI for a client id: {@code ws://host:port/ws/{id}} ({@code wss} with TLS), the id
     * percent-encoded.
     *
     * @param clientId the id
     * @return the URI
     * @throws IllegalStateException before {@link #start()}
     */
    public URI webSocketUri(String clientId) {
        String id = URLEncoder.encode(clientId, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(webSocketScheme() + "://" + authority() + HttpService.WEBSOCKET_PREFIX + id);
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

    /**
     * The hub this server routes through.
     *
     * @return the hub
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized SignalingHub hub() {
        if (hub == null) {
            throw new IllegalStateException("call start() first");
        }
        return hub;
    }

    /**
     * The settings this server was made with.
     *
     * @return the configuration
     */
    public ServerConfig config() {
        return config;
    }

    /**
     * The open WebSockets, whatever the engine.
     *
     * @return how many
     */
    public int webSocketCount() {
        return connections.size();
    }

    /**
     * The bytes waiting to be written to the open WebSockets, all together: what slow readers hold up
     * (each connection's {@link dev.mvp.signaling.core.Connection#bufferedBytes()}). Costs one pass over
     * the connections.
     *
     * @return the sum, 0 when none is open
     */
    public long bufferedBytes() {
        long sum = 0;
        for (EngineConnection c : connections.snapshot()) {
            sum += c.bufferedBytes();
        }
        return sum;
    }

    /**
     * The open sockets, WebSockets or not (plain HTTP requests and handshakes in progress count too).
     *
     * @return how many; 0 before {@link #start()} and after {@link #close()}
     */
    public synchronized int socketCount() {
        return engine == null || state != State.RUNNING ? 0 : engine.socketCount();
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
     * shutting down", waits up to the configured shutdown timeout for clients to answer, drops whoever has
     * not, stops every thread, and closes the hub if the server created it. The same sequence on every
     * engine. Returns within the shutdown timeout plus about a second. Idempotent; a server that was never
     * started just becomes closed.
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
        engine.stopAccepting(); // new clients should go elsewhere at once
        for (EngineConnection c : connections.snapshot()) {
            c.send(SHUTDOWN_NOTICE); // queued ahead of the close frame that follows
        }
        if (ownsHub) {
            hub.close(); // closes each session's connection with 1001
        } else {
            for (EngineConnection c : connections.snapshot()) {
                c.close(CloseCodes.GOING_AWAY, "server shutting down");
            }
        }
        try {
            // Let the notices and close frames go out and the clients answer before the engine stops:
            // stopping it at once could close sockets with those frames still queued, and the clients
            // then saw a drop (1006) instead of a close.
            connections.awaitNone(deadline);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        long graceEnd = Math.max(deadline, System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(THREAD_GRACE_MS);
        engine.close(graceEnd);
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(Math.max(1, remainingMs(graceEnd)), TimeUnit.MILLISECONDS)) {
                log.warn("The timer of {} did not stop in time", this);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (ownsHub) {
            hub.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static long remainingMs(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private Health.Phase phase() {
        return switch (state) {
            case NEW -> Health.Phase.STARTING;
            case RUNNING -> Health.Phase.RUNNING;
            case CLOSING -> Health.Phase.DRAINING;
            case CLOSED -> Health.Phase.STOPPED;
        };
    }

    /**
     * The project version, e.g. {@code 0.1.0}, as {@code /status} and {@code --version} show it.
     *
     * @return the version, or {@code unknown}
     */
    public static String version() {
        return Version.get();
    }

    @Override
    public synchronized String toString() {
        InetSocketAddress a = address;
        return "SignalingServer[" + state.name().toLowerCase(java.util.Locale.ROOT)
                + (a == null ? ", " + ServerStartException.hostPort(config.host(), config.port()) + " requested"
                        : ", " + ServerStartException.hostPort(a.getHostString(), a.getPort()))
                + ", " + config.engine() + "]";
    }

    /** What this server gives its engine. */
    private final class Context implements EngineContext {
        private final String threadPrefix;
        private final SSLContext tls;
        private final HttpService http;
        private final ByteBudget outbound = new ByteBudget(config.bufferedBytesTotal());
        private final ByteBudget inbound = new ByteBudget(config.assemblyBytesTotal());

        Context(String threadWord, SSLContext tls) {
            this.threadPrefix = "signaling-" + threadWord + "-" + instance + "-";
            this.tls = tls;
            Health health = new Health(SignalingServer.this::phase, hub::stats, hub.config(), config.readinessChecks());
            java.util.Map<String, dev.mvp.signaling.server.http.HttpHandler> routes = new java.util.LinkedHashMap<>(config.routes());
            routes.put(HttpService.LIVENESS_PATH, request -> health.live());
            routes.put(HttpService.READINESS_PATH, request -> health.ready());
            ClusterView cluster = config.cluster();
            this.http = HttpService.standard(config.allowedOrigins(), hub::stats, Version.get(), config.demo(), routes,
                    cluster == null ? null : () -> java.util.Map.of("cluster", cluster.statusFields()));
        }

        @Override
        public ServerConfig config() {
            return config;
        }

        @Override
        public SignalingHub hub() {
            return hub;
        }

        @Override
        public HttpService http() {
            return http;
        }

        @Override
        public ConnectionRegistry connections() {
            return connections;
        }

        @Override
        public ByteBudget outboundBudget() {
            return outbound;
        }

        @Override
        public ByteBudget inboundBudget() {
            return inbound;
        }

        @Override
        public SSLContext tls() {
            return tls;
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public ThreadFactory threads(String role, boolean numbered) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, numbered ? threadName(role) + "-" + n.incrementAndGet() : threadName(role));
                t.setDaemon(true);
                return t;
            };
        }

        @Override
        public String threadName(String role) {
            return threadPrefix + role;
        }
    }
}
