package dev.mvp.signaling.cluster.redis;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;

/** One node of a test cluster: a hub whose directory is a {@link RedisCluster}. */
final class Node implements AutoCloseable {
    static final Duration LEASE = Duration.ofMillis(1200);

    final RedisCluster cluster;
    final SignalingHub hub;
    private boolean crashed;

    Node(RedisServer redis, String name, HubConfig.Builder hubConfig) {
        this.cluster = RedisCluster.connect(RedisClusterConfig.builder().redisUri(redis.uri()).nodeId(name)
                .lease(LEASE).ackTimeout(Duration.ofMillis(800)).commandTimeout(Duration.ofMillis(500)).build());
        this.hub = new SignalingHub(hubConfig.directory(cluster.directory()).roomDirectory(cluster.rooms()).build());
        cluster.attach(hub);
    }

    InMemoryClient client(String id) {
        return client(id, null);
    }

    InMemoryClient client(String id, String token) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        c.register(token);
        return c;
    }

    /** Dies without a word: the cluster stops as a killed process would; the hub is abandoned. */
    void crash() {
        crashed = true;
        cluster.crash();
    }

    @Override
    public void close() {
        if (!crashed) {
            cluster.drain();
        }
        hub.close();
        cluster.close();
    }
}
