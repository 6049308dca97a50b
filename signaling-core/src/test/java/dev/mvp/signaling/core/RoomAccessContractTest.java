package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.errorCodes;
import static dev.mvp.signaling.core.MockConnections.register;
import static dev.mvp.signaling.core.MockConnections.sentTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the hub asks its {@link RoomAccess} and its {@link RoomDirectory}, with which arguments, and when it
 * does not: the contract an embedder's hook and a clustered directory rely on. (That it holds no lock while
 * doing so is {@link NoHubLockContractTest}'s.)
 */
class RoomAccessContractTest {
    private final RoomAccess access = mock(RoomAccess.class);
    private final RoomDirectory directory = mock(RoomDirectory.class, delegatesTo(RoomDirectory.inMemory()));
    private final SignalingHub hub = new SignalingHub(HubConfig.builder().rooms(RoomPolicy.enabled(2, 5))
            .roomAccess(access).roomDirectory(directory).rateLimit(RateLimit.UNLIMITED).build());

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private Session registered(Connection c, String id) {
        Session s = hub.open(c, id);
        s.onText(register(id));
        return s;
    }

    private static String join(String room) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\"}";
    }

    @Test
    void mayJoinIsAskedOncePerNewRoomWithTheRoomTheIdAndTheHandshake() {
        when(access.mayJoin(anyString(), anyString(), any())).thenReturn(true);
        Connection alice = MockConnections.connection("alice");
        Session a = registered(alice, "alice");

        a.onText(join("lobby"));
        a.onText(join("lobby")); // a member already: not asked again
        verify(access).mayJoin("lobby", "alice", MockConnections.handshake("alice"));
        verify(directory).join("lobby", "alice", 5);

        a.onText(join("bad name"));
        a.onText(join("second"));
        a.onText(join("third")); // over the bound of 2 rooms
        verify(access).mayJoin("second", "alice", MockConnections.handshake("alice"));
        verify(access, never()).mayJoin(org.mockito.ArgumentMatchers.eq("bad name"), anyString(), any());
        verify(access, never()).mayJoin(org.mockito.ArgumentMatchers.eq("third"), anyString(), any());
        verify(directory, never()).join(org.mockito.ArgumentMatchers.eq("third"), anyString(), anyInt());
        assertThat(errorCodes(alice)).containsExactly(ErrorCodes.INVALID_ROOM, ErrorCodes.TOO_MANY_ROOMS);
    }

    @Test
    void aRefusedJoinNeverReachesTheDirectory() {
        when(access.mayJoin(anyString(), anyString(), any())).thenReturn(false);
        Connection alice = MockConnections.connection("alice");
        registered(alice, "alice").onText(join("lobby"));
        assertThat(errorCodes(alice)).containsExactly(ErrorCodes.ROOM_REFUSED);
        verifyNoInteractions(directory);
    }

    @Test
    void maySeeIsAskedForTheViewerAndTheMemberBeforeEveryListAndEveryPresenceFrame() {
        when(access.mayJoin(anyString(), anyString(), any())).thenReturn(true);
        when(access.maySee(anyString(), anyString(), anyString())).thenReturn(true);
        when(access.maySee("lobby", "carol", "bob")).thenReturn(false);
        Connection alice = MockConnections.connection("alice");
        Connection bob = MockConnections.connection("bob");
        Connection carol = MockConnections.connection("carol");
        Session a = registered(alice, "alice");
        Session b = registered(bob, "bob");
        Session c = registered(carol, "carol");
        a.onText(join("lobby"));
        c.onText(join("lobby"));
        clearInvocations(access);

        b.onText(join("lobby"));
        verify(access).mayJoin("lobby", "bob", MockConnections.handshake("bob"));
        verify(access).maySee("lobby", "bob", "alice"); // bob's joined answer
        verify(access).maySee("lobby", "bob", "carol");
        verify(access).maySee("lobby", "alice", "bob"); // peer-joined to alice
        verify(access).maySee("lobby", "carol", "bob"); // refused: carol is not told
        verifyNoMoreInteractions(access);
        assertThat(sentTypes(alice)).containsExactly("registered", "joined", "peer-joined", "peer-joined");
        assertThat(sentTypes(carol)).containsExactly("registered", "joined");

        clearInvocations(access);
        a.onText("{\"type\":\"members\",\"room\":\"lobby\"}");
        verify(access).maySee("lobby", "alice", "bob");
        verify(access).maySee("lobby", "alice", "carol");
        verifyNoMoreInteractions(access);

        clearInvocations(access);
        b.onClose(CloseCodes.NORMAL, "");
        verify(directory).leave("lobby", "bob");
        verify(access).maySee("lobby", "alice", "bob");
        verify(access).maySee("lobby", "carol", "bob");
        verifyNoMoreInteractions(access);
        assertThat(sentTypes(alice)).containsExactly("registered", "joined", "peer-joined", "peer-joined", "members",
                "peer-left");
        assertThat(sentTypes(carol)).containsExactly("registered", "joined");
    }

    @Test
    void withRoomsOffNeitherIsEverAsked() {
        try (SignalingHub plain = new SignalingHub(HubConfig.builder().roomAccess(access).roomDirectory(directory)
                .build())) {
            Connection alice = MockConnections.connection("alice");
            Session a = plain.open(alice, "alice");
            a.onText("{\"type\":\"register\",\"id\":\"alice\",\"rooms\":[\"lobby\"]}");
            a.onText(join("lobby"));
            a.onClose(CloseCodes.ABNORMAL, "");
            assertThat(errorCodes(alice)).containsExactly(ErrorCodes.ROOMS_DISABLED, ErrorCodes.ROOMS_DISABLED);
        }
        verifyNoInteractions(access, directory);
    }
}
