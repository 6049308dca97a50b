package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer's entry leaves Redis when the peer leaves or its node drains, whatever the heartbeat is doing at
 * that moment: an entry left behind until its lease runs out makes the id {@code id-taken} on every node.
 * A heartbeat looks at the node's peers, then renews their entries in Redis, writing again those Redis
 * lost; a peer that leaves between the two is the race these tests pin down.
 */
class DirectoryEntriesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TwoNodes nodes;
    private RedisServer redis;
    private Node east;
    private Node west;

    @BeforeEach
    void start() {
        nodes = TwoNodes.start(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build());
        redis = nodes.redis;
        east = nodes.east;
        west = nodes.west;
    }

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private String registerOn(Node node, String id) {
        try (InMemoryClient c = InMemoryClient.connect(node.hub, id)) {
            c.send("{\"type\":\"register\",\"id\":\"" + id + "\"}");
            return c.take(WAIT);
        }
    }

    @Test
    void aPeerThatLeavesWhileAHeartbeatIsUnderWayCanRegisterOnAnotherNodeAtOnce() {
        InMemoryClient alice = east.client("alice");
        List<String> seen = List.of("alice"); // what a heartbeat under way saw
        alice.close();
        east.cluster.renewEntries(seen); // its script runs after alice's entry was released

        assertThat(registerOn(west, "alice")).contains("\"type\":\"registered\"");
    }

    @Test
    void aDrainWhileAHeartbeatIsUnderWayLeavesNoEntry() {
        InMemoryClient alice = east.client("alice");
        List<String> seen = List.of("alice");
        east.cluster.drain();
        east.cluster.renewEntries(seen); // a heartbeat that looked before the drain

        assertThat(registerOn(west, "alice")).contains("\"type\":\"registered\"");
        alice.close();
    }
}
