package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.connection;
import static dev.mvp.signaling.core.MockConnections.offer;
import static dev.mvp.signaling.core.MockConnections.register;
import static dev.mvp.signaling.core.MockConnections.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.invocation.Invocation;

/**
 * What a {@link HubListener} is told and in which order: registered before the confirmation, routed
 * before the hand-off, rejected with the sender, type, peer and mid, left once and last; resumes and
 * replacements as a second registered with no left; never a token; and a listener that throws changes
 * nothing the clients see.
 */
class ListenerContractTest {
    private static final String TOKEN = "tok-4f1c9a";

    private final ManualScheduler time = new ManualScheduler();
    // Real default methods: the hub calls registered(id, sinceOpened), whose default forwards to registered(id).
    private final HubListener listener = mock(HubListener.class, org.mockito.Mockito.CALLS_REAL_METHODS);
    private SignalingHub hub;

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private SignalingHub hub(HubConfig.Builder config) {
        hub = new SignalingHub(config.scheduler(time).listener(listener).build());
        return hub;
    }

    private static HubConfig.Builder withTokens() {
        return HubConfig.builder()
                .authenticator(Authenticator.staticTokens(Map.of("alice", TOKEN, "bob", TOKEN + "-b")))
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN);
    }

    @Test
    void registeredComesBeforeTheConfirmationAndRoutedBeforeTheHandOff() {
        hub(HubConfig.builder());
        Connection alice = connection("alice");
        Connection bob = connection("bob");
        InOrder order = inOrder(listener, alice, bob);
        Session a = hub.open(alice, "alice");
        a.onText(register("alice"));
        hub.open(bob, "bob").onText(register("bob"));
        a.onText(offer("bob"));

        order.verify(listener).connected("alice", MockConnections.handshake("alice"));
        order.verify(listener).registered("alice");
        order.verify(alice).send("{\"type\":\"registered\",\"id\":\"alice\"}");
        order.verify(listener).connected("bob", MockConnections.handshake("bob"));
        order.verify(listener).registered("bob");
        order.verify(bob).send("{\"type\":\"registered\",\"id\":\"bob\"}");
        ArgumentCaptor<Envelope> routed = ArgumentCaptor.forClass(Envelope.class);
        order.verify(listener).routed(routed.capture());
        order.verify(bob).send("{\"from\":\"alice\",\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        assertThat(routed.getValue().type()).isEqualTo("offer");
        assertThat(routed.getValue().from()).isEqualTo("alice");
        assertThat(routed.getValue().to()).isEqualTo("bob");
        assertThat(routed.getValue().frame()).isEqualTo(sent(bob).get(1));
    }

    @Test
    void rejectionIsReportedWithSenderTypePeerAndMidOnceTheSenderWasTold() {
        hub(HubConfig.builder().offlineQueue(OfflineQueuePolicy.DISABLED));
        Connection alice = connection("alice");
        Session a = hub.open(alice, "alice");
        a.onText("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":\"before\"}");
        a.onText(register("alice"));
        a.onText("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\",\"mid\":{\"n\":7}}");

        InOrder order = inOrder(alice, listener);
        order.verify(alice).send(argThat(f -> f.contains(ErrorCodes.NOT_REGISTERED)));
        order.verify(listener).rejected(new Rejection("alice", ErrorCodes.NOT_REGISTERED,
                "send register before 'offer'", "offer", "bob", "\"before\""));
        order.verify(alice).send(argThat(f -> f.contains(ErrorCodes.PEER_NOT_FOUND)));
        ArgumentCaptor<Rejection> rejection = ArgumentCaptor.forClass(Rejection.class);
        order.verify(listener).rejected(rejection.capture());
        Rejection r = rejection.getValue();
        assertThat(r).isEqualTo(new Rejection("alice", ErrorCodes.PEER_NOT_FOUND, r.message(), "offer", "carol",
                "{\"n\":7}"));
        assertThat(TestFrames.json(sent(alice).get(2)).get("message").getAsString())
                .as("the listener gets the sentence the client got").isEqualTo(r.message());
    }

    @Test
    void leftIsReportedOnceAndLastWithTheCloseCodeAndReason() {
        hub(HubConfig.builder());
        Connection alice = connection("alice");
        Connection bob = connection("bob");
        Session a = hub.open(alice, "alice");
        Session b = hub.open(bob, "bob");
        a.onText(register("alice"));
        b.onText(register("bob"));
        a.onText(offer("bob"));
        a.onClose(CloseCodes.ABNORMAL, null);
        a.onClose(CloseCodes.NORMAL, "again");
        assertThat(hub.disconnect("alice", CloseCodes.POLICY_VIOLATION, "late")).isFalse();
        b.onText("{\"type\":\"ping\"}");
        hub.close();

        verify(listener).left("alice", CloseCodes.ABNORMAL, "");
        verify(listener).left("bob", CloseCodes.GOING_AWAY, "server shutting down");
        verify(listener, times(2)).left(anyString(), anyInt(), anyString());
        assertThat(lastEventNaming("alice")).isEqualTo("left");
        assertThat(lastEventNaming("bob")).isEqualTo("left");
    }

    @Test
    void aConnectionThatNeverRegisteredNeverLeaves() {
        hub(HubConfig.builder().registerTimeout(Duration.ofSeconds(1)));
        Connection idle = connection("idle");
        Connection quitter = connection("quitter");
        hub.open(idle, "idle");
        hub.open(quitter, "quitter").onClose(CloseCodes.NORMAL, "");
        time.advance(Duration.ofSeconds(1));

        verify(listener).connected(eq("idle"), any());
        verify(listener).rejected(argThat(r -> r.code().equals(ErrorCodes.REGISTER_TIMEOUT) && r.sender().equals("idle")));
        verify(listener, never()).registered(anyString());
        verify(listener, never()).left(anyString(), anyInt(), anyString());
    }

    @Test
    void aResumeIsASecondRegisteredWithNoLeftAndLeftComesOnlyWhenTheGraceEnds() {
        hub(withTokens().resumeGrace(Duration.ofSeconds(10)));
        Session first = hub.open(connection("alice"), "alice");
        first.onText(register("alice", TOKEN));
        first.onClose(CloseCodes.ABNORMAL, "");
        time.advance(Duration.ofSeconds(9));
        verify(listener, never()).left(anyString(), anyInt(), anyString());

        Session second = hub.open(connection("alice"), "alice");
        second.onText(register("alice", TOKEN));
        time.advance(Duration.ofSeconds(10));
        verify(listener, never()).left(anyString(), anyInt(), anyString());

        second.onClose(CloseCodes.ABNORMAL, "network lost");
        time.advance(Duration.ofMillis(9_999));
        verify(listener, never()).left(anyString(), anyInt(), anyString());
        time.advance(Duration.ofMillis(1));

        InOrder order = inOrder(listener);
        order.verify(listener, times(2)).registered("alice");
        order.verify(listener).left("alice", CloseCodes.ABNORMAL, "network lost");
        verify(listener, times(1)).left(anyString(), anyInt(), anyString());
    }

    @Test
    void aReplacementIsASecondRegisteredWithNoLeft() {
        hub(withTokens());
        Connection old = connection("alice");
        hub.open(old, "alice").onText(register("alice", TOKEN));
        Session newer = hub.open(connection("alice"), "alice");
        newer.onText(register("alice", TOKEN));
        verify(old).close(CloseCodes.REPLACED, "replaced by a newer connection");
        verify(listener, times(2)).registered("alice");
        verify(listener, never()).left(anyString(), anyInt(), anyString());

        newer.onClose(CloseCodes.NORMAL, "");
        verify(listener).left("alice", CloseCodes.NORMAL, "");
    }

    @Test
    void noListenerEventCarriesAToken() {
        hub(withTokens());
        Session alice = hub.open(connection("alice"), "alice");
        alice.onText(register("alice", TOKEN));
        Session bob = hub.open(connection("bob"), "bob");
        bob.onText(register("bob", TOKEN)); // alice's token is not bob's
        Session bob2 = hub.open(connection("bob"), "bob");
        bob2.onText(register("bob", TOKEN + "-b"));
        alice.onText(offer("bob"));
        alice.onClose(CloseCodes.NORMAL, "");
        hub.close();

        List<Invocation> events = new ArrayList<>(mockingDetails(listener).getInvocations());
        assertThat(events).extracting(i -> i.getMethod().getName())
                .contains("connected", "registered", "rejected", "routed", "left");
        for (Invocation event : events) {
            assertThat(Arrays.toString(event.getArguments())).as(event.toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aListenerThatThrowsOnEveryEventChangesNothingTheClientsSee() {
        HubListener broken = mock(HubListener.class, inv -> {
            throw new IllegalStateException("metrics backend down");
        });
        List<List<String>> withBroken = conversation(broken);
        List<List<String>> withSilent = conversation(HubListener.none());
        assertThat(withBroken).isEqualTo(withSilent);
        assertThat(withBroken.get(0)).hasSizeGreaterThan(3);
        assertThat(mockingDetails(broken).getInvocations()).extracting(i -> i.getMethod().getName())
                .contains("connected", "registered", "rejected", "routed", "left");
    }

    /** A short conversation with every kind of event; what each client received. */
    private List<List<String>> conversation(HubListener l) {
        ManualScheduler clock = new ManualScheduler();
        try (SignalingHub h = new SignalingHub(HubConfig.builder().listener(l).scheduler(clock).build())) {
            Connection alice = connection("alice");
            Connection bob = connection("bob");
            Session a = h.open(alice, "alice");
            Session b = h.open(bob, "bob");
            a.onText(register("alice"));
            b.onText(register("bob"));
            a.onText(offer("bob"));
            b.onText("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0\",\"mid\":1}");
            a.onText("{\"type\":\"offer\",\"to\":\"bob\"}");
            a.onText(offer("carol"));
            clock.advance(Duration.ofSeconds(6)); // carol never came: delivery-expired
            a.onClose(CloseCodes.ABNORMAL, "");
            b.onText("{\"type\":\"ping\"}");
            return List.of(sent(alice), sent(bob), h.peerIds());
        }
    }

    /** The name of the listener's last event that named {@code id}. */
    private String lastEventNaming(String id) {
        String last = null;
        for (Invocation i : mockingDetails(listener).getInvocations()) {
            Object first = i.getArguments().length == 0 ? null : i.getArgument(0);
            boolean names = id.equals(first)
                    || (first instanceof Envelope e && (id.equals(e.from()) || id.equals(e.to())))
                    || (first instanceof Rejection r && id.equals(r.sender()));
            if (names) {
                last = i.getMethod().getName();
            }
        }
        return last;
    }
}
