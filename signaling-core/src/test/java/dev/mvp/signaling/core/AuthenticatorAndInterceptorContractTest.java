package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.connection;
import static dev.mvp.signaling.core.MockConnections.errorCodes;
import static dev.mvp.signaling.core.MockConnections.offer;
import static dev.mvp.signaling.core.MockConnections.register;
import static dev.mvp.signaling.core.MockConnections.sentTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * What an {@link Authenticator} and a {@link MessageInterceptor} are given and when: the authenticator
 * once per register that passed the id checks, with the id, the token and the connection's handshake,
 * on the reporting thread and before the id is claimed; an interceptor once per routable message that
 * passed its checks, on the sender's thread, with the stamped frame. And extensions that throw do not
 * break the hub.
 */
class AuthenticatorAndInterceptorContractTest {
    private final ManualScheduler time = new ManualScheduler();
    private final PeerDirectory directory = mock(PeerDirectory.class, delegatesTo(PeerDirectory.inMemory()));
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private SignalingHub hub;

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private SignalingHub hub(HubConfig.Builder config) {
        hub = new SignalingHub(config.scheduler(time).directory(directory).build());
        return hub;
    }

    @Test
    void authenticatorIsAskedOnceWithIdTokenAndHandshakeBeforeTheIdIsClaimed() {
        Authenticator authenticator = mock(Authenticator.class);
        when(authenticator.authenticate(any())).thenAnswer(inv -> {
            threads.add(Thread.currentThread());
            return AuthResult.accepted();
        });
        hub(HubConfig.builder().authenticator(authenticator));
        Connection alice = connection("alice");
        Session a = hub.open(alice, "alice");
        a.onText(register("alice", "t0k"));
        a.onText(register("alice", "t0k")); // re-confirmed without asking again

        InOrder order = inOrder(authenticator, directory);
        order.verify(authenticator).authenticate(new AuthRequest("alice", "t0k", MockConnections.handshake("alice")));
        order.verify(directory).putIfAbsent(eq("alice"), any());
        verify(authenticator, times(1)).authenticate(any());
        assertThat(threads).containsExactly(Thread.currentThread());
        assertThat(sentTypes(alice)).containsExactly("registered", "registered");
    }

    @Test
    void authenticatorIsNotAskedForARegisterThatFailsItsOwnChecks() {
        Authenticator authenticator = mock(Authenticator.class);
        when(authenticator.authenticate(any())).thenReturn(AuthResult.accepted());
        hub(HubConfig.builder().authenticator(authenticator));
        Connection alice = connection("alice");
        Session a = hub.open(alice, "alice");
        a.onText("{\"type\":\"register\"}");
        a.onText("{\"type\":\"register\",\"id\":\"\"}");
        a.onText("{\"type\":\"register\",\"id\":\"bob\"}");
        verify(authenticator, never()).authenticate(any());

        a.onText("{\"type\":\"register\",\"id\":\"alice\",\"token\":null}");
        a.onText("{\"type\":\"register\",\"id\":\"carol\"}"); // already registered as alice
        ArgumentCaptor<AuthRequest> request = ArgumentCaptor.forClass(AuthRequest.class);
        verify(authenticator).authenticate(request.capture());
        assertThat(request.getValue().token()).as("a null token is no token").isNull();
        assertThat(errorCodes(alice)).containsExactly(ErrorCodes.MISSING_FIELD, ErrorCodes.INVALID_ID,
                ErrorCodes.ID_MISMATCH, ErrorCodes.ALREADY_REGISTERED);
    }

    @Test
    void aRefusedRegistrationNeverReachesTheDirectory() {
        Authenticator authenticator = mock(Authenticator.class);
        when(authenticator.authenticate(any())).thenReturn(AuthResult.rejected(ErrorCodes.UNAUTHORIZED, "no"));
        hub(HubConfig.builder().authenticator(authenticator));
        hub.open(connection("alice"), "alice").onText(register("alice"));
        verify(directory, never()).putIfAbsent(anyString(), any());
        assertThat(hub.stats().connections()).isZero();
        assertThat(hub.stats().registeredPeers()).isZero();
    }

    @Test
    void interceptorSeesEachRoutableMessageOnceOnTheSendersThreadAfterItsChecks() {
        MessageInterceptor interceptor = mock(MessageInterceptor.class);
        doAnswer(inv -> {
            threads.add(Thread.currentThread());
            inv.<MessageInterceptor.Chain>getArgument(1).proceed();
            return null;
        }).when(interceptor).intercept(any(), any());
        hub(HubConfig.builder().addInterceptor(interceptor).addRoutableType("renegotiate"));
        Connection bob = connection("bob");
        Session a = hub.open(connection("alice"), "alice");
        a.onText(offer("bob")); // not registered yet
        a.onText(register("alice"));
        hub.open(bob, "bob").onText(register("bob"));
        a.onText("{\"type\":\"ping\"}");
        a.onText("{\"type\":\"offer\",\"from\":\"mallory\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
        a.onText("{\"type\":\"offer\",\"to\":\"bob\"}");
        a.onText("{\"type\":\"dance\",\"to\":\"bob\"}");
        verify(interceptor, never()).intercept(any(), any());

        a.onText("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":5}");
        a.onText("{\"type\":\"renegotiate\",\"to\":\"bob\"}");
        a.onText("{\"type\":\"bye\",\"from\":\"alice\",\"to\":\"bob\"}");
        ArgumentCaptor<Envelope> seen = ArgumentCaptor.forClass(Envelope.class);
        verify(interceptor, times(3)).intercept(seen.capture(), any());
        assertThat(seen.getAllValues()).extracting(Envelope::type).containsExactly("offer", "renegotiate", "bye");
        Envelope first = seen.getAllValues().get(0);
        assertThat(first.from()).isEqualTo("alice");
        assertThat(first.to()).isEqualTo("bob");
        assertThat(first.mid()).isEqualTo("5");
        assertThat(first.frame()).isEqualTo("{\"from\":\"alice\",\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\",\"mid\":5}");
        assertThat(threads).containsOnly(Thread.currentThread());
        assertThat(sentTypes(bob)).containsExactly("registered", "offer", "renegotiate", "bye");
    }

    @Test
    void extensionsThatThrowDoNotBreakTheHub() {
        Authenticator authenticator = mock(Authenticator.class);
        when(authenticator.authenticate(any())).thenReturn(AuthResult.accepted());
        when(authenticator.authenticate(new AuthRequest("mallory", null, MockConnections.handshake("mallory"))))
                .thenThrow(new IllegalStateException("directory service down"));
        MessageInterceptor interceptor = mock(MessageInterceptor.class);
        doAnswer(inv -> {
            Envelope e = inv.getArgument(0);
            if (e.type().equals("candidate")) {
                throw new IllegalStateException("policy engine down");
            }
            inv.<MessageInterceptor.Chain>getArgument(1).proceed();
            return null;
        }).when(interceptor).intercept(any(), any());
        HubListener listener = mock(HubListener.class, inv -> {
            throw new IllegalStateException("metrics down");
        });
        hub(HubConfig.builder().authenticator(authenticator).addInterceptor(interceptor).listener(listener));

        Connection mallory = connection("mallory");
        Connection alice = connection("alice");
        Connection bob = connection("bob");
        hub.open(mallory, "mallory").onText(register("mallory"));
        Session a = hub.open(alice, "alice");
        a.onText(register("alice"));
        hub.open(bob, "bob").onText(register("bob"));
        a.onText(offer("bob"));
        a.onText("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":null}");
        a.onText(offer("bob"));

        assertThat(errorCodes(mallory)).containsExactly(ErrorCodes.INTERNAL_ERROR);
        verify(mallory).close(CloseCodes.POLICY_VIOLATION, ErrorCodes.INTERNAL_ERROR);
        assertThat(errorCodes(alice)).containsExactly(ErrorCodes.INTERNAL_ERROR);
        assertThat(sentTypes(bob)).containsExactly("registered", "offer", "offer");
        assertThat(hub.peerIds()).containsExactly("alice", "bob");
        assertThat(hub.stats().messagesRouted()).isEqualTo(2);
    }
}
