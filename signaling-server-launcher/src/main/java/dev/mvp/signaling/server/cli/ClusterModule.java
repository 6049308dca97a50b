package dev.mvp.signaling.server.cli;

import dev.mvp.signaling.core.PeerDirectory;
import dev.mvp.signaling.core.RoomDirectory;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.ClusterView;
import dev.mvp.signaling.server.ServerConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Redis cluster of the optional module {@code dev.mvp:signaling-cluster-redis}, reached by reflection so
 * that the launcher neither needs the module nor loads any of it (nor its Redis client) unless
 * {@code REDIS_URL} / {@code --redis-url} is set. The runnable jar carries it.
 *
 * <p>The order the launcher follows: {@link #connect}, {@link #wire} (the hub is built on the cluster's
 * directory and room directory and attached to it), start the server; on shutdown {@link #drain()}, close the server, then
 * {@link #close()} (the hub, then the cluster). Every step is bounded in time.
 * {@link #ready()} is the readiness check (connected to Redis); liveness never asks the cluster. As the
 * server's {@link ClusterView} it gives {@code /status} its {@code cluster} object and metrics their figures.
 */
final class ClusterModule implements ClusterView, AutoCloseable {
    static final String MODULE = "dev.mvp:signaling-cluster-redis";
    private static final String PACKAGE = "dev.mvp.signaling.cluster.redis.";
    private static final String CONNECTED = "connected";

    private final Object cluster;
    private SignalingHub hub;

    private ClusterModule(Object cluster) {
        this.cluster = cluster;
    }

    /**
     * Reads the settings and connects to Redis.
     *
     * @param redisUri {@code redis://} or {@code rediss://} URI
     * @param nodeId this node's id, or null to have one generated
     * @param lease the lease of this node's directory entries, or null for the module's default
     * @return the connected cluster
     * @throws IllegalArgumentException if the module is missing, or what it says about a bad setting
     * @throws IllegalStateException if Redis cannot be reached, with the module's message
     */
    static ClusterModule connect(String redisUri, String nodeId, Duration lease) {
        Class<?> configType;
        Class<?> clusterType;
        try {
            ClassLoader loader = ClusterModule.class.getClassLoader();
            configType = Class.forName(PACKAGE + "RedisClusterConfig", true, loader);
            clusterType = Class.forName(PACKAGE + "RedisCluster", true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("REDIS_URL / --redis-url needs the module " + MODULE
                    + " on the class path (the runnable jar has it); add it, or run without a Redis URL");
        }
        Object builder = call(configType, null, "builder", null, null);
        call(builder.getClass(), builder, "redisUri", String.class, redisUri);
        call(builder.getClass(), builder, "nodeId", String.class, nodeId);
        if (lease != null) {
            call(builder.getClass(), builder, "lease", Duration.class, lease);
        }
        Object config;
        try {
            config = call(builder.getClass(), builder, "build", null, null);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new ClusterModule(call(clusterType, null, "connect", configType, config));
    }

    /**
     * Builds the hub of the given configuration on the cluster's directory, attaches it to the cluster,
     * and returns the server configuration that serves it, not ready while cut off from Redis, and showing
     * the cluster in {@code /status} and metrics. Once.
     *
     * @param config the server configuration of a node running alone
     * @return the same configuration, serving the cluster's hub
     */
    ServerConfig wire(ServerConfig config) {
        if (hub != null) {
            throw new IllegalStateException("the cluster is wired already");
        }
        PeerDirectory directory = (PeerDirectory) call(cluster.getClass(), cluster, "directory", null, null);
        RoomDirectory rooms = (RoomDirectory) call(cluster.getClass(), cluster, "rooms", null, null);
        hub = new SignalingHub(config.hubConfig().toBuilder().directory(directory).roomDirectory(rooms).build());
        call(cluster.getClass(), cluster, "attach", SignalingHub.class, hub);
        // Readiness, never liveness: a Redis outage takes the node out of rotation, not out of the cluster.
        return config.toBuilder().hub(hub)
                .readinessCheck("redis", () -> ready() ? null : "cut off from Redis (cluster " + status() + ")")
                .cluster(this)
                .build();
    }

    /** {@return the cluster's status: connected, degraded or closed} */
    String status() {
        return String.valueOf(call(cluster.getClass(), cluster, "status", null, null)).toLowerCase(Locale.ROOT);
    }

    /** {@return whether this node is ready for traffic as a cluster node: connected to Redis} */
    boolean ready() {
        return CONNECTED.equals(status());
    }

    @Override
    public boolean connected() {
        return ready();
    }

    /**
     * {@return what {@code /status} shows of the cluster: node id, instance, status, whether Redis is
     * connected, messages in flight, sent, received and bounced by code}
     */
    @Override
    public Map<String, Object> statusFields() {
        String status = status();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("nodeId", call(cluster.getClass(), cluster, "nodeId", null, null));
        fields.put("instance", call(cluster.getClass(), cluster, "instance", null, null));
        fields.put("status", status);
        fields.put("redisConnected", CONNECTED.equals(status));
        fields.put("inFlight", call(cluster.getClass(), cluster, "inFlight", null, null));
        fields.put("messagesSent", messagesSent());
        fields.put("messagesReceived", messagesReceived());
        fields.put("messagesBounced", messagesBounced());
        return fields;
    }

    @Override
    public long messagesSent() {
        return (Long) call(cluster.getClass(), cluster, "messagesSent", null, null);
    }

    @Override
    public long messagesReceived() {
        return (Long) call(cluster.getClass(), cluster, "messagesReceived", null, null);
    }

    @SuppressWarnings("unchecked")
    @Override
    public Map<String, Long> messagesBounced() {
        return (Map<String, Long>) call(cluster.getClass(), cluster, "messagesBounced", null, null);
    }

    @Override
    public String toString() {
        return "cluster node " + call(cluster.getClass(), cluster, "instance", null, null);
    }

    /** Leaves the directory at once (bounded by the module's command timeout); first step of a shutdown. */
    void drain() {
        call(cluster.getClass(), cluster, "drain", null, null);
    }

    /**
     * Closes the hub (its byes to other nodes go out first), then the cluster, which bounces what is
     * still in flight and disconnects from Redis. After the server is closed. Idempotent.
     */
    @Override
    public void close() {
        if (hub != null) {
            hub.close();
        }
        call(cluster.getClass(), cluster, "close", null, null);
    }

    private static Object call(Class<?> type, Object target, String name, Class<?> parameter, Object argument) {
        try {
            Method m = parameter == null ? type.getMethod(name) : type.getMethod(name, parameter);
            return parameter == null ? m.invoke(target) : m.invoke(target, argument);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // the module's own message: a bad setting, or Redis that cannot be reached
            }
            throw new IllegalStateException("the cluster module failed in " + name + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the cluster module on the class path does not match this launcher (" + name
                    + " is missing); use the " + MODULE + " of the same version", e);
        }
    }
}
