package dev.mvp.signaling.server;

import java.util.Map;

/**
 * What a server that runs as a node of a cluster shows of the cluster: the {@code cluster} object of
 * {@code GET /status}, and the figures a metrics module exports. Set with {@link ServerConfig.Builder#cluster};
 * the command line sets it for the Redis cluster module. Every method is called on the engines' I/O threads
 * and at scrape time, so it must be cheap, thread-safe and never block (no call to the backplane).
 */
public interface ClusterView {
    /**
     * The fields of the {@code cluster} object in {@code /status}, in order, e.g. {@code nodeId},
     * {@code status} ({@code connected}, {@code degraded} or {@code closed}), {@code redisConnected}.
     * Values are strings, numbers, booleans or maps of them.
     *
     * @return the fields
     */
    Map<String, Object> statusFields();

    /**
     * Whether this node is connected to the backplane now, so that messages reach other nodes.
     *
     * @return true while connected
     */
    boolean connected();

    /**
     * Messages this node has sent to peers of other nodes, since it joined.
     *
     * @return the count
     */
    long messagesSent();

    /**
     * Messages this node has received from other nodes for its peers, since it joined.
     *
     * @return the count
     */
    long messagesReceived();

    /**
     * Messages to peers of other nodes that were bounced to their senders, by the error code of the bounce,
     * since the node joined: every code the cluster can bounce with is a key, at 0 until it is used.
     *
     * @return the counts by code
     */
    Map<String, Long> messagesBounced();
}
