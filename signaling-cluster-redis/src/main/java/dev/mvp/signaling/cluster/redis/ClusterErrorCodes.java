package dev.mvp.signaling.cluster.redis;

/**
 * The {@code code}s of the error frames a sender receives when a message to a peer on another node
 * cannot be delivered, beside the core's {@link dev.mvp.signaling.core.ErrorCodes}. The frame carries
 * the message's {@code ref} (type), {@code peer} (recipient) and {@code mid} like every error frame.
 */
public final class ClusterErrorCodes {
    private ClusterErrorCodes() {}

    /** Redis could not be reached, so the message was not sent to the recipient's node. Not delivered. */
    public static final String CLUSTER_UNAVAILABLE = "cluster-unavailable";
    /** The recipient's node is not listening (it stopped, or is reconnecting to Redis). Not delivered. */
    public static final String NODE_UNREACHABLE = "node-unreachable";
    /**
     * The recipient's node did not confirm the delivery in time (it or Redis failed while the message
     * was in flight). The message may or may not have reached the recipient; it was not sent again.
     */
    public static final String DELIVERY_UNCONFIRMED = "delivery-unconfirmed";
}
