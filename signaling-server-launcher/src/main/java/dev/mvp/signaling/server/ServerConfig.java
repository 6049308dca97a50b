package dev.mvp.signaling.server;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.SignalingHub;
import java.time.Duration;
import dev.mvp.signaling.server.http.HttpHandler;
import dev.mvp.signaling.server.http.HttpService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a {@link SignalingServer}. Immutable; build one with {@link #builder()}, derive one
 * with {@link #toBuilder()}. Every default is written once, in {@link Builder}, and {@link #toString()}
 * prints them all.
 *
 * <p>The defaults are the seed server's ({@code 0.0.0.0:8000}) so that the launcher is a drop-in
 * replacement. Tests should bind {@code 127.0.0.1} on port 0 and ask {@link SignalingServer#port()}.
 */
public final class ServerConfig {
    /** The value of {@link Builder#allowedOrigins} that lets every origin in. */
    public static final String ANY_ORIGIN = "*";
    /** The engine a server runs on unless told otherwise: Java-WebSocket, built in. */
    public static final String DEFAULT_ENGINE = "java-websocket";

    private final String host;
    private final int port;
    private final List<String> allowedOrigins;
    private final HubConfig hubConfig;
    private final SignalingHub hub;
    private final Duration handshakeTimeout;
    private final int acceptBacklog;
    private final Duration pingInterval;
    private final Duration shutdownTimeout;
    private final int maxFrameBytes;
    private final long bufferedBytesTotal;
    private final long assemblyBytesTotal;
    private final boolean demo;
    private final java.nio.file.Path tlsKeyStore;
    private final char[] tlsKeyStorePassword;
    private final String engine;
    private final Map<String, HttpHandler> routes;
    private final Map<String, ReadinessCheck> readinessChecks;
    private final List<ServerListener> serverListeners;
    private final ClusterView cluster;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.hubConfig = b.hub != null ? b.hub.config() : b.hubConfig;
        this.hub = b.hub;
        this.handshakeTimeout = b.handshakeTimeout;
        this.acceptBacklog = b.acceptBacklog;
        this.pingInterval = b.pingInterval;
        this.shutdownTimeout = b.shutdownTimeout;
        this.maxFrameBytes = b.maxFrameBytes;
        this.bufferedBytesTotal = b.bufferedBytesTotal > 0 ? b.bufferedBytesTotal : heapShare();
        this.assemblyBytesTotal = b.assemblyBytesTotal > 0 ? b.assemblyBytesTotal : heapShare();
        this.demo = b.demo;
        this.tlsKeyStore = b.tlsKeyStore;
        this.tlsKeyStorePassword = b.tlsKeyStorePassword;
        this.engine = b.engine;
        this.routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.routes));
        this.readinessChecks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.readinessChecks));
        this.serverListeners = List.copyOf(b.serverListeners);
        this.cluster = b.cluster;
    }

    /** {@return a configuration with every default} */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** {@return a builder holding every default} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this configuration's values} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.allowedOrigins = allowedOrigins;
        b.hubConfig = hubConfig;
        b.hub = hub;
        b.handshakeTimeout = handshakeTimeout;
        b.acceptBacklog = acceptBacklog;
        b.pingInterval = pingInterval;
        b.shutdownTimeout = shutdownTimeout;
        b.maxFrameBytes = maxFrameBytes;
        b.bufferedBytesTotal = bufferedBytesTotal;
        b.assemblyBytesTotal = assemblyBytesTotal;
        b.demo = demo;
        b.tlsKeyStore = tlsKeyStore;
        b.tlsKeyStorePassword = tlsKeyStorePassword;
        b.engine = engine;
        b.routes = new LinkedHashMap<>(routes);
        b.readinessChecks = new LinkedHashMap<>(readinessChecks);
        b.serverListeners = new java.util.ArrayList<>(serverListeners);
        b.cluster = cluster;
        return b;
    }

    /** {@return the interface to bind: a host name or an address; {@code 0.0.0.0} means every IPv4 interface} */
    public String host() {
        return host;
    }

    /** {@return the port to bind; 0 picks a free one ({@link SignalingServer#port()} tells which)} */
    public int port() {
        return port;
    }

    /** {@return origins allowed by CORS and for WebSocket upgrades; {@code ["*"]} allows every origin} */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** {@return the configuration of the hub: of the one the server creates, or of the one it was given} */
    public HubConfig hubConfig() {
        return hubConfig;
    }

    /**
     * The hub given to {@link Builder#hub}, or {@code null}: then the server creates its own from
     * {@link #hubConfig()} and closes it when it closes. A given hub is never closed by the server.
     *
     * @return the given hub, or null
     */
    public SignalingHub hub() {
        return hub;
    }

    /**
     * How long a connection may take from accept until it is an open WebSocket. Connections that have
     * not finished their request by then, and HTTP connections whose client has not closed by then,
     * are closed.
     *
     * @return the handshake timeout
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return the length of the kernel's queue of connections not yet accepted} */
    public int acceptBacklog() {
        return acceptBacklog;
    }

    /** {@return how often idle WebSocket clients are pinged; one that stays silent for two intervals is dropped. Zero: never} */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** {@return how long {@link SignalingServer#close()} waits for clients to answer the close handshake} */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * The engine's hard cap on one incoming message, in bytes (a fragmented message counts whole): a
     * client that sends more is closed with 1009. It is at least three times the hub's
     * {@link HubConfig#maxMessageLength()}, so every text the hub would accept fits, and texts between
     * the two limits are answered {@code message-too-large} on an open connection.
     *
     * @return the cap in bytes
     */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * The most bytes waiting to be written to all clients together: frames the engine holds because a
     * client's socket did not take them, pongs and close frames included (on Netty, whose buffers are
     * direct memory, every frame from the moment it is sent until the socket took it). Over it, the
     * connections holding the most are closed {@code 4002} and what waited for them is dropped, until the
     * total fits again. Each connection is also bounded on its own, by the hub's
     * {@link HubConfig#maxBufferedBytes()}.
     *
     * @return the total in bytes; {@link #heapShare()} unless set
     */
    public long bufferedBytesTotal() {
        return bufferedBytesTotal;
    }

    /**
     * The most bytes of incoming frames not fully arrived and of fragmented messages not finished, all
     * connections together. When it is crossed, the connections holding the most are closed {@code 1009},
     * largest first, until it fits, whichever connection's bytes crossed it.
     * Each connection is also bounded on its own, by {@link #maxFrameBytes()}.
     *
     * @return the total in bytes; {@link #heapShare()} unless set
     */
    public long assemblyBytesTotal() {
        return assemblyBytesTotal;
    }

    /**
     * The default of {@link #bufferedBytesTotal()} and of {@link #assemblyBytesTotal()}: an eighth of the
     * most heap this JVM may use ({@link Runtime#maxMemory()}), at least {@value #MIN_HEAP_SHARE} bytes.
     * Both together are thus a quarter of the heap, which leaves the rest to the hub and the JVM; on
     * Netty they also fit in its direct memory, which by default is as large as the heap.
     *
     * @return the bytes
     */
    public static long heapShare() {
        return Math.max(MIN_HEAP_SHARE, Runtime.getRuntime().maxMemory() / 8);
    }

    /** The least {@link #heapShare()} is, however small the heap: 8 MiB, eight of the largest default frame. */
    public static final long MIN_HEAP_SHARE = 8L * 1024 * 1024;

    /** {@return whether the browser demo is served at {@code /demo/}. Off by default: it is a test page} */
    public boolean demo() {
        return demo;
    }

    /** {@return the PKCS12 key store the server's TLS certificate and key come from, or null for plain ws/http} */
    public java.nio.file.Path tlsKeyStore() {
        return tlsKeyStore;
    }

    /** {@return the key store's password (a copy); empty when there is none} */
    public char[] tlsKeyStorePassword() {
        return tlsKeyStorePassword == null ? new char[0] : tlsKeyStorePassword.clone();
    }

    /** {@return whether the server speaks TLS ({@code wss://}, {@code https://})} */
    public boolean tls() {
        return tlsKeyStore != null;
    }

    /**
     * The name of the engine (the WebSocket library) the server runs on, e.g. {@code java-websocket} or
     * {@code netty}; see {@link Builder#engine}.
     *
     * @return the name
     */
    public String engine() {
        return engine;
    }

    /**
     * The HTTP routes added with {@link Builder#route}, by path, in the order added.
     *
     * @return an unmodifiable map
     */
    public Map<String, HttpHandler> routes() {
        return routes;
    }

    /** {@return the readiness checks added with {@link Builder#readinessCheck}, by name, in the order added} */
    public Map<String, ReadinessCheck> readinessChecks() {
        return readinessChecks;
    }

    /** {@return the listeners added with {@link Builder#serverListener}, in the order added} */
    public List<ServerListener> serverListeners() {
        return serverListeners;
    }

    /** {@return the cluster this server is a node of, as {@code /status} and metrics show it, or null when it runs alone} */
    public ClusterView cluster() {
        return cluster;
    }

    @Override
    public String toString() {
        return "ServerConfig{host=" + host
                + ", port=" + port
                + ", allowedOrigins=" + allowedOrigins
                + ", handshakeTimeout=" + handshakeTimeout.toMillis() + "ms"
                + ", acceptBacklog=" + acceptBacklog
                + ", pingInterval=" + pingInterval.toMillis() + "ms"
                + ", shutdownTimeout=" + shutdownTimeout.toMillis() + "ms"
                + ", maxFrameBytes=" + maxFrameBytes
                + ", bufferedBytesTotal=" + bufferedBytesTotal
                + ", assemblyBytesTotal=" + assemblyBytesTotal
                + ", demo=" + demo
                + ", engine=" + engine
                + (routes.isEmpty() ? "" : ", routes=" + routes.keySet())
                + (readinessChecks.isEmpty() ? "" : ", readinessChecks=" + readinessChecks.keySet())
                + (serverListeners.isEmpty() ? "" : ", serverListeners=" + serverListeners.size())
                + (cluster == null ? "" : ", cluster=" + cluster)
                + ", tls=" + (tlsKeyStore == null ? "off" : "PKCS12 " + tlsKeyStore)
                + ", hub=" + (hub != null ? "given " + hub : "own " + hubConfig)
                + "}";
    }

    /** Builds a {@link ServerConfig}. Not thread-safe. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8000;
        private List<String> allowedOrigins = List.of(ANY_ORIGIN);
        private HubConfig hubConfig = HubConfig.defaults();
        private SignalingHub hub;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private int acceptBacklog = 1024;
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(2);
        private int maxFrameBytes = 1024 * 1024;
        private long bufferedBytesTotal; // 0: heapShare()
        private long assemblyBytesTotal; // 0: heapShare()
        private boolean demo;
        private java.nio.file.Path tlsKeyStore;
        private char[] tlsKeyStorePassword;
        private String engine = DEFAULT_ENGINE;
        private Map<String, HttpHandler> routes = new LinkedHashMap<>();
        private Map<String, ReadinessCheck> readinessChecks = new LinkedHashMap<>();
        private List<ServerListener> serverListeners = new java.util.ArrayList<>();
        private ClusterView cluster;

        private Builder() {}

        /**
         * Default: {@code 0.0.0.0}.
         *
         * @param host a host name or an address
         * @return this builder
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank; use 0.0.0.0 for every interface");
            }
            this.host = host.trim();
            return this;
        }

        /**
         * Default: 8000. 0 to 65535; 0 picks a free port.
         *
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535 (0 picks a free port), was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Default: {@code *}. Either {@code *} alone or a list of origins such as
         * {@code https://app.example.com} (scheme, host and port, no path).
         *
         * @param origins the allowed origins
         * @return this builder
         */
        public Builder allowedOrigins(List<String> origins) {
            Objects.requireNonNull(origins, "origins");
            if (origins.isEmpty()) {
                throw new IllegalArgumentException("allowedOrigins must not be empty; use * to allow every origin");
            }
            for (String origin : origins) {
                if (origin == null || origin.isBlank()) {
                    throw new IllegalArgumentException("allowedOrigins must not contain blank entries: " + origins);
                }
                if (!origin.equals(ANY_ORIGIN) && origins.size() > 1 && origins.contains(ANY_ORIGIN)) {
                    throw new IllegalArgumentException("* allows every origin and cannot be combined with others: " + origins);
                }
                if (!origin.equals(ANY_ORIGIN) && !origin.matches("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s]+")) {
                    throw new IllegalArgumentException("'" + origin + "' is not an origin; write scheme://host[:port], "
                            + "e.g. https://app.example.com, or *");
                }
            }
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        /**
         * Default: {@link HubConfig#defaults()}. The server creates its hub from it. Clears {@link #hub}.
         *
         * @param config the hub configuration
         * @return this builder
         */
        public Builder hubConfig(HubConfig config) {
            this.hubConfig = Objects.requireNonNull(config, "config");
            this.hub = null;
            return this;
        }

        /**
         * Serves an existing hub instead of creating one. The server never closes a hub given here.
         *
         * @param hub the hub to serve
         * @return this builder
         */
        public Builder hub(SignalingHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
            return this;
        }

        /**
         * Default: 5 s. Must be positive.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * Default: 1024 (the operating system may cap it, e.g. at {@code net.core.somaxconn}). At least 1.
         *
         * @param backlog the backlog length
         * @return this builder
         */
        public Builder acceptBacklog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("acceptBacklog must be at least 1, was " + backlog);
            }
            this.acceptBacklog = backlog;
            return this;
        }

        /**
         * Default: 30 s. {@link Duration#ZERO} turns pings off.
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            Objects.requireNonNull(interval, "pingInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("pingInterval must not be negative, was " + interval);
            }
            this.pingInterval = interval;
            return this;
        }

        /**
         * Default: 2 s. Must be positive.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = positive(timeout, "shutdownTimeout");
            return this;
        }

        /**
         * Default: 1 MiB. Must be at least three times the hub's {@code maxMessageLength} (the most
         * UTF-8 bytes a text of that many chars can take), checked by {@link #build()}.
         *
         * @param bytes the cap in bytes
         * @return this builder
         */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxFrameBytes must be positive, was " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Default: 0, which means {@link ServerConfig#heapShare()} (an eighth of the heap, at least 8 MiB).
         * See {@link ServerConfig#bufferedBytesTotal()}.
         *
         * @param bytes the total in bytes, or 0 to derive it from the heap
         * @return this builder
         */
        public Builder bufferedBytesTotal(long bytes) {
            this.bufferedBytesTotal = notNegative(bytes, "bufferedBytesTotal");
            return this;
        }

        /**
         * Default: 0, which means {@link ServerConfig#heapShare()} (an eighth of the heap, at least 8 MiB).
         * See {@link ServerConfig#assemblyBytesTotal()}.
         *
         * @param bytes the total in bytes, or 0 to derive it from the heap
         * @return this builder
         */
        public Builder assemblyBytesTotal(long bytes) {
            this.assemblyBytesTotal = notNegative(bytes, "assemblyBytesTotal");
            return this;
        }

        private static long notNegative(long bytes, String name) {
            if (bytes < 0) {
                throw new IllegalArgumentException(name + " must not be negative (0 derives it from the heap), was " + bytes);
            }
            return bytes;
        }

        /**
         * Default: off. Serves the browser demo at {@code /demo/}; for trying the server out, not for production.
         *
         * @param serve whether to serve it
         * @return this builder
         */
        public Builder demo(boolean serve) {
            this.demo = serve;
            return this;
        }

        /**
         * Default: no TLS. Serves {@code wss://} and {@code https://} on the port, with the key and
         * certificate chain from this PKCS12 file. The file is read by {@link SignalingServer#start()}.
         *
         * @param pkcs12KeyStore the PKCS12 file
         * @param password its password, or null for none
         * @return this builder
         */
        public Builder tls(java.nio.file.Path pkcs12KeyStore, char[] password) {
            this.tlsKeyStore = Objects.requireNonNull(pkcs12KeyStore, "pkcs12KeyStore");
            this.tlsKeyStorePassword = password == null ? new char[0] : password.clone();
            return this;
        }

        /**
         * Default: {@value ServerConfig#DEFAULT_ENGINE}, built in. The engine is looked up by name among the
         * {@link dev.mvp.signaling.server.engine.EngineFactory} plug-ins on the class path when the server
         * starts; {@code netty} comes with the module {@code dev.mvp:signaling-transport-netty}.
         *
         * @param name the engine's name, ignoring case
         * @return this builder
         */
        public Builder engine(String name) {
            Objects.requireNonNull(name, "name");
            String n = name.trim().toLowerCase(java.util.Locale.ROOT);
            if (!n.matches("[a-z0-9][a-z0-9.-]*")) {
                throw new IllegalArgumentException("an engine name is letters, digits, '.' and '-', e.g. "
                        + DEFAULT_ENGINE + " or netty; was '" + name + "'");
            }
            this.engine = n;
            return this;
        }

        /**
         * Adds an HTTP route: {@code GET} and {@code HEAD} requests to exactly this path are answered by the
         * handler, on every engine (see {@link HttpHandler}). The server's own paths ({@code /},
         * {@code /status}, {@code /demo}, {@code /ws/...}) cannot be taken, nor one path twice.
         *
         * @param path an absolute path without query, e.g. {@code /metrics}
         * @param handler answers the requests
         * @return this builder
         */
        public Builder route(String path, HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            String problem = HttpService.routeProblem(path);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (routes.containsKey(path)) {
                throw new IllegalArgumentException("a route for " + path + " was added already");
            }
            routes.put(path, handler);
            return this;
        }

        /**
         * Adds a condition to the server's readiness ({@code GET /readyz}; see {@link ReadinessCheck}). The
         * server is ready when it runs, is neither draining nor full, and every check says yes.
         *
         * @param name a short name shown in the probe's body, e.g. {@code redis}
         * @param check the condition
         * @return this builder
         * @throws IllegalArgumentException if a check of that name was added already
         */
        public Builder readinessCheck(String name, ReadinessCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
            if (readinessChecks.containsKey(name)) {
                throw new IllegalArgumentException("a readiness check named " + name + " was added already");
            }
            readinessChecks.put(name, check);
            return this;
        }

        /**
         * Adds a listener of the server's network events (see {@link ServerListener}); the hub's events have
         * their own listener, {@link HubConfig.Builder#listener}. Default: none.
         *
         * @param listener the listener, called after those added before it
         * @return this builder
         */
        public Builder serverListener(ServerListener listener) {
            serverListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Default: none, the server runs alone. The cluster this server is a node of: {@code GET /status} gains
         * a {@code cluster} object with its {@link ClusterView#statusFields()}, and metrics modules export its
         * figures. Joining the cluster (the directory, readiness) is the cluster module's business; this only
         * shows it.
         *
         * @param view the cluster as this node sees it
         * @return this builder
         */
        public Builder cluster(ClusterView view) {
            this.cluster = Objects.requireNonNull(view, "view");
            return this;
        }

        /**
         * Turns TLS off again.
         *
         * @return this builder
         */
        public Builder noTls() {
            this.tlsKeyStore = null;
            this.tlsKeyStorePassword = null;
            return this;
        }

        /**
         * Checks the settings against each other and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if {@link #maxFrameBytes} cannot hold the longest message the
         *     hub accepts
         */
        public ServerConfig build() {
            HubConfig effective = hub != null ? hub.config() : hubConfig;
            long needed = 3L * effective.maxMessageLength();
            if (maxFrameBytes < needed) {
                throw new IllegalArgumentException("maxFrameBytes (" + maxFrameBytes + ") must be at least 3 x the hub's "
                        + "maxMessageLength (" + effective.maxMessageLength() + " chars), i.e. " + needed
                        + ", so that every message the hub accepts fits in a frame");
            }
            return new ServerConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
