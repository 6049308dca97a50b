package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rooms and presence on one hub, as a client sees them on the wire (the in-memory transport). */
class RoomsTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration NOTHING = Duration.ofMillis(50);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ManualScheduler time = new ManualScheduler();
    private final List<InMemoryClient> clients = new ArrayList<>();
    private SignalingHub hub;

    @AfterEach
    void tearDown() {
        clients.forEach(InMemoryClient::close);
        if (hub != null) {
            hub.close();
        }
    }

    private void start(HubConfig.Builder builder) {
        hub = new SignalingHub(builder.scheduler(time).rateLimit(RateLimit.UNLIMITED).build());
    }

    private void startWithRooms() {
        start(HubConfig.builder().rooms(RoomPolicy.ENABLED));
    }

    private InMemoryClient client(String id) {
        InMemoryClient c = InMemoryClient.connect(hub, id);
        clients.add(c);
        c.register();
        return c;
    }

    private static String join(String room) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\"}";
    }

    private static String leave(String room) {
        return "{\"type\":\"leave\",\"room\":\"" + room + "\"}";
    }

    private static String members(String room) {
        return "{\"type\":\"members\",\"room\":\"" + room + "\"}";
    }

    private static JsonObject next(InMemoryClient c) {
        return json(c.take(WAIT));
    }

    private static List<String> memberList(JsonObject frame) {
        List<String> ids = new ArrayList<>();
        frame.getAsJsonArray("members").forEach(e -> ids.add(e.getAsString()));
        return ids;
    }

    private static JsonObject error(InMemoryClient c, String code) {
        JsonObject e = next(c);
        assertThat(e.get("type").getAsString()).isEqualTo("error");
        assertThat(e.get("code").getAsString()).isEqualTo(code);
        return e;
    }

    private static void assertPresence(JsonObject frame, String type, String room, String id) {
        assertThat(frame.get("type").getAsString()).isEqualTo(type);
        assertThat(frame.get("room").getAsString()).isEqualTo(room);
        assertThat(frame.get("id").getAsString()).isEqualTo(id);
    }

    @Test
    void roomsAreOffByDefaultAndEveryRoomFrameIsRefused() {
        start(HubConfig.builder());
        assertThat(hub.config().rooms().enabled()).isFalse();
        InMemoryClient alice = InMemoryClient.connect(hub, "alice");
        clients.add(alice);
        alice.send("{\"type\":\"register\",\"id\":\"alice\",\"rooms\":[\"lobby\"],\"mid\":1}");
        assertThat(alice.take(WAIT)).as("registered as a plain server sends it").isEqualTo(
                "{\"type\":\"registered\",\"id\":\"alice\"}");
        assertThat(error(alice, ErrorCodes.ROOMS_DISABLED).get("mid").getAsInt()).isEqualTo(1);

        for (String frame : List.of(join("lobby"), leave("lobby"), members("lobby"))) {
            alice.send(frame);
            JsonObject e = error(alice, ErrorCodes.ROOMS_DISABLED);
            assertThat(e.get("ref").getAsString()).isEqualTo(json(frame).get("type").getAsString());
        }
        InMemoryClient bob = client("bob");
        assertThat(bob.poll(NOTHING)).as("nobody hears of anybody").isNull();
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @Test
    void aJoinIsAnsweredWithTheOtherMembersAndTheyHearOfIt() {
        startWithRooms();
        InMemoryClient alice = client("alice");
        InMemoryClient bob = client("bob");
        InMemoryClient carol = client("carol");

        alice.send("{\"type\":\"join\",\"room\":\"lobby\",\"mid\":\"a1\"}");
        JsonObject joined = next(alice);
        assertThat(joined.get("type").getAsString()).isEqualTo("joined");
        assertThat(joined.get("room").getAsString()).isEqualTo("lobby");
        assertThat(memberList(joined)).isEmpty();
        assertThat(joined.get("mid").getAsString()).isEqualTo("a1");

        bob.send(join("lobby"));
        assertThat(memberList(next(bob))).containsExactly("alice");
        assertPresence(next(alice), "peer-joined", "lobby", "bob");

        alice.send(members("lobby"));
        JsonObject list = next(alice);
        assertThat(list.get("type").getAsString()).isEqualTo("members");
        assertThat(memberList(list)).containsExactly("bob");

        alice.send(join("lobby"));
        assertThat(memberList(next(alice))).as("joining again changes nothing").containsExactly("bob");
        assertThat(bob.poll(NOTHING)).as("and tells nobody").isNull();
        assertThat(carol.poll(NOTHING)).as("carol is in no room").isNull();
    }

    @Test
    void leaveIsAnsweredAndTheOthersHearPeerLeft() {
        startWithRooms();
        InMemoryClient alice = client("alice");
        InMemoryClient bob = client("bob");
        alice.send(join("lobby"));
        next(alice);
        bob.send(join("lobby"));
        next(bob);
        next(alice);

        bob.send("{\"type\":\"leave\",\"room\":\"lobby\",\"mid\":5}");
        JsonObject left = next(bob);
        assertThat(left.get("type").getAsString()).isEqualTo("left");
        assertThat(left.get("room").getAsString()).isEqualTo("lobby");
        assertThat(left.get("mid").getAsInt()).isEqualTo(5);
        assertPresence(next(alice), "peer-left", "lobby", "bob");

        bob.send(leave("lobby"));
        assertThat(error(bob, ErrorCodes.NOT_A_MEMBER).get("room").getAsString()).isEqualTo("lobby");
        bob.send(members("lobby"));
        error(bob, ErrorCodes.NOT_A_MEMBER);
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @Test
    void roomsCanBeJoinedAtRegister() {
        startWithRooms();
        InMemoryClient alice = client("alice");
        alice.send(join("b"));
        next(alice);
        InMemoryClient bob = InMemoryClient.connect(hub, "bob");
        clients.add(bob);
        bob.send("{\"type\":\"register\",\"id\":\"bob\",\"rooms\":[\"a\",\"b\"],\"mid\":3}");
        assertThat(next(bob).get("type").getAsString()).isEqualTo("registered");
        JsonObject a = next(bob);
        assertThat(a.get("room").getAsString()).isEqualTo("a");
        assertThat(a.get("mid").getAsInt()).isEqualTo(3);
        JsonObject b = next(bob);
        assertThat(b.get("room").getAsString()).isEqualTo("b");
        assertThat(memberList(b)).containsExactly("alice");
        assertPresence(next(alice), "peer-joined", "b", "bob");
    }

    @Test
    void badRoomNamesAndFieldsAreRefused() {
        startWithRooms();
        InMemoryClient alice = client("alice");
        for (String bad : List.of("", "a b", "caf\u00e9", "x".repeat(PeerIds.MAX_LENGTH + 1))) {
            alice.send("{\"type\":\"join\",\"room\":\"" + bad + "\",\"mid\":7}");
            JsonObject e = error(alice, ErrorCodes.INVALID_ROOM);
            assertThat(e.get("mid").getAsInt()).isEqualTo(7);
            assertThat(e.get("ref").getAsString()).isEqualTo("join");
        }
        alice.send("{\"type\":\"join\"}");
        error(alice, ErrorCodes.MISSING_FIELD);
        alice.send("{\"type\":\"join\",\"room\":5}");
        error(alice, ErrorCodes.INVALID_FIELD);
        alice.send("{\"type\":\"register\",\"id\":\"alice\",\"rooms\":\"lobby\"}");
        next(alice); // the re-confirmation
        error(alice, ErrorCodes.INVALID_FIELD);

        InMemoryClient stranger = InMemoryClient.connect(hub, "stranger");
        clients.add(stranger);
        stranger.send(join("lobby"));
        error(stranger, ErrorCodes.NOT_REGISTERED);
    }

    @Test
    void aRoomFieldOnARelayedMessageIsTheApplicationsAndRelayedUntouched() {
        startWithRooms();
        InMemoryClient alice = client("alice");
        InMemoryClient bob = client("bob");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"room\":{\"n\":1},\"rooms\":7}");
        JsonObject offer = next(bob);
        assertThat(offer.get("room").toString()).isEqualTo("{\"n\":1}");
        assertThat(offer.get("rooms").getAsInt()).isEqualTo(7);
    }

    @Test
    void theBoundsOnRoomsPerPeerAndMembersPerRoomHold() {
        start(HubConfig.builder().rooms(RoomPolicy.enabled(2, 2)));
        InMemoryClient alice = client("alice");
        alice.send(join("r1"));
        next(alice);
        alice.send(join("r2"));
        next(alice);
        alice.send("{\"type\":\"join\",\"room\":\"r3\",\"mid\":1}");
        assertThat(error(alice, ErrorCodes.TOO_MANY_ROOMS).get("room").getAsString()).isEqualTo("r3");
        alice.send(leave("r2"));
        next(alice);
        alice.send(join("r3"));
        assertThat(next(alice).get("type").getAsString()).isEqualTo("joined");

        InMemoryClient bob = client("bob");
        bob.send(join("r1"));
        next(bob);
        next(alice); // peer-joined
        InMemoryClient carol = client("carol");
        carol.send(join("r1"));
        error(carol, ErrorCodes.ROOM_FULL);
        assertThat(alice.poll(NOTHING)).as("a refused join tells nobody").isNull();
        bob.send(leave("r1"));
        next(bob);
        next(alice);
        carol.send(join("r1"));
        assertThat(memberList(next(carol))).containsExactly("alice");
    }

    @Test
    void theHookDecidesWhoJoinsAndWhoSeesWhom() {
        RoomAccess access = new RoomAccess() {
            @Override
            public boolean mayJoin(String room, String peer, Handshake handshake) {
                return !room.equals("staff") || peer.startsWith("admin");
            }

            @Override
            public boolean maySee(String room, String viewer, String member) {
                return !member.startsWith("admin") || viewer.startsWith("admin");
            }
        };
        start(HubConfig.builder().rooms(RoomPolicy.ENABLED).roomAccess(access));
        InMemoryClient alice = client("alice");
        alice.send(join("staff"));
        error(alice, ErrorCodes.ROOM_REFUSED);

        alice.send(join("lobby"));
        next(alice);
        InMemoryClient admin = client("admin1");
        admin.send(join("lobby"));
        assertThat(memberList(next(admin))).containsExactly("alice");
        assertThat(alice.poll(NOTHING)).as("alice may not see the admin arrive").isNull();
        alice.send(members("lobby"));
        assertThat(memberList(next(alice))).isEmpty();
        InMemoryClient bob = client("bob");
        bob.send(join("lobby"));
        assertThat(memberList(next(bob))).containsExactly("alice");
        assertPresence(next(alice), "peer-joined", "lobby", "bob");
        assertPresence(next(admin), "peer-joined", "lobby", "bob");

        admin.close();
        assertThat(alice.poll(NOTHING)).as("nor leave").isNull();
        assertThat(bob.poll(NOTHING)).isNull();
    }

    @Test
    void aHookThatThrowsRefusesWithInternalErrorAndHides() {
        RoomAccess access = new RoomAccess() {
            @Override
            public boolean mayJoin(String room, String peer, Handshake handshake) {
                if (room.equals("broken")) {
                    throw new IllegalStateException("boom");
                }
                return true;
            }

            @Override
            public boolean maySee(String room, String viewer, String member) {
                throw new IllegalStateException("boom");
            }
        };
        start(HubConfig.builder().rooms(RoomPolicy.ENABLED).roomAccess(access));
        InMemoryClient alice = client("alice");
        alice.send(join("broken"));
        error(alice, ErrorCodes.INTERNAL_ERROR);
        alice.send(join("lobby"));
        next(alice);
        InMemoryClient bob = client("bob");
        bob.send(join("lobby"));
        assertThat(memberList(next(bob))).isEmpty();
        assertThat(alice.poll(NOTHING)).isNull();
    }

    @Test
    void aPeerThatDropsWithoutATokenIsReportedLeftOnceAtOnce() {
        startWithRooms();
        InMemoryClient alice = client("alice");
        InMemoryClient bob = client("bob");
        for (String room : List.of("r1", "r2")) {
            alice.send(join(room));
            next(alice);
            bob.send(join(room));
            next(bob);
            next(alice);
        }
        bob.drop();
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JsonObject left = next(alice);
            assertThat(left.get("type").getAsString()).isEqualTo("peer-left");
            assertThat(left.get("id").getAsString()).isEqualTo("bob");
            rooms.add(left.get("room").getAsString());
        }
        assertThat(rooms).containsExactlyInAnyOrder("r1", "r2");
        assertThat(alice.poll(NOTHING)).isNull();
        alice.send(members("r1"));
        assertThat(memberList(next(alice))).isEmpty();
    }

    @Test
    void aPeerThatMayResumeIsReportedLeftOnlyWhenTheGraceEndsAndNotAtAllWhenItResumes() {
        start(HubConfig.builder().rooms(RoomPolicy.ENABLED).resumeGrace(GRACE)
                .authenticator(Authenticator.staticTokens(Map.of("alice", "a", "bob", "b"))));
        InMemoryClient alice = InMemoryClient.connect(hub, "alice");
        clients.add(alice);
        alice.register("a");
        alice.send(join("lobby"));
        next(alice);
        InMemoryClient bob = InMemoryClient.connect(hub, "bob");
        clients.add(bob);
        bob.register("b");
        bob.send(join("lobby"));
        next(bob);
        next(alice);

        bob.drop();
        time.advance(GRACE.minusMillis(1));
        assertThat(alice.poll(NOTHING)).as("bob may come back").isNull();
        InMemoryClient back = InMemoryClient.connect(hub, "bob");
        clients.add(back);
        back.register("b");
        time.advance(GRACE.multipliedBy(2));
        assertThat(alice.poll(NOTHING)).as("a resume reports nothing").isNull();
        back.send(members("lobby"));
        assertThat(memberList(next(back))).as("the resumed connection is in bob's rooms").containsExactly("alice");
        alice.send(leave("lobby"));
        next(alice);
        assertPresence(next(back), "peer-left", "lobby", "alice");
        alice.send(join("lobby"));
        next(alice);
        next(back);

        back.drop();
        time.advance(GRACE);
        assertPresence(next(alice), "peer-left", "lobby", "bob");
        time.advance(GRACE);
        assertThat(alice.poll(NOTHING)).as("once").isNull();
    }

    @Test
    void theRoomTypesCannotBeMadeRoutable() {
        for (String type : List.of("join", "joined", "leave", "left", "members", "peer-joined", "peer-left")) {
            assertThatThrownBy(() -> HubConfig.builder().addRoutableType(type))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theBoundsMustBePositive() {
        assertThatThrownBy(() -> RoomPolicy.enabled(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoomPolicy.enabled(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RoomPolicy.DISABLED.enabled()).isFalse();
        assertThat(HubConfig.defaults().toString()).contains("rooms=off");
    }

    @Test
    void presenceThatOverlapsAJoinAnswerFollowsItAndOnlyWhereItChangesTheList() {
        RoomDirectory memory = RoomDirectory.inMemory();
        SignalingHub[] self = new SignalingHub[1];
        RoomDirectory spanning = new RoomDirectory() { // another node's members come and go while alice joins
            @Override
            public Outcome join(String room, String id, int maxMembers) {
                return memory.join(room, id, maxMembers);
            }

            @Override
            public boolean leave(String room, String id) {
                return memory.leave(room, id);
            }

            @Override
            public List<String> members(String room) {
                self[0].memberJoined(room, "xavier"); // announced before the list was read: listed too
                List<String> now = new ArrayList<>(memory.members(room));
                now.add("xavier");
                self[0].memberJoined(room, "yvonne"); // after it: not listed
                self[0].memberLeft(room, "zach"); // never listed: nothing to undo
                return now;
            }
        };
        start(HubConfig.builder().rooms(RoomPolicy.ENABLED).roomDirectory(spanning));
        self[0] = hub;
        InMemoryClient alice = client("alice");
        alice.send(join("lobby"));
        JsonObject joined = next(alice);
        assertThat(joined.get("type").getAsString()).isEqualTo("joined");
        assertThat(memberList(joined)).containsExactly("xavier");
        assertPresence(next(alice), "peer-joined", "lobby", "yvonne");
        assertThat(alice.poll(NOTHING)).isNull();

        // Late news from another node: nothing alice was told already is told again.
        assertThat(hub.memberJoined("lobby", "xavier")).isZero();
        assertThat(hub.memberLeft("lobby", "zach")).isZero();
        assertThat(hub.memberLeft("lobby", "xavier")).isOne();
        assertThat(hub.memberLeft("lobby", "xavier")).as("once").isZero();
        assertPresence(next(alice), "peer-left", "lobby", "xavier");
        assertThat(alice.poll(NOTHING)).isNull();
    }
}
