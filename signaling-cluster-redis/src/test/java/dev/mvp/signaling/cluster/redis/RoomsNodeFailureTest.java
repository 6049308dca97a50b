package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.RoomPolicy;
import dev.mvp.signaling.core.memory.InMemoryClient;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms when a node dies or drains: its members, and only its members, are reported left to the members of
 * the other nodes, once, within its lease.
 */
class RoomsNodeFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** A lease, a heartbeat and a margin: by then a dead node's members must have been reported left. */
    private static final Duration WITHIN_LEASE = Node.LEASE.multipliedBy(2).plusSeconds(1);
    private static final Duration NOTHING = Duration.ofMillis(300);

    private TwoNodes nodes;
    private RedisServer redis;
    private Node east;
    private Node west;

    @BeforeEach
    void start() {
        nodes = TwoNodes.start(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).rooms(RoomPolicy.ENABLED).build());
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

    private InMemoryClient inLobby(Node node, String id, InMemoryClient... toldOfIt) {
        return inLobby(node, id, null, toldOfIt);
    }

    private InMemoryClient inLobby(Node node, String id, String token, InMemoryClient... toldOfIt) {
        InMemoryClient c = nodes.client(node, id, token);
        c.send("{\"type\":\"join\",\"room\":\"lobby\"}");
        assertThat(json(c.take(WAIT)).get("type").getAsString()).isEqualTo("joined");
        for (InMemoryClient other : toldOfIt) {
            JsonObject frame = json(other.take(WAIT));
            assertThat(frame.get("type").getAsString()).isEqualTo("peer-joined");
            assertThat(frame.get("id").getAsString()).isEqualTo(id);
        }
        return c;
    }

    private static JsonObject json(String frame) {
        return JsonParser.parseString(frame).getAsJsonObject();
    }

    /** The ids of the peer-left frames {@code c} receives until nothing comes for a while. */
    private static List<String> leftWithin(InMemoryClient c, Duration timeout) {
        List<String> left = new ArrayList<>();
        String frame = c.poll(timeout);
        while (frame != null) {
            JsonObject o = json(frame);
            assertThat(o.get("type").getAsString()).isEqualTo("peer-left");
            left.add(o.get("id").getAsString());
            frame = c.poll(NOTHING.multipliedBy(2));
        }
        return left;
    }

    private Map<String, String> lobbyInRedis() {
        RedisClient client = RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            return connection.sync().hgetall("signaling:room:lobby");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static List<String> members(InMemoryClient c) {
        c.send("{\"type\":\"members\",\"room\":\"lobby\"}");
        List<String> ids = new ArrayList<>();
        JsonObject answer = json(c.take(WAIT));
        assertThat(answer.get("type").getAsString()).as(answer.toString()).isEqualTo("members");
        answer.getAsJsonArray("members").forEach(e -> ids.add(e.getAsString()));
        return ids;
    }

    @Test
    void aNodeThatDiesTakesOutOnlyItsOwnMembersWithinItsLeaseAndTheOthersHearItOnce() {
        InMemoryClient alice = inLobby(east, "alice");
        InMemoryClient bob = inLobby(west, "bob", alice);
        InMemoryClient carol = inLobby(east, "carol", alice, bob);
        inLobby(west, "dave", alice, bob, carol);

        west.crash();
        Set<String> aliceHeard = new HashSet<>(leftWithin(alice, WITHIN_LEASE));
        assertThat(leftWithin(alice, NOTHING)).as("nothing twice").isEmpty();
        assertThat(aliceHeard).containsExactlyInAnyOrder("bob", "dave");
        assertThat(leftWithin(carol, NOTHING)).containsExactlyInAnyOrder("bob", "dave");

        assertThat(members(alice)).containsExactly("carol");
        Map<String, String> stored = lobbyInRedis();
        assertThat(stored.keySet()).as("the dead node's entries went with its lease, never east's")
                .containsExactlyInAnyOrder("alice", "carol");
        assertThat(stored.values()).allMatch(owner -> owner.equals(east.cluster.instance()));
        InMemoryClient erin = inLobby(east, "erin", alice, carol);
        assertThat(members(erin)).containsExactly("alice", "carol");
    }

    @Test
    void aDrainingNodesMembersAreReportedLeftOnceAtOnce() {
        InMemoryClient alice = inLobby(east, "alice");
        inLobby(west, "bob", alice);
        west.close();
        west = null;
        assertThat(leftWithin(alice, WAIT)).containsExactly("bob");
        assertThat(leftWithin(alice, Node.LEASE.multipliedBy(2))).as("not again when its lease runs out").isEmpty();
        assertThat(lobbyInRedis()).containsOnlyKeys("alice");
    }

    @Test
    void membershipsComeBackAfterRedisRestartsEmpty() {
        InMemoryClient alice = inLobby(east, "alice");
        InMemoryClient bob = inLobby(west, "bob", alice);
        redis.kill();
        Await.until("both degraded", WAIT, () -> east.cluster.status() == ClusterStatus.DEGRADED
                && west.cluster.status() == ClusterStatus.DEGRADED);
        redis.restart(); // empty
        Await.until("both memberships written again", WAIT.multipliedBy(2), () -> lobbyInRedis().size() == 2);
        assertThat(members(bob)).containsExactly("alice");
        assertThat(alice.poll(NOTHING)).as("nobody was reported left").isNull();
    }

    @Test
    void aMemberThatResumedOnAnotherNodeStaysWhenTheNodeItLeftDies() {
        nodes.close();
        nodes = TwoNodes.start(withTokens().build());
        redis = nodes.redis;
        east = nodes.east;
        west = nodes.west;
        InMemoryClient alice = inLobby(west, "alice", "a-token");
        InMemoryClient bob = inLobby(east, "bob", "b-token", alice);
        inLobby(west, "carol", "c-token", alice, bob);

        alice.drop();
        InMemoryClient back = nodes.client(east, "alice", "a-token"); // resumes on the other node
        west.crash();
        assertThat(leftWithin(bob, WITHIN_LEASE)).as("only the dead node's member").containsExactly("carol");
        assertThat(leftWithin(back, NOTHING)).containsExactly("carol");

        assertThat(members(bob)).containsExactly("alice");
        assertThat(lobbyInRedis()).as("the resumed member is the live node's")
                .containsOnly(Map.entry("alice", east.cluster.instance()), Map.entry("bob", east.cluster.instance()));
    }

    private static HubConfig.Builder withTokens() {
        return HubConfig.builder().rateLimit(RateLimit.UNLIMITED).rooms(RoomPolicy.ENABLED)
                .resumeGrace(Duration.ofSeconds(30))
                .authenticator(Authenticator.staticTokens(Map.of("alice", "a-token", "bob", "b-token", "carol", "c-token")));
    }
}
