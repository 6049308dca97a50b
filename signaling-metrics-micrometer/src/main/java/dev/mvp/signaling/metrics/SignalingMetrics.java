package dev.mvp.signaling.metrics;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.core.HubStats;
import dev.mvp.signaling.core.Rejection;
import dev.mvp.signaling.server.ClusterView;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.ServerListener;
import dev.mvp.signaling.server.SignalingServer;
import dev.mvp.signaling.server.http.HttpHandler;
import dev.mvp.signaling.server.http.HttpResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics for a {@link SignalingServer}, built with Micrometer: a {@link HubListener} that counts
 * what the hub does, gauges that read the running server, Micrometer's JVM and process binders, and a route
 * that serves it all as Prometheus text.
 *
 * <pre>{@code
 * SignalingMetrics metrics = SignalingMetrics.create();
 * SignalingServer server = new SignalingServer(metrics.install(config, "/metrics")).start();
 * metrics.bind(server);                       // the gauges now read this server
 * }</pre>
 *
 * <p>What it exports (names as Prometheus shows them; every one is listed in {@code docs/OPERATIONS.md}):
 * {@code signaling_connections}, {@code signaling_registered_peers}, {@code signaling_held_messages},
 * {@code signaling_suspended_peers}, {@code signaling_buffered_bytes} (gauges);
 * {@code signaling_connections_opened_total}, {@code signaling_registrations_total},
 * {@code signaling_peers_left_total{code}}, {@code signaling_messages_routed_total{type}},
 * {@code signaling_rejections_total{code}}, {@code signaling_messages_expired_total},
 * {@code signaling_authentication_failures_total{code}} (counters); {@code signaling_register_latency_seconds}
 * and {@code signaling_handshake_seconds} (timers, with histograms); when the server is a node of a cluster
 * ({@link ServerConfig#cluster()}), {@code signaling_cluster_redis_connected} (a gauge, 1 or 0) and
 * {@code signaling_cluster_messages_sent_total}, {@code signaling_cluster_messages_received_total},
 * {@code signaling_cluster_messages_bounced_total{code}}; and the {@code jvm_*}, {@code process_*} and
 * {@code system_*} families.
 *
 * <p>Labels take only values the server defines (message types the hub routes, error codes, close codes the
 * server uses, else {@code other}), so a client cannot grow the number of series.
 *
 * <p><b>Threading.</b> Thread-safe; the listener does no I/O and takes no lock beyond Micrometer's own.
 */
public final class SignalingMetrics {
    /** The path metrics are served at unless told otherwise. */
    public static final String DEFAULT_PATH = "/metrics";
    /** The content type of the Prometheus text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Set<String> AUTHENTICATION_CODES = Set.of(ErrorCodes.UNAUTHORIZED, ErrorCodes.TOKEN_MISSING,
            ErrorCodes.TOKEN_INVALID, ErrorCodes.TOKEN_EXPIRED, ErrorCodes.TOKEN_ID_MISMATCH);
    private static final Set<Integer> CLOSE_CODES = Set.of(CloseCodes.NORMAL, CloseCodes.GOING_AWAY, CloseCodes.ABNORMAL,
            CloseCodes.POLICY_VIOLATION, CloseCodes.MESSAGE_TOO_BIG, CloseCodes.TRY_AGAIN_LATER, CloseCodes.REPLACED,
            CloseCodes.SLOW_CONSUMER);

    private final PrometheusMeterRegistry registry;
    private final AtomicReference<SignalingServer> server = new AtomicReference<>();
    private final Counter opened;
    private final Counter registrations;
    private final Counter expired;
    private final Timer registerLatency;
    private final Timer handshake;
    private final HubListener listener = new Listener();
    private final ServerListener serverListener;

    private SignalingMetrics(PrometheusMeterRegistry registry, boolean processMetrics) {
        this.registry = Objects.requireNonNull(registry, "registry");
        opened = Counter.builder("signaling.connections.opened").description("WebSocket connections the hub opened")
                .register(registry);
        registrations = Counter.builder("signaling.registrations")
                .description("registrations confirmed, resumptions and replacements included").register(registry);
        expired = Counter.builder("signaling.messages.expired")
                .description("messages held for an absent peer that did not come in time (delivery-expired)")
                .register(registry);
        registerLatency = Timer.builder("signaling.register.latency")
                .description("time from a connection's opening to its confirmed registration")
                .publishPercentileHistogram().register(registry);
        handshake = Timer.builder("signaling.handshake")
                .description("time from a TCP connection's accept to its WebSocket handshake's 101 response")
                .publishPercentileHistogram().register(registry);
        serverListener = new ServerListener() {
            @Override
            public void handshakeCompleted(Duration took) {
                handshake.record(took);
            }
        };
        gauge("signaling.connections", "open connections, registered or not", null, s -> stats(s).connections());
        gauge("signaling.registered.peers", "connections that completed register", null, s -> stats(s).registeredPeers());
        gauge("signaling.held.messages", "messages waiting for a recipient that is not connected", null,
                s -> stats(s).heldMessages());
        gauge("signaling.suspended.peers", "ids kept for clients that dropped and may resume", null,
                s -> stats(s).suspendedPeers());
        gauge("signaling.buffered", "bytes waiting to be written to slow readers, all connections together", "bytes",
                s -> s == null ? 0 : s.bufferedBytes());
        if (processMetrics) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmGcMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
    }

    /**
     * Metrics in a registry of their own, with the JVM and process metrics: what the runnable jar serves.
     *
     * @return the metrics
     */
    public static SignalingMetrics create() {
        return new SignalingMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
    }

    /**
     * Metrics in a registry the embedder owns (and scrapes or serves itself, if it likes); the JVM and
     * process binders are left to the embedder, who may already bind them.
     *
     * @param registry the registry
     * @return the metrics
     */
    public static SignalingMetrics in(PrometheusMeterRegistry registry) {
        return new SignalingMetrics(registry, false);
    }

    /** {@return the registry the metrics are in} */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * {@return the listener that counts what the hub does; compose it with yours with
     * {@link HubListener#all}, or let {@link #install} do it}
     */
    public HubListener listener() {
        return listener;
    }

    /**
     * {@return the listener that times the WebSocket handshakes; add it with
     * {@link ServerConfig.Builder#serverListener}, or let {@link #install} do it}
     */
    public ServerListener serverListener() {
        return serverListener;
    }

    /** {@return the route that serves the metrics as Prometheus text} */
    public HttpHandler handler() {
        return request -> new HttpResponse(200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A configuration that feeds these metrics and serves them: the hub's listener becomes
     * {@code HubListener.all(yours, listener())}, {@link #serverListener()} is added, and {@code path}
     * answers with the metrics. Call
     * {@link #bind} once the server has started, so that the gauges read it.
     *
     * @param config the configuration; its hub must be the server's own ({@code hubConfig}, not {@code hub})
     * @param path where to serve the metrics, e.g. {@link #DEFAULT_PATH}
     * @return the configuration with the metrics in it
     * @throws IllegalArgumentException if the configuration gives a hub of its own (whose listener cannot
     *     be changed: add {@link #listener()} to its configuration instead) or the path cannot be a route
     */
    public ServerConfig install(ServerConfig config, String path) {
        if (config.hub() != null) {
            throw new IllegalArgumentException("the configuration serves a hub given to it; add SignalingMetrics.listener() "
                    + "to that hub's HubConfig and handler() as a route instead");
        }
        HubConfig hub = config.hubConfig();
        return config.toBuilder()
                .hubConfig(hub.toBuilder().listener(HubListener.all(hub.listener(), listener)).build())
                .serverListener(serverListener)
                .route(path, handler())
                .build();
    }

    /**
     * Makes the gauges read this server; until then they read 0. Call it once the server has started. When
     * the server is a node of a cluster ({@link ServerConfig#cluster()}), the cluster's metrics appear from now on.
     *
     * @param running the server
     */
    public void bind(SignalingServer running) {
        server.set(Objects.requireNonNull(running, "running"));
        ClusterView cluster = running.config().cluster();
        if (cluster != null) {
            bindCluster(cluster);
        }
    }

    /** The cluster's figures, read at scrape time from the node's own counters. */
    private void bindCluster(ClusterView cluster) {
        Gauge.builder("signaling.cluster.redis.connected", cluster, c -> c.connected() ? 1 : 0)
                .description("1 while this node is connected to the cluster's Redis, else 0").register(registry);
        FunctionCounter.builder("signaling.cluster.messages.sent", cluster, ClusterView::messagesSent)
                .description("messages sent to peers of other nodes").register(registry);
        FunctionCounter.builder("signaling.cluster.messages.received", cluster, ClusterView::messagesReceived)
                .description("messages from other nodes for this node's peers").register(registry);
        for (String code : cluster.messagesBounced().keySet()) {
            FunctionCounter.builder("signaling.cluster.messages.bounced", cluster,
                            c -> c.messagesBounced().getOrDefault(code, 0L))
                    .description("messages to peers of other nodes bounced to their senders, by error code")
                    .tag("code", code).register(registry);
        }
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<SignalingServer> value) {
        Gauge.builder(name, server, ref -> value.applyAsDouble(ref.get())).description(description).baseUnit(unit)
                .register(registry);
    }

    private static HubStats stats(SignalingServer s) {
        return s == null ? new HubStats(0, 0, 0, 0, 0, java.util.Map.of()) : s.hub().stats();
    }

    /** The hub's events, counted. */
    private final class Listener implements HubListener {
        @Override
        public void connected(String claimedId, Handshake handshake) {
            opened.increment();
        }

        @Override
        public void registered(String id, Duration sinceOpened) {
            registrations.increment();
            registerLatency.record(sinceOpened);
        }

        @Override
        public void routed(Envelope message) {
            Counter.builder("signaling.messages.routed").description("messages handed to their recipient, by type")
                    .tag("type", message.type()).register(registry).increment();
        }

        @Override
        public void rejected(Rejection rejection) {
            String code = rejection.code();
            Counter.builder("signaling.rejections").description("error frames sent, by code").tag("code", code)
                    .register(registry).increment();
            if (code.equals(ErrorCodes.DELIVERY_EXPIRED)) {
                expired.increment();
            }
            if (AUTHENTICATION_CODES.contains(code)) {
                Counter.builder("signaling.authentication.failures").description("registrations refused by the authenticator")
                        .tag("code", code).register(registry).increment();
            }
        }

        @Override
        public void left(String id, int code, String reason) {
            Counter.builder("signaling.peers.left").description("registered peers that left, by WebSocket close code")
                    .tag("code", CLOSE_CODES.contains(code) ? Integer.toString(code) : "other").register(registry)
                    .increment();
        }
    }
}
