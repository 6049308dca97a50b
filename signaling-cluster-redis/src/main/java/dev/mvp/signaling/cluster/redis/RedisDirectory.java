package dev.mvp.signaling.cluster.redis;

import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.Peer;
import dev.mvp.signaling.core.PeerDirectory;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory a clustered hub uses: this node's peers in memory, every node's peers in Redis under
 * leased keys whose value is the holding node's instance. An entry is written and deleted only by the
 * instance it names (a compare-and-delete script), or it expires with the lease: no node's local view
 * ever removes another node's entry.
 */
final class RedisDirectory implements PeerDirectory {

    /** Sets the entry unless another instance holds it; answers "" when ours, else the holder. */
    static final String CLAIM = """
            local v = redis.call('GET', KEYS[1])
            if (not v) or v == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return ''
            end
            return v
            """;

    /** Deletes the entry only if this instance holds it. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final RedisCluster cluster;
    private final Map<String, Peer> local = new ConcurrentHashMap<>();

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
                    return new RemotePeer(cluster, id, owner);
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
        return local.replace(id, holder, successor); // a peer of another node is never in the local map
    }

    @Override
    public boolean remove(String id, Peer peer) {
        if (!local.remove(id, peer)) {
            return false; // another node's peer, or a holder replaced meanwhile: not ours to remove
        }
        cluster.release(id);
        return true;
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
        try {
            String owner = cluster.owner(id);
            return owner == null || owner.equals(cluster.instance()) ? null : new RemotePeer(cluster, id, owner);
        } catch (RedisException e) {
            cluster.degraded(e);
            return new RemotePeer(cluster, id, null);
        }
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
     * Redis is away. Delivery is asynchronous: it ends delivered or bounced to the sender.
     */
    static final class RemotePeer implements Peer {
        private final RedisCluster cluster;
        private final String id;
        private final String instance;

        RemotePeer(RedisCluster cluster, String id, String instance) {
            this.cluster = cluster;
            this.id = id;
            this.instance = instance;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean deliver(Envelope message) {
            cluster.send(instance, message);
            return true;
        }

        @Override
        public String toString() {
            return "RemotePeer[" + id + " on " + (instance == null ? "an unknown node" : instance) + "]";
        }
    }
}
