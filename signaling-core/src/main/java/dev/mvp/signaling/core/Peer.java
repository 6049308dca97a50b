package dev.mvp.signaling.core;

import java.util.Optional;
import java.util.Set;

/**
 * Something the hub can deliver a message to: a client connected to this hub, or (in a clustered
 * setup) a stand-in for a client connected to another node. The hub decides how to route and register
 * by what a peer says about itself here, never by its class, so a peer on another node is as good as a
 * local one. Implementations must be thread-safe.
 */
public interface Peer {

    /** {@return the peer's registered id} */
    String id();

    /**
     * Hands the message to the peer's connection, or takes responsibility for it: a stand-in for a peer
     * on another node may answer {@code true} and later report a failure through
     * {@link SignalingHub#bounce}, so that every accepted message ends delivered or bounced.
     *
     * @param message the message
     * @return {@code false} if the peer has gone and the message was not taken; the hub then holds it
     *     for the peer (when holding is on) or tells the sender {@link ErrorCodes#PEER_NOT_FOUND}
     */
    boolean deliver(Envelope message);

    /**
     * {@return whether the peer's client is connected now} {@code false} while its id is only kept for a client
     * that dropped and may resume: messages for it are then held, not delivered.
     */
    default boolean isConnected() {
        return true;
    }

    /**
     * {@return whether the peer's client dropped and its id is kept for the resume grace period} A new
     * connection presenting the same verified token may then take it over.
     */
    default boolean isSuspended() {
        return false;
    }

    /**
     * Whether the peer registered with {@code verifiedToken}, a token the authenticator verified: a new
     * registration presenting the same token may then resume or replace it. Compare in constant time.
     * A peer that cannot tell answers {@code false}, and its id cannot be taken over.
     *
     * @param verifiedToken the newcomer's verified token
     * @return whether it is the token this peer registered with
     */
    default boolean registeredWithToken(String verifiedToken) {
        return false;
    }

    /**
     * What a peer of another node hands over with its id to a new connection of the same client: the
     * conversations and the room memberships the newcomer carries on.
     *
     * @param contacts the ids the peer exchanged messages with: they get the newcomer's {@code bye} when it
     *     leaves for good
     * @param rooms the rooms the peer is in: the newcomer is a member of them without anyone being told
     *     ({@link RoomDirectory#takeOver}); empty without rooms
     */
    record HandOver(Set<String> contacts, Set<String> rooms) {
        /**
         * Copies both sets.
         *
         * @param contacts the ids the peer exchanged messages with
         * @param rooms the rooms the peer is in
         */
        public HandOver {
            contacts = Set.copyOf(contacts);
            rooms = Set.copyOf(rooms);
        }
    }

    /**
     * Asks a peer of another node to give its id up to a new connection of the same client, registered
     * here with {@code verifiedToken}: what a hub does itself for a peer of its own. The peer gives the id
     * up only if it registered with the same verified token, and only if its client dropped and is within
     * the resume grace period (a resume), or, when {@code replaceConnected}, also if it is connected (a
     * replacement, which closes its connection). Its contacts then hear no {@code bye}, and the members of
     * its rooms no {@code peer-left}: the newcomer inherits both. Exactly one of a resume and the end of the
     * grace period wins. A peer of this process is taken over by the hub directly and never asked.
     *
     * @param verifiedToken the token the newcomer presented and the authenticator verified
     * @param replaceConnected whether a connected peer gives its id up too
     *     ({@link DuplicateIdPolicy#REPLACE_WITH_VERIFIED_TOKEN})
     * @return what the newcomer inherits, when the peer gave its id up (the directory then lets the newcomer
     *     {@linkplain PeerDirectory#replace replace} it); empty when it kept it
     */
    default Optional<HandOver> handOver(String verifiedToken, boolean replaceConnected) {
        return Optional.empty();
    }
}
