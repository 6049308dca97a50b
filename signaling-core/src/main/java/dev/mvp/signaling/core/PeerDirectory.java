package dev.mvp.signaling.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the hub registers ids and looks up the recipient of every message: the single seam of routing.
 * The default keeps peers in memory; a clustered implementation can return {@link Peer}s that forward
 * to other nodes. Several hubs given the same directory route to each other's clients.
 *
 * <p>All methods must be thread-safe and atomic, like the same-named methods of
 * {@link java.util.concurrent.ConcurrentMap}. The hub calls them holding no lock of its own, so a slow
 * lookup delays only the message it is for. The hub removes and replaces only the entries it put.
 */
public interface PeerDirectory {

    /**
     * Registers {@code peer} under {@code id} unless the id is held; returns the holder, or null.
     *
     * @param id the peer id
     * @param peer the peer
     * @return the peer already holding {@code id}, or {@code null} when {@code peer} now holds it
     */
    Peer putIfAbsent(String id, Peer peer);

    /**
     * Replaces {@code holder} by {@code successor} only if {@code holder} still holds {@code id}.
     *
     * @param id the peer id
     * @param holder the peer expected to hold {@code id}
     * @param successor the peer to hold it instead
     * @return whether {@code successor} now holds {@code id}
     */
    boolean replace(String id, Peer holder, Peer successor);

    /**
     * Removes {@code peer} only if it still holds {@code id}.
     *
     * @param id the peer id
     * @param peer the peer
     * @return whether {@code peer} held {@code id} and was removed
     */
    boolean remove(String id, Peer peer);

    /**
     * {@return the peer holding {@code id}, or {@code null}}
     *
     * @param id the peer id
     */
    Peer get(String id);

    /**
     * The client of {@code peer}, which holds {@code id}, dropped, and the id is kept for the resume grace
     * period: messages for it are held, not delivered. A directory that spans nodes tells the other nodes,
     * so that they hold their messages for it too. It ends with {@link #replace} (the client came back) or
     * {@link #remove} (the grace period ended). The in-memory directory has nothing to do.
     *
     * @param id the peer id
     * @param peer the peer holding it, now suspended
     */
    default void suspended(String id, Peer peer) {
    }

    /** {@return a new, empty, thread-safe directory held in memory} */
    static PeerDirectory inMemory() {
        ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
        return new PeerDirectory() {
            @Override
            public Peer putIfAbsent(String id, Peer peer) {
                return peers.putIfAbsent(id, peer);
            }

            @Override
            public boolean replace(String id, Peer holder, Peer successor) {
                return peers.replace(id, holder, successor);
            }

            @Override
            public boolean remove(String id, Peer peer) {
                return peers.remove(id, peer);
            }

            @Override
            public Peer get(String id) {
                return peers.get(id);
            }

            @Override
            public String toString() {
                return "PeerDirectory.inMemory[" + peers.size() + " peers]";
            }
        };
    }
}
