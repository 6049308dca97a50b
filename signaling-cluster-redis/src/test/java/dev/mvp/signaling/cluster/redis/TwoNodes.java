package dev.mvp.signaling.cluster.redis;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's own Redis with two nodes on it, {@code east} and {@code west}, and the clients the test made
 * through {@link #client}; {@link #close()} ends all of it and checks that no thread of theirs is left.
 */
final class TwoNodes implements AutoCloseable {
    final RedisServer redis;
    final Node east;
    final Node west;
    private final List<InMemoryClient> clients = new ArrayList<>();

    private TwoNodes(RedisServer redis, Node east, Node west) {
        this.redis = redis;
        this.east = east;
        this.west = west;
    }

    /** Starts a Redis and two nodes whose hubs have {@code config} (each gets its own copy). */
    static TwoNodes start(HubConfig config) {
        RedisServer redis = RedisServer.start();
        Node east = null;
        try {
            east = new Node(redis, "east", config.toBuilder());
            return new TwoNodes(redis, east, new Node(redis, "west", config.toBuilder()));
        } catch (RuntimeException e) {
            if (east != null) {
                east.close();
            }
            redis.close();
            throw e;
        }
    }

    /** A registered client on {@code node}, closed with the rest. */
    InMemoryClient client(Node node, String id) {
        return client(node, id, null);
    }

    /** A client on {@code node} registered with {@code token}, closed with the rest. */
    InMemoryClient client(Node node, String id, String token) {
        InMemoryClient c = node.client(id, token);
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        clients.forEach(InMemoryClient::close);
        east.close();
        west.close();
        redis.close();
        Threads.awaitNoneLeft();
    }
}
