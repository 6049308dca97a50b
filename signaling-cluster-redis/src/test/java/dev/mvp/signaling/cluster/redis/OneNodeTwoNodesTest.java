package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.DuplicateIdPolicy;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.RoomAccess;
import dev.mvp.signaling.core.RoomPolicy;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The semantics of one node, shown by running each scenario twice: all clients on one clustered node,
 * and the same clients spread over two nodes sharing a Redis. A scenario that passes on one and fails on
 * the other is a difference the cluster was not allowed to make.
 */
class OneNodeTwoNodesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(150);
    private static final Duration HOLD = Duration.ofMillis(600);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static RedisServer redis;

    private final List<Node> nodes = new ArrayList<>();
    private final List<InMemoryClient> clients = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * Each scenario starts from a Redis without entries: the nodes of the previous one removed theirs
     * when their peers left and when they drained, not at lease expiry.
     */
    @BeforeEach
    void noEntryLeftBehind() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            assertThat(connection.sync().keys("signaling:peer:*")).as("entries the previous scenario left").isEmpty();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @AfterEach
    void stopNodes() {
        clients.forEach(InMemoryClient::close);
        nodes.forEach(Node::close);
    }

    /** Starts the topology: one node, or two; {@code on(i)} gives the node the i-th client lands on. */
    private void start(int count, HubConfig.Builder builder) {
        HubConfig config = builder.rateLimit(RateLimit.UNLIMITED).build();
        String run = Long.toHexString(System.nanoTime());
        for (int i = 0; i < count; i++) {
            nodes.add(new Node(redis, "n" + i + "-" + run, config.toBuilder()));
        }
    }

    private void start(int count) {
        start(count, HubConfig.builder());
    }

    private Node on(int i) {
        return nodes.get(i % nodes.size());
    }

    private InMemoryClient client(int node, String id) {
        InMemoryClient c = on(node).client(id);
        clients.add(c);
        return c;
    }

    private static JsonObject json(String frame) {
        return JsonParser.parseString(frame).getAsJsonObject();
    }

    private static String code(InMemoryClient c) {
        JsonObject error = json(c.take(WAIT));
        assertThat(error.get("type").getAsString()).isEqualTo("error");
        return error.get("code").getAsString();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void theRecipientGetsTheFrameWithFromStampedAndAnswersBack(int count) {
        start(count);
        InMemoryClient alice = client(0, "alice");
        InMemoryClient bob = client(1, "bob");

        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"extra\":{\"k\":[1,2]}}");
        JsonObject offer = json(bob.take(WAIT));
        assertThat(offer.get("from").getAsString()).isEqualTo("alice");
        assertThat(offer.get("extra").toString()).isEqualTo("{\"k\":[1,2]}");

        bob.send("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0\"}");
        assertThat(json(alice.take(WAIT)).get("from").getAsString()).isEqualTo("bob");

        alice.send("{\"type\":\"offer\",\"from\":\"mallory\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        assertThat(code(alice)).isEqualTo(ErrorCodes.FROM_MISMATCH);
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aLiveIdCannotBeTakenOnAnyNode(int count) {
        start(count);
        InMemoryClient bob = client(0, "bob");
        InMemoryClient impostor = InMemoryClient.connect(on(1).hub, "bob");
        clients.add(impostor);
        impostor.send("{\"type\":\"register\",\"id\":\"bob\"}");
        assertThat(code(impostor)).isEqualTo(ErrorCodes.ID_TAKEN);

        InMemoryClient alice = client(1, "alice");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        assertThat(json(bob.take(WAIT)).get("from").getAsString()).isEqualTo("alice");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void anIdFreedOnOneNodeCanBeTakenOnAnother(int count) {
        start(count);
        InMemoryClient first = client(0, "bob");
        first.close();
        InMemoryClient again = client(1, "bob");
        InMemoryClient alice = client(0, "alice");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        assertThat(json(again.take(WAIT)).get("from").getAsString()).isEqualTo("alice");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aMessageForAnAbsentPeerIsHeldAndDeliveredWhereverItRegisters(int count) {
        start(count);
        InMemoryClient alice = client(0, "alice");
        alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\",\"mid\":1}");
        alice.send("{\"type\":\"candidate\",\"to\":\"carol\",\"candidate\":null,\"mid\":2}");
        assertThat(alice.poll(NOTHING)).isNull();

        InMemoryClient carol = client(1, "carol");
        assertThat(json(carol.take(WAIT)).get("mid").getAsInt()).isEqualTo(1);
        assertThat(json(carol.take(WAIT)).get("mid").getAsInt()).isEqualTo(2);
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aHeldMessageExpiresWithDeliveryExpired(int count) {
        start(count, HubConfig.builder().offlineQueue(new OfflineQueuePolicy(HOLD, 2, 64, 1000)));
        InMemoryClient alice = client(0, "alice");
        client(1, "bob"); // a peer elsewhere does not change what happens to messages for an absent one
        alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\",\"mid\":9}");
        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.DELIVERY_EXPIRED);
        assertThat(error.get("mid").getAsInt()).isEqualTo(9);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void holdingMoreThanTheBoundIsQueueFull(int count) {
        start(count, HubConfig.builder().offlineQueue(new OfflineQueuePolicy(Duration.ofSeconds(30), 2, 64, 1000)));
        InMemoryClient alice = client(0, "alice");
        for (int i = 0; i < 2; i++) {
            alice.send("{\"type\":\"candidate\",\"to\":\"carol\",\"candidate\":null}");
        }
        alice.send("{\"type\":\"candidate\",\"to\":\"carol\",\"candidate\":null,\"mid\":3}");
        JsonObject error = json(alice.take(WAIT));
        assertThat(error.get("code").getAsString()).isEqualTo(ErrorCodes.QUEUE_FULL);
        assertThat(error.get("mid").getAsInt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void withoutHoldingAnAbsentPeerIsPeerNotFound(int count) {
        start(count, HubConfig.builder().offlineQueue(OfflineQueuePolicy.DISABLED));
        InMemoryClient alice = client(0, "alice");
        client(1, "bob");
        alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\"}");
        assertThat(code(alice)).isEqualTo(ErrorCodes.PEER_NOT_FOUND);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aDroppedPeersContactsOnEveryNodeGetByeDisconnected(int count) {
        start(count);
        InMemoryClient alice = client(0, "alice");
        InMemoryClient bob = client(1, "bob");
        InMemoryClient carol = client(0, "carol");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        bob.take(WAIT);

        bob.drop();
        JsonObject bye = json(alice.take(WAIT));
        assertThat(bye.get("type").getAsString()).isEqualTo("bye");
        assertThat(bye.get("from").getAsString()).isEqualTo("bob");
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
        assertThat(carol.poll(NOTHING)).as("carol never talked to bob").isNull();
    }

    /** Clients with verified tokens, which may resume within {@link #GRACE} after a drop. */
    private static HubConfig.Builder withTokens() {
        return HubConfig.builder().resumeGrace(GRACE).authenticator(
                Authenticator.staticTokens(Map.of("alice", "a-token", "bob", "b-token", "carol", "c-token")));
    }

    private InMemoryClient client(int node, String id, String token) {
        InMemoryClient c = InMemoryClient.connect(on(node).hub, id);
        clients.add(c);
        c.register(token);
        return c;
    }

    private static void assertByeDisconnected(InMemoryClient c, String from) {
        JsonObject bye = json(c.take(WAIT));
        assertThat(bye.get("type").getAsString()).isEqualTo("bye");
        assertThat(bye.get("from").getAsString()).isEqualTo(from);
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aDroppedClientResumesWithinTheGraceOnAnyNodeAndGetsWhatWasSentMeanwhile(int count) {
        start(count, withTokens());
        InMemoryClient alice = client(0, "alice", "a-token");
        InMemoryClient bob = client(1, "bob", "b-token");
        InMemoryClient carol = client(0, "carol", "c-token");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        bob.take(WAIT);
        carol.send("{\"type\":\"offer\",\"to\":\"alice\",\"sdp\":\"v=0\"}");
        alice.take(WAIT);

        alice.drop();
        bob.send("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0\",\"mid\":1}");
        carol.send("{\"type\":\"candidate\",\"to\":\"alice\",\"candidate\":null,\"mid\":2}");
        assertThat(bob.poll(NOTHING)).as("no bye, no error while alice may come back").isNull();
        assertThat(carol.poll(NOTHING)).as("no bye, no error while alice may come back").isNull();

        InMemoryClient back = InMemoryClient.connect(on(1).hub, "alice"); // on the other node, if there is one
        clients.add(back);
        assertThat(json(back.register("a-token")).get("type").getAsString()).isEqualTo("registered");
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            held.add(json(back.take(WAIT)).get("mid").getAsInt());
        }
        assertThat(held).as("what was sent while alice was away, from both nodes").containsExactly(1, 2);

        back.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null}");
        assertThat(json(bob.take(WAIT)).get("from").getAsString()).isEqualTo("alice");
        assertThat(bob.poll(NOTHING)).as("the resume is unnoticed").isNull();
        assertThat(carol.poll(NOTHING)).as("the resume is unnoticed").isNull();

        back.close(); // the resumed connection carries alice's conversations: both hear she left
        assertByeDisconnected(bob, "alice");
        assertByeDisconnected(carol, "alice");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aLiveIdIsReplacedOnAnyNodeWithTheVerifiedSameToken(int count) {
        start(count, withTokens().duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN));
        InMemoryClient alice = client(0, "alice", "a-token");
        InMemoryClient bob = client(1, "bob", "b-token");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        bob.take(WAIT);

        InMemoryClient stranger = InMemoryClient.connect(on(1).hub, "alice");
        clients.add(stranger);
        stranger.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"b-token\"}");
        assertThat(code(stranger)).as("another token takes nothing").isEqualTo(ErrorCodes.TOKEN_INVALID);

        InMemoryClient second = InMemoryClient.connect(on(1).hub, "alice");
        clients.add(second);
        assertThat(json(second.register("a-token")).get("type").getAsString()).isEqualTo("registered");
        InMemoryClient.CloseStatus closed = alice.awaitClose(WAIT);
        assertThat(closed).isNotNull();
        assertThat(closed.code()).isEqualTo(CloseCodes.REPLACED);
        assertThat(bob.poll(NOTHING)).as("no bye: the same client, reconnected").isNull();

        bob.send("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0\"}");
        assertThat(json(second.take(WAIT)).get("from").getAsString()).isEqualTo("bob");
        second.close();
        assertByeDisconnected(bob, "alice");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void framesFromOneSenderArriveInOrder(int count) {
        start(count);
        InMemoryClient alice = client(0, "alice");
        InMemoryClient bob = client(1, "bob");
        for (int i = 0; i < 300; i++) {
            alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"c\",\"n\":" + i + "}}");
        }
        for (int i = 0; i < 300; i++) {
            assertThat(json(bob.take(WAIT)).getAsJsonObject("candidate").get("n").getAsInt()).isEqualTo(i);
        }
        assertThat(alice.poll(NOTHING)).isNull();
    }

    // --- rooms and presence ---------------------------------------------------------------------------

    private static String join(String room) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\"}";
    }

    private static List<String> members(JsonObject frame) {
        List<String> ids = new ArrayList<>();
        frame.getAsJsonArray("members").forEach(e -> ids.add(e.getAsString()));
        return ids;
    }

    /** Joins and returns the members the answer lists. */
    private static List<String> joined(InMemoryClient c, String room) {
        c.send(join(room));
        JsonObject answer = json(c.take(WAIT));
        assertThat(answer.get("type").getAsString()).as("answer to %s's join", c.id()).isEqualTo("joined");
        return members(answer);
    }

    private static void assertPresence(InMemoryClient c, String type, String room, String id) {
        JsonObject frame = json(c.take(WAIT));
        assertThat(frame.get("type").getAsString()).isEqualTo(type);
        assertThat(frame.get("room").getAsString()).isEqualTo(room);
        assertThat(frame.get("id").getAsString()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void roomsAreOffUnlessTurnedOn(int count) {
        start(count);
        InMemoryClient alice = client(0, "alice");
        InMemoryClient bob = client(1, "bob");
        bob.send(join("lobby"));
        assertThat(code(bob)).isEqualTo(ErrorCodes.ROOMS_DISABLED);
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aJoinListsTheMembersOfEveryNodeAndEveryMemberHearsOfIt(int count) {
        start(count, HubConfig.builder().rooms(RoomPolicy.ENABLED));
        InMemoryClient alice = client(0, "alice");
        InMemoryClient bob = client(1, "bob");
        InMemoryClient carol = client(2, "carol");
        assertThat(joined(alice, "lobby")).isEmpty();
        assertThat(joined(bob, "lobby")).containsExactly("alice");
        assertPresence(alice, "peer-joined", "lobby", "bob");
        assertThat(joined(carol, "lobby")).containsExactly("alice", "bob");
        assertPresence(alice, "peer-joined", "lobby", "carol");
        assertPresence(bob, "peer-joined", "lobby", "carol");

        bob.send("{\"type\":\"members\",\"room\":\"lobby\",\"mid\":4}");
        JsonObject list = json(bob.take(WAIT));
        assertThat(list.get("type").getAsString()).isEqualTo("members");
        assertThat(members(list)).containsExactly("alice", "carol");
        assertThat(list.get("mid").getAsInt()).isEqualTo(4);

        bob.send("{\"type\":\"leave\",\"room\":\"lobby\"}");
        assertThat(json(bob.take(WAIT)).get("type").getAsString()).isEqualTo("left");
        assertPresence(alice, "peer-left", "lobby", "bob");
        assertPresence(carol, "peer-left", "lobby", "bob");
        bob.send("{\"type\":\"members\",\"room\":\"lobby\"}");
        assertThat(code(bob)).isEqualTo(ErrorCodes.NOT_A_MEMBER);
        assertThat(alice.poll(NOTHING)).isNull();
        assertThat(carol.poll(NOTHING)).isNull();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aRoomIsFullWhateverNodeItsMembersAreOn(int count) {
        start(count, HubConfig.builder().rooms(RoomPolicy.enabled(4, 2)));
        InMemoryClient alice = client(0, "alice");
        InMemoryClient bob = client(1, "bob");
        InMemoryClient carol = client(0, "carol");
        joined(alice, "lobby");
        joined(bob, "lobby");
        assertPresence(alice, "peer-joined", "lobby", "bob");
        carol.send(join("lobby"));
        assertThat(code(carol)).isEqualTo(ErrorCodes.ROOM_FULL);
        assertThat(alice.poll(NOTHING)).isNull();
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aPeerThatDropsIsReportedLeftOnceOnEveryNode(int count) {
        start(count, HubConfig.builder().rooms(RoomPolicy.ENABLED));
        InMemoryClient alice = client(0, "alice");
        InMemoryClient bob = client(1, "bob");
        InMemoryClient carol = client(0, "carol");
        joined(alice, "lobby");
        joined(carol, "lobby");
        assertPresence(alice, "peer-joined", "lobby", "carol");
        joined(bob, "lobby");
        assertPresence(alice, "peer-joined", "lobby", "bob");
        assertPresence(carol, "peer-joined", "lobby", "bob");

        bob.drop();
        assertPresence(alice, "peer-left", "lobby", "bob");
        assertPresence(carol, "peer-left", "lobby", "bob");
        assertThat(alice.poll(HOLD)).as("once").isNull();
        assertThat(carol.poll(NOTHING)).isNull();
        alice.send("{\"type\":\"members\",\"room\":\"lobby\"}");
        assertThat(members(json(alice.take(WAIT)))).containsExactly("carol");
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aPeerThatMayResumeIsReportedLeftOnlyAfterTheGraceAndNotAtAllIfItResumes(int count) {
        start(count, HubConfig.builder().rooms(RoomPolicy.ENABLED).resumeGrace(HOLD)
                .authenticator(Authenticator.staticTokens(Map.of("alice", "a", "bob", "b"))));
        InMemoryClient alice = on(0).client("alice", "a");
        clients.add(alice);
        InMemoryClient bob = on(1).client("bob", "b");
        clients.add(bob);
        joined(alice, "lobby");
        joined(bob, "lobby");
        assertPresence(alice, "peer-joined", "lobby", "bob");

        bob.drop();
        InMemoryClient back = on(1).client("bob", "b");
        clients.add(back);
        assertThat(alice.poll(HOLD.multipliedBy(2))).as("a resume within the grace reports nothing").isNull();
        back.send("{\"type\":\"members\",\"room\":\"lobby\"}");
        assertThat(members(json(back.take(WAIT)))).containsExactly("alice");

        back.drop();
        assertThat(alice.poll(HOLD.dividedBy(3))).as("not before the grace ends").isNull();
        assertPresence(alice, "peer-left", "lobby", "bob");
        assertThat(alice.poll(HOLD)).as("once").isNull();
    }

    /** Clients with verified tokens in rooms: alice and carol on the first node, bob and dave on the last. */
    private List<InMemoryClient> fourInTheLobby() {
        List<InMemoryClient> four = new ArrayList<>();
        String[][] who = {{"alice", "a-token"}, {"bob", "b-token"}, {"carol", "c-token"}, {"dave", "d-token"}};
        for (int i = 0; i < who.length; i++) {
            InMemoryClient c = client(i, who[i][0], who[i][1]);
            List<String> before = four.stream().map(InMemoryClient::id).sorted().toList();
            assertThat(joined(c, "lobby")).isEqualTo(before);
            for (InMemoryClient earlier : four) {
                assertPresence(earlier, "peer-joined", "lobby", c.id());
            }
            four.add(c);
        }
        return four;
    }

    private static HubConfig.Builder inRoomsWithTokens() {
        return HubConfig.builder().rooms(RoomPolicy.ENABLED).resumeGrace(GRACE).authenticator(Authenticator
                .staticTokens(Map.of("alice", "a-token", "bob", "b-token", "carol", "c-token", "dave", "d-token")));
    }

    private static List<String> membersOf(InMemoryClient c, String room) {
        c.send("{\"type\":\"members\",\"room\":\"" + room + "\"}");
        JsonObject list = json(c.take(WAIT));
        assertThat(list.get("type").getAsString()).as("%s's next frame", c.id()).isEqualTo("members");
        return members(list);
    }

    /**
     * Alice's new connection {@code back} took her place in the lobby unnoticed, on the node of bob and dave:
     * nobody was told of a leave or a join (each one's next frame is the answer or the marker, dave leaving,
     * that travels the way such news would), she is listed once, and she is a member there: her leaving is
     * reported once, to the members of both nodes.
     */
    private static void assertTookHerPlaceUnnoticed(InMemoryClient back, List<InMemoryClient> four) {
        InMemoryClient bob = four.get(1);
        InMemoryClient carol = four.get(2);
        InMemoryClient dave = four.get(3);
        assertThat(membersOf(back, "lobby")).as("told nothing, a member again").containsExactly("bob", "carol", "dave");
        assertThat(membersOf(bob, "lobby")).as("listed once").containsExactly("alice", "carol", "dave");
        assertThat(membersOf(carol, "lobby")).as("listed once").containsExactly("alice", "bob", "dave");

        dave.send("{\"type\":\"leave\",\"room\":\"lobby\"}");
        assertThat(json(dave.take(WAIT)).get("type").getAsString()).isEqualTo("left");
        for (InMemoryClient c : List.of(back, bob, carol)) {
            assertPresence(c, "peer-left", "lobby", "dave"); // the marker: no peer-left or peer-joined before it
        }

        back.close();
        assertPresence(bob, "peer-left", "lobby", "alice");
        assertPresence(carol, "peer-left", "lobby", "alice");
        carol.send("{\"type\":\"leave\",\"room\":\"lobby\"}");
        assertThat(json(carol.take(WAIT)).get("type").getAsString()).isEqualTo("left");
        assertPresence(bob, "peer-left", "lobby", "carol"); // the marker: alice was reported left once
        assertThat(membersOf(bob, "lobby")).isEmpty();
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aClientThatResumesOnAnyNodeKeepsItsRoomsAndNobodyIsTold(int count) {
        start(count, inRoomsWithTokens());
        List<InMemoryClient> four = fourInTheLobby();

        four.get(0).drop();
        InMemoryClient back = InMemoryClient.connect(on(1).hub, "alice"); // on the other node, if there is one
        clients.add(back);
        assertThat(json(back.register("a-token")).get("type").getAsString()).isEqualTo("registered");

        assertTookHerPlaceUnnoticed(back, four);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void aClientThatReplacesItsConnectionOnAnyNodeKeepsItsRoomsAndNobodyIsTold(int count) {
        start(count, inRoomsWithTokens().duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN));
        List<InMemoryClient> four = fourInTheLobby();

        InMemoryClient second = InMemoryClient.connect(on(1).hub, "alice"); // on the other node, if there is one
        clients.add(second);
        assertThat(json(second.register("a-token")).get("type").getAsString()).isEqualTo("registered");
        InMemoryClient.CloseStatus closed = four.get(0).awaitClose(WAIT);
        assertThat(closed).isNotNull();
        assertThat(closed.code()).isEqualTo(CloseCodes.REPLACED);

        assertTookHerPlaceUnnoticed(second, four);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void theHookHidesMembersOnEveryNode(int count) {
        RoomAccess access = new RoomAccess() {
            @Override
            public boolean mayJoin(String room, String peer, Handshake handshake) {
                return true;
            }

            @Override
            public boolean maySee(String room, String viewer, String member) {
                return !member.equals("ghost");
            }
        };
        start(count, HubConfig.builder().rooms(RoomPolicy.ENABLED).roomAccess(access));
        InMemoryClient alice = client(0, "alice");
        InMemoryClient ghost = client(1, "ghost");
        InMemoryClient bob = client(1, "bob");
        joined(alice, "lobby");
        assertThat(joined(ghost, "lobby")).containsExactly("alice");
        assertThat(joined(bob, "lobby")).containsExactly("alice");
        assertPresence(alice, "peer-joined", "lobby", "bob");
        ghost.close();
        assertThat(alice.poll(HOLD)).as("the ghost is never seen, nor its leaving").isNull();
        assertThat(bob.poll(NOTHING)).isNull();
    }
}
