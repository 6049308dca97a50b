package dev.mvp.signaling.cluster.redis;

/** Where a node stands with the cluster, for a readiness endpoint and {@code /status}. */
public enum ClusterStatus {
    /** Redis answers and this node's subscription is confirmed: cross-node routing works. */
    CONNECTED,
    /**
     * Redis does not answer or this node's subscription is not confirmed: local peers are served,
     * messages to other nodes are bounced with {@link ClusterErrorCodes#CLUSTER_UNAVAILABLE} or
     * {@link ClusterErrorCodes#NODE_UNREACHABLE}. The node reconnects by itself. Never a reason to
     * restart the node.
     */
    DEGRADED,
    /** The node left the cluster ({@link RedisCluster#drain} or {@link RedisCluster#close}). */
    CLOSED
}
