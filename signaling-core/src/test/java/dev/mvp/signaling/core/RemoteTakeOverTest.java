package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.connection;
import static dev.mvp.signaling.core.MockConnections.errorCodes;
import static dev.mvp.signaling.core.MockConnections.register;
import static dev.mvp.signaling.core.MockConnections.sent;
import static dev.mvp.signaling.core.MockConnections.sentTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the hub asks of a peer of another node when a client comes back with its verified token
 * ({@link Peer#handOver}), and what it tells its directory when a client drops within the grace
 * period ({@link PeerDirectory#suspended}); with rooms, how the memberships pass between the nodes without
 * anyone being told ({@link RoomDirectory#handingOver}, {@link RoomDirectory#takeOver}).
 */
class RemoteTakeOverTest {
    private static final String TOKEN = "s3cret";

    private final PeerDirectory directory = spy(PeerDirectory.inMemory());
    private final Peer remoteAlice = mock(Peer.class);
    private final SignalingHub hub = new SignalingHub(HubConfig.builder().directory(directory)
            .scheduler(new ManualScheduler())
            .authenticator(Authenticator.staticTokens(Map.of("alice", TOKEN, "bob", TOKEN))).build());

    RemoteTakeOverTest() {
        when(remoteAlice.id()).thenReturn("alice");
        directory.putIfAbsent("alice", remoteAlice); // registered through another node
    }

    @Test
    void aPeerOfAnotherNodeThatHandsItsIdOverIsTakenOverAndItsContactsInherited() {
        when(remoteAlice.handOver(TOKEN, false)).thenReturn(Optional.of(new Peer.HandOver(Set.of("bob"), Set.of())));
        Connection bob = connection("bob");
        hub.open(bob, "bob").onText(register("bob", TOKEN));
        Connection alice = connection("alice");
        Session aliceSession = hub.open(alice, "alice");

        aliceSession.onText(register("alice", TOKEN));
        assertThat(sentTypes(alice)).containsExactly("registered");
        assertThat(hub.isRegistered("alice")).isTrue();

        aliceSession.onClose(CloseCodes.NORMAL, ""); // bob was alice's contact on the other node
        assertThat(sent(bob).get(sent(bob).size() - 1)).contains("\"type\":\"bye\"")
                .contains("\"from\":\"alice\"");
        hub.close();
    }

    @Test
    void aPeerOfAnotherNodeThatKeepsItsIdLeavesTheNewcomerIdTaken() {
        Connection alice = connection("alice");
        hub.open(alice, "alice").onText(register("alice", TOKEN));

        verify(remoteAlice).handOver(TOKEN, false);
        assertThat(errorCodes(alice)).containsExactly(ErrorCodes.ID_TAKEN);
        assertThat(directory.get("alice")).isSameAs(remoteAlice);
        hub.close();
    }

    @Test
    void withoutAVerifiedTokenAPeerOfAnotherNodeIsNotAsked() {
        SignalingHub open = new SignalingHub(HubConfig.builder().directory(directory).scheduler(new ManualScheduler())
                .build());
        Connection alice = connection("alice");
        open.open(alice, "alice").onText(register("alice"));

        verify(remoteAlice, never()).handOver(anyString(), anyBoolean());
        assertThat(errorCodes(alice)).containsExactly(ErrorCodes.ID_TAKEN);
        open.close();
        hub.close();
    }

    @Test
    void theDirectoryHearsOfADropWithinTheGracePeriod() {
        Connection bob = connection("bob");
        Session session = hub.open(bob, "bob");
        session.onText(register("bob", TOKEN));
        session.onClose(CloseCodes.ABNORMAL, "");

        verify(directory).suspended(eq("bob"), same((Peer) session));
        hub.close();
    }

    private final RoomDirectory rooms = mock(RoomDirectory.class, delegatesTo(RoomDirectory.inMemory()));

    private SignalingHub hubWithRooms() {
        return new SignalingHub(HubConfig.builder().directory(directory).roomDirectory(rooms)
                .rooms(RoomPolicy.ENABLED).resumeGrace(Duration.ofSeconds(30)).scheduler(new ManualScheduler())
                .authenticator(Authenticator.staticTokens(Map.of("alice", TOKEN, "bob", TOKEN, "carol", TOKEN))).build());
    }

    @Test
    void theNewcomerTakesOverTheRoomsOfThePeerThatHandedItsIdOverAndNobodyIsTold() {
        SignalingHub withRooms = hubWithRooms();
        rooms.join("lobby", "alice", 10); // alice's membership, as another node wrote it
        Connection bob = connection("bob");
        Session bobSession = withRooms.open(bob, "bob");
        bobSession.onText(register("bob", TOKEN));
        bobSession.onText("{\"type\":\"join\",\"room\":\"lobby\"}"); // lists alice
        when(remoteAlice.handOver(TOKEN, false))
                .thenReturn(Optional.of(new Peer.HandOver(Set.of(), Set.of("lobby"))));
        Connection alice = connection("alice");
        Session aliceSession = withRooms.open(alice, "alice");

        aliceSession.onText(register("alice", TOKEN));
        verify(rooms).takeOver("lobby", "alice", remoteAlice);
        assertThat(sentTypes(alice)).as("told nothing but its registration").containsExactly("registered");
        assertThat(sentTypes(bob)).as("no peer-left, no peer-joined").containsExactly("registered", "joined");
        aliceSession.onText("{\"type\":\"members\",\"room\":\"lobby\"}");
        assertThat(sent(alice).get(1)).contains("\"type\":\"members\"").contains("\"members\":[\"bob\"]");

        aliceSession.onClose(CloseCodes.NORMAL, ""); // a member here now: its leaving is this hub's to tell
        verify(rooms).leave("lobby", "alice");
        assertThat(sentTypes(bob)).containsExactly("registered", "joined", "peer-left");
        withRooms.close();
    }

    @Test
    void aPeerThatHandsItsIdOverGivesItsRoomsUpWithoutLeavingThem() {
        SignalingHub withRooms = hubWithRooms();
        Connection carol = connection("carol");
        Session carolSession = withRooms.open(carol, "carol");
        carolSession.onText(register("carol", TOKEN));
        carolSession.onText("{\"type\":\"join\",\"room\":\"lobby\"}");
        Connection bob = connection("bob");
        Session bobSession = withRooms.open(bob, "bob");
        bobSession.onText(register("bob", TOKEN));
        bobSession.onText("{\"type\":\"join\",\"room\":\"lobby\"}");
        bobSession.onClose(CloseCodes.ABNORMAL, ""); // dropped: kept for the grace period

        Optional<Peer.HandOver> given = withRooms.handOver("bob", TOKEN, false); // it came back on another node
        assertThat(given).isPresent();
        assertThat(given.get().rooms()).containsExactly("lobby");
        verify(rooms).handingOver("lobby", "bob");
        verify(rooms, never()).leave(anyString(), eq("bob"));
        assertThat(sentTypes(carol)).as("no peer-left").containsExactly("registered", "joined", "peer-joined");
        withRooms.close();
        verify(rooms, never()).leave(anyString(), eq("bob"));
        assertThat(sentTypes(carol)).as("nor when the hub closes").doesNotContain("peer-left");
    }
}
