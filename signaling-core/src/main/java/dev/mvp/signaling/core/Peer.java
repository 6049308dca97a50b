package dev.mvp.signaling.core;

/**
 * Something the hub can deliver a message to: a client connected to this hub, or (in a clustered
 * setup) a stand-in for a client connected to another node. Implementations must be thread-safe.
 */
public interface Peer {

    /** {@return the peer's registered id} */
    String id();

    /**
     * Hands the message to the peer's connection.
     *
     * @param message the message
     * @return {@code false} if the peer has gone and the message was not taken; the sender is then
     *     told {@link ErrorCodes#PEER_NOT_FOUND}
     */
    boolean deliver(Envelope message);
}
