package dev.mvp.signaling.cluster.redis;

import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.Peer;
import dev.mvp.signaling.core.PeerDirectory;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory a clustered hub uses: this node's peers in memory, every node's peers in Redis under
 * leased keys whose value is the holding node's instance. An entry is written and deleted only by the
 * instance it names (a compare-and-delete script), or it expires with the lease: no node's local view
 * ever removes another node's entry.
 */
final class RedisDirectory implements PeerDirectory {

    /**
     * What an entry's value adds to the holding instance while the peer's client dropped and its id is kept
     * for the resume grace period; a space cannot be part of an instance.
     */
    static final String AWAY = " away";

    /** Sets the entry (present, not away) unless another instance holds it; answers "" when ours, else the holder. */
    static final String CLAIM = """
            local v = redis.call('GET', KEYS[1])
            if (not v) or v == ARGV[1] or v == ARGV[1] .. '%1$s' then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return ''
            end
            return v
            """.formatted(AWAY);

    /** Deletes the entry only if this instance holds it. */
    static final String RELEASE = """
            local v = redis.call('GET', KEYS[1])
            if v == ARGV[1] or v == ARGV[1] .. '%1$s' then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """.formatted(AWAY);

    /** Marks this instance's entry away (its client dropped; the id is kept for the grace period). */
    static final String MARK_AWAY = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1] .. '%1$s', 'PX', ARGV[2])
            end
            return ''
            """.formatted(AWAY);

    /** Gives this instance's entry to the instance ARGV[3] (a resume or replacement there). */
    static final String TRANSFER = """
            local v = redis.call('GET', KEYS[1])
            if v == ARGV[1] or v == ARGV[1] .. '%1$s' then
              redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
            end
            return ''
            """.formatted(AWAY);

    /** The most peers of other nodes remembered; beyond, the memory starts again empty. */
    private static final int MAX_FOUND = 100_000;

    /** A peer of another node, found in Redis, remembered until {@code until} ({@link System#nanoTime}). */
    private record Found(RemotePeer peer, long until) {}

    private final RedisCluster cluster;
    private final Map<String, Peer> local = new ConcurrentHashMap<>();
    /**
     * Where peers of other nodes were found, so that a message to one costs no lookup. A stale entry is
     * safe: the node it names answers nack, and the message is routed again after a fresh lookup. Entries
     * go when the id registers anywhere, after a nack, and after a lease at the latest.
     */
    private final Map<String, Found> found = new ConcurrentHashMap<>();
    /** Ids this node is handing over to another instance (id to instance), while the hub lets them go. */
    private final Map<String, String> handingOver = new ConcurrentHashMap<>();

    RedisDirectory(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Peer putIfAbsent(String id, Peer peer) {
        Peer holder = local.get(id);
        if (holder != null) {
            return holder;
        }
        if (cluster.isSharing()) {
            try {
                String owner = cluster.eval(CLAIM, id);
                if (owner != null && !owner.isEmpty()) {
                    return remote(id, owner);
                }
            } catch (RedisException e) {
                // Redis is away: the id is checked on this node only; the heartbeat publishes it (or finds
                // it taken elsewhere and ends this registration) once Redis is back.
                cluster.degraded(e);
            }
        }
        holder = local.putIfAbsent(id, peer);
        if (holder == null) {
            cluster.announce(id);
        }
        return holder;
    }

    @Override
    public boolean replace(String id, Peer holder, Peer successor) {
        if (holder instanceof RemotePeer) {
            // The other node handed the entry to this instance before it answered: take the id here.
            if (local.putIfAbsent(id, successor) != null) {
                return false;
            }
        } else if (!local.replace(id, holder, successor)) {
            return false;
        }
        if (cluster.isSharing()) {
            try {
                String owner = cluster.eval(CLAIM, id); // present again, if the holder was away
                if (owner != null && !owner.isEmpty()) {
                    local.remove(id, successor); // taken by a third node meanwhile: the newcomer is refused
                    return false;
                }
            } catch (RedisException e) {
                cluster.degraded(e); // the heartbeat writes it again once Redis is back
            }
            cluster.announce(id); // what other nodes held for the id follows it here
        }
        return true;
    }

    @Override
    public boolean remove(String id, Peer peer) {
        if (!local.remove(id, peer)) {
            return false; // another node's peer, or a holder replaced meanwhile: not ours to remove
        }
        String successor = handingOver.get(id);
        if (successor != null) {
            cluster.transfer(id, successor);
        } else {
            cluster.release(id);
        }
        return true;
    }

    @Override
    public void suspended(String id, Peer peer) {
        if (local.get(id) == peer) {
            cluster.markAway(id);
        }
    }

    /**
     * Lets another instance take {@code id} over: while {@code action} runs, removing the id hands its
     * entry to {@code successor} instead of deleting it, so the id is never free in between.
     */
    <T> T handingOver(String id, String successor, java.util.function.Supplier<T> action) {
        handingOver.put(id, successor);
        try {
            return action.get();
        } finally {
            handingOver.remove(id, successor);
        }
    }

    @Override
    public Peer get(String id) {
        Peer peer = local.get(id);
        if (peer != null) {
            return peer;
        }
        if (!cluster.isOpen()) {
            return null;
        }
        Found f = found.get(id);
        long now = System.nanoTime();
        if (f != null && now - f.until() < 0 && !cluster.isDead(f.peer().instance)) {
            return f.peer();
        }
        try {
            String value = cluster.owner(id);
            RemotePeer remote = value == null ? null : remote(id, value);
            // An instance found dead holds nothing; an entry of this instance not in the local map is stale.
            if (remote == null || remote.instance.equals(cluster.instance()) || cluster.isDead(remote.instance)) {
                return null;
            }
            if (!remote.away) { // an away peer is looked up each time: it comes back, or its id goes
                if (found.size() >= MAX_FOUND) {
                    found.clear();
                }
                found.put(id, new Found(remote, now + cluster.leaseNanos()));
            }
            return remote;
        } catch (RedisException e) {
            cluster.degraded(e);
            return new RemotePeer(cluster, id, null, false);
        }
    }

    /** The peer an entry's value names: an instance, and whether the peer is away. */
    private RemotePeer remote(String id, String value) {
        boolean away = value.endsWith(AWAY);
        return new RemotePeer(cluster, id, away ? value.substring(0, value.length() - AWAY.length()) : value, away);
    }

    /** Forgets where {@code id} was found: the next message to it looks it up in Redis. */
    void forget(String id) {
        found.remove(id);
    }

    /** Forgets every peer found on {@code instance}, which drained. */
    void forgetInstance(String instance) {
        found.values().removeIf(f -> f.peer().instance.equals(instance));
    }

    /** This node's peer {@code id}, or null. */
    Peer local(String id) {
        return local.get(id);
    }

    /** The ids of this node's peers, as they are now. */
    List<String> localIds() {
        return List.copyOf(local.keySet());
    }

    @Override
    public String toString() {
        return "RedisDirectory[" + cluster.instance() + ", " + local.size() + " local peers]";
    }

    /**
     * A peer of another node instance, or ({@code instance} null) a peer whose node cannot be known while
     * Redis is away. Delivery is asynchronous: it ends delivered or bounced to the sender. A peer that is
     * {@code away} (its client dropped, its id kept for the grace period) takes nothing: the hub holds
     * messages for it, as for a suspended peer of its own.
     */
    static final class RemotePeer implements Peer {
        private final RedisCluster cluster;
        private final String id;
        private final String instance;
        private final boolean away;

        RemotePeer(RedisCluster cluster, String id, String instance, boolean away) {
            this.cluster = cluster;
            this.id = id;
            this.instance = instance;
            this.away = away;
        }

        @Override
        public String id() {
            return id;
        }

        /** The instance of the node it is on, or null when that cannot be known while Redis is away. */
        String instance() {
            return instance;
        }

        @Override
        public boolean deliver(Envelope message) {
            if (away) {
                return false;
            }
            cluster.send(instance, message);
            return true;
        }

        @Override
        public boolean isConnected() {
            return !away;
        }

        @Override
        public boolean isSuspended() {
            return away;
        }

        @Override
        public Optional<HandOver> handOver(String verifiedToken, boolean replaceConnected) {
            return instance == null ? Optional.empty()
                    : Optional.ofNullable(cluster.requestHandOver(instance, id, verifiedToken, replaceConnected));
        }

        @Override
        public String toString() {
            return "RemotePeer[" + id + " on " + (instance == null ? "an unknown node" : instance)
                    + (away ? ", away" : "") + "]";
        }
    }
}
