package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.connection;
import static dev.mvp.signaling.core.MockConnections.errorCodes;
import static dev.mvp.signaling.core.MockConnections.register;
import static dev.mvp.signaling.core.MockConnections.sent;
import static dev.mvp.signaling.core.MockConnections.sentTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the hub asks of a peer of another node when a client comes back with its verified token
 * ({@link Peer#handOver}), and what it tells its directory when a client drops within the grace
 * period ({@link PeerDirectory#suspended}).
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
        when(remoteAlice.handOver(TOKEN, false)).thenReturn(Optional.of(Set.of("bob")));
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
}
