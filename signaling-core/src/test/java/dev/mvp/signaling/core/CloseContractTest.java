package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.closes;
import static dev.mvp.signaling.core.MockConnections.connection;
import static dev.mvp.signaling.core.MockConnections.errorCodes;
import static dev.mvp.signaling.core.MockConnections.offer;
import static dev.mvp.signaling.core.MockConnections.register;
import static dev.mvp.signaling.core.MockConnections.sentTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The close code and reason the hub passes to {@link Connection#close} in each case docs/PROTOCOL.md lists,
 * always after the error frame that says why, exactly once; and the cases where it must not close at all.
 */
class CloseContractTest {
    private final ManualScheduler time = new ManualScheduler();
    private SignalingHub hub;

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private SignalingHub hub(HubConfig.Builder config) {
        hub = new SignalingHub(config.scheduler(time).build());
        return hub;
    }

    /** The error frame with {@code code} went out, then the connection was closed once with code and reason. */
    private static void assertErrorThenClose(Connection c, String code, int closeCode, String reason) {
        InOrder order = inOrder(c);
        order.verify(c).send(argThat(f -> f.contains("\"type\":\"error\"") && f.contains("\"code\":\"" + code + "\"")));
        order.verify(c).close(closeCode, reason);
        order.verifyNoMoreInteractions();
        assertThat(closes(c)).as("close calls").isEqualTo(1);
    }

    @Test
    void invalidPathIdIsClosedWithPolicyViolation() {
        Connection c = connection("x");
        hub(HubConfig.builder()).open(c, "not valid!");
        assertErrorThenClose(c, ErrorCodes.INVALID_ID, CloseCodes.POLICY_VIOLATION, "invalid id");
    }

    @Test
    void connectionOverTheMaximumIsClosedWithTryAgainLater() {
        hub(HubConfig.builder().maxConnections(1));
        Connection first = connection("a");
        Connection second = connection("b");
        hub.open(first, "a");
        hub.open(second, "b");
        assertErrorThenClose(second, ErrorCodes.SERVER_FULL, CloseCodes.TRY_AGAIN_LATER, "server full");
        verify(first, never()).close(anyInt(), anyString());
    }

    @Test
    void peerOverTheMaximumIsClosedWithTryAgainLater() {
        hub(HubConfig.builder().maxPeers(1));
        Connection second = connection("b");
        hub.open(connection("a"), "a").onText(register("a"));
        hub.open(second, "b").onText(register("b"));
        assertErrorThenClose(second, ErrorCodes.SERVER_FULL, CloseCodes.TRY_AGAIN_LATER, "server full");
    }

    @Test
    void registerDeadlineClosesWithPolicyViolation() {
        hub(HubConfig.builder().registerTimeout(Duration.ofSeconds(3)));
        Connection idle = connection("idle");
        hub.open(idle, "idle");
        time.advance(Duration.ofMillis(2999));
        verify(idle, never()).close(anyInt(), anyString());
        time.advance(Duration.ofMillis(1));
        assertErrorThenClose(idle, ErrorCodes.REGISTER_TIMEOUT, CloseCodes.POLICY_VIOLATION, "register timeout");
    }

    @Test
    void refusedAuthenticationClosesWithPolicyViolationAndTheCodeAsReason() {
        hub(HubConfig.builder().authenticator(Authenticator.staticTokens(Map.of("alice", "s3cret"))));
        Connection missing = connection("alice");
        Connection wrong = connection("alice");
        hub.open(missing, "alice").onText(register("alice"));
        hub.open(wrong, "alice").onText(register("alice", "guess"));
        assertErrorThenClose(missing, ErrorCodes.TOKEN_MISSING, CloseCodes.POLICY_VIOLATION, ErrorCodes.TOKEN_MISSING);
        assertErrorThenClose(wrong, ErrorCodes.TOKEN_INVALID, CloseCodes.POLICY_VIOLATION, ErrorCodes.TOKEN_INVALID);
    }

    @Test
    void customRejectionCodeIsTheCloseReason() {
        hub(HubConfig.builder().authenticator(r -> AuthResult.rejected("banned", "this id is banned")));
        Connection c = connection("alice");
        hub.open(c, "alice").onText(register("alice"));
        assertErrorThenClose(c, "banned", CloseCodes.POLICY_VIOLATION, "banned");
    }

    @Test
    void authenticatorThatThrowsOrAnswersNullClosesWithInternalError() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>(new IllegalStateException("database down"));
        hub(HubConfig.builder().authenticator(r -> {
            RuntimeException e = failure.getAndSet(null);
            if (e != null) {
                throw e;
            }
            return null;
        }));
        Connection throwing = connection("alice");
        Connection nulled = connection("bob");
        hub.open(throwing, "alice").onText(register("alice"));
        hub.open(nulled, "bob").onText(register("bob"));
        assertErrorThenClose(throwing, ErrorCodes.INTERNAL_ERROR, CloseCodes.POLICY_VIOLATION, ErrorCodes.INTERNAL_ERROR);
        assertErrorThenClose(nulled, ErrorCodes.INTERNAL_ERROR, CloseCodes.POLICY_VIOLATION, ErrorCodes.INTERNAL_ERROR);
    }

    @Test
    void sustainedFloodIsClosedWithPolicyViolationAfterRateLimitedErrors() {
        hub(HubConfig.builder().rateLimit(new RateLimit(1, 2))); // the clock stands still: no refill
        Connection c = connection("alice");
        Session s = hub.open(c, "alice");
        s.onText(register("alice"));
        s.onText("{\"type\":\"ping\"}");
        for (int i = 0; i < 3; i++) {
            s.onText("{\"type\":\"ping\"}");
        }
        s.onText("{\"type\":\"ping\"}"); // after the close: ignored
        assertThat(sentTypes(c)).containsExactly("registered", "pong", "error", "error", "error");
        assertThat(errorCodes(c)).containsOnly(ErrorCodes.RATE_LIMITED);
        verify(c).close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
        assertThat(closes(c)).isEqualTo(1);
    }

    @Test
    void holderIsClosedWithReplacedWhenTheSameVerifiedTokenComesBack() {
        hub(HubConfig.builder().authenticator(Authenticator.staticTokens(Map.of("alice", "s3cret")))
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN));
        Connection old = connection("alice");
        Connection newer = connection("alice");
        hub.open(old, "alice").onText(register("alice", "s3cret"));
        hub.open(newer, "alice").onText(register("alice", "s3cret"));
        verify(old).close(CloseCodes.REPLACED, "replaced by a newer connection");
        assertThat(closes(old)).isEqualTo(1);
        verify(newer, never()).close(anyInt(), anyString());
        assertThat(sentTypes(newer)).containsExactly("registered");
    }

    @Test
    void clientThatDoesNotReadIsClosedWithSlowConsumer() {
        hub(HubConfig.builder().maxBufferedBytes(1000));
        Connection alice = connection("alice");
        Connection bob = connection("bob");
        Session a = hub.open(alice, "alice");
        hub.open(bob, "bob").onText(register("bob"));
        a.onText(register("alice"));
        when(bob.bufferedBytes()).thenReturn(1001L);
        a.onText(offer("bob"));
        verify(bob).close(CloseCodes.SLOW_CONSUMER, "too slow: more than 1000 bytes waiting to be sent");
        assertThat(closes(bob)).isEqualTo(1);
        verify(bob, never()).send(argThat(f -> f.contains("\"type\":\"offer\"")));
        verify(alice, never()).close(anyInt(), anyString());
    }

    @Test
    void hubCloseEndsRegisteredAndUnregisteredConnectionsWithGoingAway() {
        hub(HubConfig.builder());
        Connection registered = connection("alice");
        Connection unregistered = connection("bob");
        hub.open(registered, "alice").onText(register("alice"));
        hub.open(unregistered, "bob");
        hub.close();
        hub.close();
        verify(registered).close(CloseCodes.GOING_AWAY, "server shutting down");
        verify(unregistered).close(CloseCodes.GOING_AWAY, "server shutting down");
        assertThat(closes(registered) + closes(unregistered)).isEqualTo(2);

        Connection late = connection("carol");
        hub.open(late, "carol");
        verify(late).close(CloseCodes.GOING_AWAY, "server shutting down");
    }

    @Test
    void disconnectPassesTheCallersCodeAndReason() {
        hub(HubConfig.builder());
        Connection c = connection("alice");
        hub.open(c, "alice").onText(register("alice"));
        assertThat(hub.disconnect("alice", 4000, "removed by a moderator")).isTrue();
        assertThat(hub.disconnect("alice", 4000, "removed by a moderator")).isFalse();
        verify(c).close(4000, "removed by a moderator");
        assertThat(closes(c)).isEqualTo(1);
    }

    @Test
    void aTransportThatReportsTheCloseFromInsideCloseIsClosedOnce() {
        HubListener listener = org.mockito.Mockito.mock(HubListener.class);
        hub(HubConfig.builder().listener(listener));
        Connection c = connection("alice");
        AtomicReference<Session> session = new AtomicReference<>();
        doAnswer(inv -> {
            session.get().onClose(inv.getArgument(0), inv.getArgument(1));
            return null;
        }).when(c).close(anyInt(), anyString());
        session.set(hub.open(c, "alice"));
        session.get().onText(register("alice"));
        hub.disconnect("alice", CloseCodes.POLICY_VIOLATION, "kicked");
        hub.close();
        assertThat(closes(c)).isEqualTo(1);
        verify(listener).left("alice", CloseCodes.POLICY_VIOLATION, "kicked");
    }

    @Test
    void connectionsTheClientClosedOrDroppedAreNeverClosedByTheHub() {
        hub(HubConfig.builder());
        Connection closing = connection("alice");
        Connection dropping = connection("bob");
        Session a = hub.open(closing, "alice");
        Session b = hub.open(dropping, "bob");
        a.onText(register("alice"));
        b.onText(register("bob"));
        a.onText(offer("bob"));
        a.onClose(CloseCodes.NORMAL, "");
        b.onClose(CloseCodes.ABNORMAL, "");
        hub.close();
        verify(closing, never()).close(anyInt(), anyString());
        verify(dropping, never()).close(anyInt(), anyString());
    }

    @Test
    void badInputIsAnsweredAndTheConnectionStaysOpen() {
        hub(HubConfig.builder().offlineQueue(OfflineQueuePolicy.DISABLED));
        Connection holder = connection("bob");
        hub.open(holder, "bob").onText(register("bob"));
        Connection c = connection("alice");
        Session s = hub.open(c, "alice");
        List<String> beforeRegister = List.of(
                "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}", // not-registered
                "{\"type\":\"register\"}", // missing-field
                "{\"type\":\"register\",\"id\":\"a b\"}", // invalid-id
                "{\"type\":\"register\",\"id\":\"bob\"}"); // id-mismatch
        beforeRegister.forEach(s::onText);
        s.onText(register("alice"));
        List<String> afterRegister = List.of(
                "not json", // invalid-json
                "{\"to\":\"bob\"}", // missing-field
                "{\"type\":\"dance\",\"to\":\"bob\"}", // unknown-type
                "{\"type\":\"register\",\"id\":\"carol\"}", // already-registered
                "{\"type\":\"offer\",\"from\":\"mallory\",\"to\":\"bob\",\"sdp\":\"v=0\"}", // from-mismatch
                "{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\"}", // peer-not-found
                "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":7}", // invalid-field
                "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}"); // message-too-large
        afterRegister.forEach(s::onText);
        s.onBinary(16);
        s.onText("{\"type\":\"ping\"}");
        assertThat(errorCodes(c)).containsExactly(
                ErrorCodes.NOT_REGISTERED, ErrorCodes.MISSING_FIELD, ErrorCodes.INVALID_ID, ErrorCodes.ID_MISMATCH,
                ErrorCodes.INVALID_JSON, ErrorCodes.MISSING_FIELD, ErrorCodes.UNKNOWN_TYPE,
                ErrorCodes.ALREADY_REGISTERED, ErrorCodes.FROM_MISMATCH, ErrorCodes.PEER_NOT_FOUND,
                ErrorCodes.INVALID_FIELD, ErrorCodes.MESSAGE_TOO_LARGE, ErrorCodes.BINARY_NOT_SUPPORTED);
        assertThat(sentTypes(c)).last().isEqualTo("pong");
        verify(c, never()).close(anyInt(), anyString());
        verify(holder, never()).close(anyInt(), anyString());
    }

    @Test
    void idTakenLeavesBothConnectionsOpen() {
        hub(HubConfig.builder());
        Connection holder = connection("alice");
        Connection newcomer = connection("alice");
        hub.open(holder, "alice").onText(register("alice"));
        hub.open(newcomer, "alice").onText(register("alice"));
        assertThat(errorCodes(newcomer)).containsExactly(ErrorCodes.ID_TAKEN);
        verify(holder, never()).close(anyInt(), anyString());
        verify(newcomer, never()).close(anyInt(), anyString());
    }
}
