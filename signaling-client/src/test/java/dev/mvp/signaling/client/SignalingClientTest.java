package dev.mvp.signaling.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against the real WebSocket server on port 0. */
class SignalingClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SignalingServer server;

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (server != null) {
            server.close();
        }
        Threads.assertNoClientThreadLeft();
    }

    private SignalingServer start(HubConfig hub) {
        server = new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(0).hubConfig(hub).build()).start();
        return server;
    }

    private SignalingClient connect(String id) {
        return track(SignalingClient.connect(server.webSocketUri(id), id));
    }

    private SignalingClient track(SignalingClient client) {
        toClose.add(client);
        return client;
    }

    @Test
    void recordedChromiumHandshakeGoesThroughUnchanged() {
        start(HubConfig.defaults());
        SignalingClient bob = connect("bob");
        SignalingClient alice = connect("alice");

        alice.sendOffer("bob", ChromiumSession.offerSdp());
        alice.sendCandidate("bob", ChromiumSession.aliceCandidate());
        SignalingMessage offer = bob.awaitOffer(WAIT);
        assertThat(offer.from()).isEqualTo("alice");
        assertThat(offer.sdp()).isEqualTo(ChromiumSession.offerSdp());
        SignalingMessage candidate = bob.awaitCandidate(WAIT);
        assertThat(candidate.candidate()).isEqualTo(ChromiumSession.aliceCandidate());

        bob.sendAnswer("alice", ChromiumSession.answerSdp());
        assertThat(alice.awaitAnswer(WAIT).sdp()).isEqualTo(ChromiumSession.answerSdp());

        alice.sendBye("bob");
        SignalingMessage bye = bob.awaitBye(WAIT);
        assertThat(bye.from()).isEqualTo("alice");
        assertThat(bob.drainMessages()).isEmpty();
    }

    @Test
    void sessionDescriptionObjectsFromABrowserAppReadAsTheSdpText() {
        start(HubConfig.defaults());
        SignalingClient bob = connect("bob");
        SignalingClient alice = connect("alice");
        List<String> browser = ChromiumSession.objectSdpFrames(); // register, register, offer, candidate, answer, ...

        alice.sendRaw(browser.get(2));
        alice.sendRaw(browser.get(3));
        SignalingMessage offer = bob.awaitOffer(WAIT);
        assertThat(offer.json()).isEqualTo(browser.get(2));
        assertThat(offer.sdp()).isEqualTo(ChromiumSession.offerSdp());
        assertThat(bob.awaitCandidate(WAIT).candidate()).isEqualTo(ChromiumSession.aliceCandidate());

        bob.sendRaw(browser.get(4));
        assertThat(alice.awaitAnswer(WAIT).sdp()).isEqualTo(ChromiumSession.answerSdp());
    }

    @Test
    void bareCandidateLineReadsAsACandidateWithoutMediaSection() {
        start(HubConfig.defaults());
        SignalingClient bob = connect("bob");
        SignalingClient alice = connect("alice");
        String line = ChromiumSession.aliceCandidate().candidate();

        alice.sendRaw("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"" + line + "\"}");
        alice.sendRaw("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"\"}");

        SignalingMessage candidate = bob.awaitCandidate(WAIT);
        assertThat(candidate.candidate()).isEqualTo(new IceCandidate(line, null, null, null));
        assertThat(candidate.isEndOfCandidates()).isFalse();
        assertThat(bob.awaitCandidate(WAIT).isEndOfCandidates()).isTrue();
    }

    @Test
    void rawFramesKeepFieldsTheClientHasNoGetterFor() {
        start(HubConfig.defaults());
        SignalingClient bob = connect("bob");
        SignalingClient alice = connect("alice");

        String recorded = ChromiumSession.frames().get(3); // alice's candidate, with "from":"alice"
        alice.sendRaw(recorded);
        SignalingMessage received = bob.awaitCandidate(WAIT);
        assertThat(received.json()).isEqualTo(recorded);
        assertThat(received.member("candidate")).contains("\"usernameFragment\":\"LJ/+\"");
    }

    @Test
    void endOfCandidatesIsSentAsNull() {
        start(HubConfig.defaults());
        SignalingClient bob = connect("bob");
        SignalingClient alice = connect("alice");

        alice.sendEndOfCandidates("bob");
        SignalingMessage end = bob.awaitCandidate(WAIT);
        assertThat(end.isEndOfCandidates()).isTrue();
        assertThat(end.candidate()).isNull();
        assertThat(end.member("candidate")).isEqualTo("null");
    }

    @Test
    void candidateWithNullMidKeepsItsIndex() {
        start(HubConfig.defaults());
        SignalingClient bob = connect("bob");
        SignalingClient alice = connect("alice");

        IceCandidate sent = new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host", null, 0, null);
        alice.sendCandidate("bob", sent);
        SignalingMessage m = bob.awaitCandidate(WAIT);
        assertThat(m.candidate()).isEqualTo(sent);
        assertThat(m.json()).contains("\"sdpMid\":null");
    }

    /** A hub that answers a message to an absent peer at once instead of holding it for a while. */
    private static HubConfig noHolding() {
        return HubConfig.builder().offlineQueue(OfflineQueuePolicy.DISABLED).build();
    }

    @Test
    void offerToUnknownPeerReturnsTypedPeerNotFound() {
        start(noHolding());
        SignalingClient alice = connect("alice");

        alice.sendRaw("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"x\",\"mid\":7}");
        SignalingError error = alice.awaitError(WAIT);
        assertThat(error.code()).isEqualTo(ErrorCodes.PEER_NOT_FOUND);
        assertThat(error.peer()).isEqualTo("carol");
        assertThat(error.ref()).isEqualTo("offer");
        assertThat(error.mid()).isEqualTo("7");
        assertThat(error.message()).contains("carol");
    }

    @Test
    void errorsReachTheListenerToo() throws Exception {
        start(noHolding());
        CountDownLatch errored = new CountDownLatch(1);
        List<SignalingError> errors = new CopyOnWriteArrayList<>();
        SignalingClient alice = track(SignalingClient.builder(server.webSocketUri("alice"), "alice")
                .listener(new SignalingListener() {
                    @Override
                    public void onError(SignalingError error) {
                        errors.add(error);
                        errored.countDown();
                    }
                })
                .build().connect());

        alice.sendBye("nobody");
        assertThat(errored.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(errors).extracting(SignalingError::code).containsExactly(ErrorCodes.PEER_NOT_FOUND);
    }

    @Test
    void messageHeldForAnAbsentPeerBouncesWithDeliveryExpired() {
        start(HubConfig.builder().offlineQueue(new OfflineQueuePolicy(Duration.ofMillis(50), 64, 64, 10_000)).build());
        SignalingClient alice = connect("alice");

        alice.sendRaw("{\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"x\",\"mid\":\"o1\"}");
        SignalingError error = alice.awaitError(WAIT);
        assertThat(error.code()).isEqualTo(ErrorCodes.DELIVERY_EXPIRED);
        assertThat(error.peer()).isEqualTo("carol");
        assertThat(error.mid()).isEqualTo("\"o1\"");
    }

    @Test
    void refusedTokenFailsConnectWithTheServersCode() {
        start(HubConfig.builder().authenticator(Authenticator.staticTokens(Map.of("alice", "right"))).build());
        SignalingClient alice = track(SignalingClient.builder(server.webSocketUri("alice"), "alice")
                .token("wrong").build());

        assertThatThrownBy(alice::connect)
                .isInstanceOfSatisfying(SignalingException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.TOKEN_INVALID);
                    assertThat(e.error().ref()).isEqualTo("register");
                    assertThat(e.getMessage()).doesNotContain("wrong");
                });
        assertThat(alice.state()).isEqualTo(SignalingClient.State.CLOSED);
        Threads.assertNoClientThreadLeft();
    }

    @Test
    void rightTokenRegisters() {
        start(HubConfig.builder().authenticator(Authenticator.staticTokens(Map.of("alice", "right"))).build());
        SignalingClient alice = track(SignalingClient.builder(server.webSocketUri("alice"), "alice")
                .token("right").build().connect());

        assertThat(alice.state()).isEqualTo(SignalingClient.State.REGISTERED);
        assertThat(alice.toString()).doesNotContain("right");
    }

    @Test
    void takenIdFailsConnectWithIdTaken() {
        start(HubConfig.defaults());
        connect("alice");

        assertThatThrownBy(() -> connect("alice"))
                .isInstanceOfSatisfying(SignalingException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCodes.ID_TAKEN));
    }

    @Test
    void unreachableServerFailsConnectWithoutAnError() {
        start(HubConfig.defaults());
        java.net.URI url = server.webSocketUri("alice");
        server.close();

        SignalingClient alice = track(SignalingClient.builder(url, "alice").timeout(WAIT).build());
        assertThatThrownBy(alice::connect)
                .isInstanceOfSatisfying(SignalingException.class, e -> assertThat(e.error()).isNull());
    }

    @Test
    void awaitTimesOutNamingWhatArrivedInstead() {
        start(HubConfig.defaults());
        SignalingClient bob = connect("bob");
        SignalingClient alice = connect("alice");
        alice.sendOffer("bob", ChromiumSession.offerSdp());
        alice.ping(WAIT); // the offer was routed before the pong came back

        assertThatThrownBy(() -> bob.awaitAnswer(Duration.ofMillis(50)))
                .isInstanceOf(SignalingTimeoutException.class)
                .hasMessageContaining("bob received no 'answer' within 50 ms")
                .hasMessageContaining("offer from alice");
        assertThat(bob.awaitOffer(WAIT).from()).isEqualTo("alice"); // still there for a later call
    }

    @Test
    void awaitFailsAtOnceWhenTheClientIsClosed() throws Exception {
        start(HubConfig.defaults());
        SignalingClient alice = connect("alice");
        CountDownLatch waiting = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread waiter = new Thread(() -> {
            waiting.countDown();
            try {
                alice.awaitOffer(Duration.ofSeconds(30));
            } catch (SignalingException e) {
                failures.add(e);
            }
        }, "test-waiter");
        waiter.start();
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

        alice.close();
        waiter.join(5000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("closed"));
    }

    @Test
    void closeTwiceIsNoOpAndConnectTwiceThrows() {
        start(HubConfig.defaults());
        SignalingClient alice = connect("alice");

        assertThatThrownBy(alice::connect).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connect() was called already");
        alice.close();
        alice.close();
        assertThat(alice.state()).isEqualTo(SignalingClient.State.CLOSED);
        assertThatThrownBy(() -> alice.sendBye("bob")).isInstanceOf(SignalingException.class)
                .hasMessageContaining("CLOSED");
    }

    @Test
    void sendBeforeConnectSaysWhatToDo() {
        start(HubConfig.defaults());
        SignalingClient alice = track(SignalingClient.builder(server.webSocketUri("alice"), "alice").build());

        assertThatThrownBy(() -> alice.sendOffer("bob", "x")).isInstanceOf(SignalingException.class)
                .hasMessageContaining("call connect() first");
    }

    @Test
    void closeLeavesNoThreadBehind() {
        start(HubConfig.defaults());
        SignalingClient alice = connect("alice");
        SignalingClient bob = connect("bob");
        assertThat(Threads.clientThreads()).contains("signaling-client-alice-reader", "signaling-client-bob-reader");

        alice.close();
        bob.close();

        Threads.assertNoClientThreadLeft();
    }

    @Test
    void closingFromTheListenerDoesNotDeadlock() throws Exception {
        start(HubConfig.defaults());
        CountDownLatch closed = new CountDownLatch(1);
        SignalingClient[] self = new SignalingClient[1];
        SignalingClient bob = track(SignalingClient.builder(server.webSocketUri("bob"), "bob")
                .listener(new SignalingListener() {
                    @Override
                    public void onMessage(SignalingMessage message) {
                        self[0].close();
                        closed.countDown();
                    }
                })
                .build());
        self[0] = bob;
        bob.connect();
        SignalingClient alice = connect("alice");

        alice.sendBye("bob");
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bob.state()).isEqualTo(SignalingClient.State.CLOSED);
    }

    @Test
    void serverShutdownWithoutReconnectEndsWaitsAtOnce() throws Exception {
        start(HubConfig.defaults());
        CountDownLatch disconnected = new CountDownLatch(1);
        int[] code = new int[1];
        SignalingClient alice = track(SignalingClient.builder(server.webSocketUri("alice"), "alice")
                .listener(new SignalingListener() {
                    @Override
                    public void onDisconnected(int closeCode, String reason, boolean reconnecting) {
                        code[0] = closeCode;
                        disconnected.countDown();
                    }
                })
                .build().connect());

        server.close();
        assertThat(disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(code[0]).isEqualTo(1001);
        assertThat(alice.state()).isEqualTo(SignalingClient.State.DISCONNECTED);
        assertThatThrownBy(() -> alice.awaitOffer(Duration.ofSeconds(30)))
                .isInstanceOf(SignalingException.class)
                .isNotInstanceOf(SignalingTimeoutException.class)
                .hasMessageContaining("code 1001");
    }

    @Test
    void pingReturnsOnceTheServerAnswered() {
        start(HubConfig.defaults());
        SignalingClient alice = connect("alice");

        assertThat(alice.ping(WAIT)).isPositive();
    }

    @Test
    void builderRejectsAnHttpUrl() {
        assertThatThrownBy(() -> SignalingClient.builder(java.net.URI.create("http://localhost:8000/ws/a"), "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws://");
    }

    @Test
    void closeRightAfterAMessageReachesTheServerAsACleanClose() throws Exception {
        // Regression: about one such close in twenty reached the server as a drop (1006), which keeps a
        // verified client's id for the resume grace. Two library races, one on each side: the client's
        // close() could close the socket before its close frame went out, and the server answers a close
        // frame before it marks the handshake done. Either alone still fails this test.
        List<Integer> codes = new CopyOnWriteArrayList<>();
        CountDownLatch allLeft = new CountDownLatch(40);
        start(HubConfig.builder()
                .authenticator(Authenticator.staticTokens(Map.of("alice", "alice-secret")))
                .resumeGrace(Duration.ofMinutes(1)) // a close misread as a drop would not leave in time
                .listener(new dev.mvp.signaling.core.HubListener() {
                    @Override
                    public void left(String id, int code, String reason) {
                        codes.add(code);
                        allLeft.countDown();
                    }
                })
                .build());
        for (int i = 0; i < 40; i++) {
            SignalingClient alice = SignalingClient.builder(server.webSocketUri("alice"), "alice")
                    .token("alice-secret").build().connect(); // returns as 'registered' is handled
            alice.close();
        }
        assertThat(allLeft.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(codes).containsOnly(1000);
    }
}
