package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What users see when a node dies, drains, or Redis goes away and comes back. Each test owns its Redis,
 * since some kill it.
 */
class NodeFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(150);
    private static final List<String> NOT_DELIVERED = List.of(ClusterErrorCodes.CLUSTER_UNAVAILABLE,
            ClusterErrorCodes.NODE_UNREACHABLE, ClusterErrorCodes.DELIVERY_UNCONFIRMED);

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

    private InMemoryClient client(Node node, String id) {
        return nodes.client(node, id);
    }

    private static JsonObject json(String frame) {
        return JsonParser.parseString(frame).getAsJsonObject();
    }

    private static String offer(String to, int mid) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"v=0\",\"mid\":" + mid + "}";
    }

    @Test
    void aKilledNodesPeersLeaveWithinTheLeaseTheirContactsGetByeAndMessagesBounce() {
        InMemoryClient alice = client(east, "alice");
        InMemoryClient bob = client(west, "bob");
        alice.send(offer("bob", 1));
        bob.take(WAIT);
        // The first offer's acknowledgement must be back before the crash, or it ends as delivery-unconfirmed.
        Await.until("the first offer acknowledged", WAIT, () -> east.cluster.inFlight() == 0);

        west.crash();
        alice.send(offer("bob", 2));
        JsonObject bounce = json(alice.take(WAIT));
        assertThat(bounce.get("type").getAsString()).isEqualTo("error");
        assertThat(bounce.get("code").getAsString()).isEqualTo(ClusterErrorCodes.NODE_UNREACHABLE);
        assertThat(bounce.get("mid").getAsInt()).isEqualTo(2);

        JsonObject bye = json(alice.take(Node.LEASE.multipliedBy(3)));
        assertThat(bye.get("type").getAsString()).isEqualTo("bye");
        assertThat(bye.get("from").getAsString()).isEqualTo("bob");
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
        Await.until("bob's entry expired", Node.LEASE.multipliedBy(3), () -> east.cluster.directory().get("bob") == null);
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @Test
    void aDrainingNodesEntriesGoAtOnceAndItsPeersContactsGetBye() {
        InMemoryClient alice = client(east, "alice");
        InMemoryClient bob = client(west, "bob");
        alice.send(offer("bob", 1));
        bob.take(WAIT);

        west.cluster.drain();
        // Gone at once, not at lease expiry: east hears of the drain as soon as it is done.
        Await.until("bob gone from east's view", Node.LEASE.dividedBy(2), () -> east.cluster.directory().get("bob") == null);
        assertThat(west.cluster.status()).isEqualTo(ClusterStatus.CLOSED);

        west.hub.close();
        assertThat(bob.awaitClose(WAIT).code()).isEqualTo(1001);
        JsonObject bye = json(alice.take(WAIT));
        assertThat(bye.get("type").getAsString()).isEqualTo("bye");
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
    }

    @Test
    void whileRedisIsAwayLocalPeersAreServedRemoteMessagesBounceAndRoutingResumesByItself() {
        InMemoryClient alice = client(east, "alice");
        InMemoryClient carol = client(east, "carol");
        InMemoryClient bob = client(west, "bob");
        alice.send(offer("bob", 1));
        bob.take(WAIT);
        Await.until("the offer confirmed", WAIT, () -> east.cluster.inFlight() == 0);
        assertThat(east.cluster.status()).isEqualTo(ClusterStatus.CONNECTED);
        assertThat(east.cluster.messagesSent()).isEqualTo(1);
        assertThat(west.cluster.messagesReceived()).isEqualTo(1);
        assertThat(east.cluster.messagesBounced()).containsOnlyKeys(ErrorCodes.PEER_NOT_FOUND,
                ClusterErrorCodes.NODE_UNREACHABLE, ClusterErrorCodes.CLUSTER_UNAVAILABLE,
                ClusterErrorCodes.DELIVERY_UNCONFIRMED).allSatisfy((code, n) -> assertThat(n).isZero());

        redis.kill();
        alice.send(offer("carol", 2));
        assertThat(carol.take(WAIT)).as("local routing goes on").contains("\"mid\":2");
        alice.send(offer("bob", 3));
        JsonObject bounce = json(alice.take(WAIT));
        assertThat(bounce.get("code").getAsString()).isIn(NOT_DELIVERED);
        assertThat(bounce.get("mid").getAsInt()).isEqualTo(3);
        assertThat(east.cluster.messagesBounced().get(bounce.get("code").getAsString())).as("counted by its code")
                .isEqualTo(1);
        assertThat(east.cluster.messagesReceived()).isZero();
        Await.until("east reports degraded", WAIT, () -> east.cluster.status() == ClusterStatus.DEGRADED);

        redis.restart(); // empty: every entry must be published again
        Await.until("both nodes reconnected", WAIT.multipliedBy(2), () -> east.cluster.status() == ClusterStatus.CONNECTED
                && west.cluster.status() == ClusterStatus.CONNECTED);
        Await.until("bob's entry published again", WAIT, () -> east.cluster.directory().get("bob") != null);
        alice.send(offer("bob", 4));
        assertThat(json(bob.take(WAIT)).get("mid").getAsInt()).isEqualTo(4);
        bob.send("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0\",\"mid\":5}");
        assertThat(json(alice.take(WAIT)).get("mid").getAsInt()).isEqualTo(5);
        assertThat(alice.poll(NOTHING)).isNull();
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void anIdRegisteredOnTwoNodesDuringAnOutageEndsOnTheOneThatLostTheRace() {
        redis.kill();
        Await.until("both degraded", WAIT, () -> east.cluster.status() == ClusterStatus.DEGRADED
                && west.cluster.status() == ClusterStatus.DEGRADED);
        InMemoryClient first = client(east, "dana");
        InMemoryClient second = client(west, "dana");

        redis.restart();
        Await.until("one of the two was closed", WAIT.multipliedBy(2), () -> !first.isOpen() || !second.isOpen());
        assertThat(first.isOpen() ^ second.isOpen()).as("exactly one keeps the id").isTrue();
    }
}
