package dev.mvp.signaling.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Automatic reconnection, driven by server-side faults. */
class ReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ReconnectPolicy FAST = ReconnectPolicy.exponentialBackoff(Duration.ofMillis(10),
            Duration.ofMillis(100));

    private final BlockingQueue<String> hubRegistrations = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private SignalingServer server;
    private SignalingClient alice;
    private SignalingClient bob;

    @BeforeEach
    void startServer() {
        HubListener recorder = new HubListener() {
            @Override
            public void registered(String id) {
                hubRegistrations.add(id);
            }
        };
        server = new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(0)
                .hubConfig(HubConfig.builder().listener(recorder).build()).build()).start();
    }

    @AfterEach
    void closeEverything() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
        server.close();
        Threads.assertNoClientThreadLeft();
    }

    private SignalingClient reconnecting(String id, ReconnectPolicy policy, URI url) {
        return SignalingClient.builder(url, id)
                .reconnect(policy)
                .listener(new SignalingListener() {
                    @Override
                    public void onRegistered(String who, boolean reconnected) {
                        events.add("registered " + who + (reconnected ? " again" : ""));
                    }

                    @Override
                    public void onDisconnected(int code, String reason, boolean reconnecting) {
                        events.add("disconnected " + code + (reconnecting ? ", reconnecting" : ""));
                    }
                })
                .build()
                .connect();
    }

    @Test
    void comesBackAndReRegistersAfterTheServerDisconnectsIt() throws Exception {
        alice = reconnecting("alice", FAST, server.webSocketUri("alice"));
        bob = SignalingClient.connect(server.webSocketUri("bob"), "bob");

        server.hub().disconnect("alice", CloseCodes.GOING_AWAY, "test fault");

        alice.awaitRegistrations(2, WAIT);
        assertThat(alice.state()).isEqualTo(SignalingClient.State.REGISTERED);
        // the hub tells its listener right after it sent the confirmation, so the third event may lag
        assertThat(List.of(nextRegistration(), nextRegistration(), nextRegistration()))
                .containsExactly("alice", "bob", "alice");
        assertThat(events).containsExactly("registered alice", "disconnected 1001, reconnecting",
                "registered alice again");

        bob.sendOffer("alice", ChromiumSession.offerSdp());
        assertThat(alice.awaitOffer(WAIT).sdp()).isEqualTo(ChromiumSession.offerSdp());
        alice.sendAnswer("bob", ChromiumSession.answerSdp());
        assertThat(bob.awaitAnswer(WAIT).from()).isEqualTo("alice");
    }

    private String nextRegistration() throws InterruptedException {
        String id = hubRegistrations.poll(5, TimeUnit.SECONDS);
        assertThat(id).as("a registration the hub reported").isNotNull();
        return id;
    }

    @Test
    void doesNotReconnectAfterAPolicyClose() throws Exception {
        CountDownLatch disconnected = new CountDownLatch(1);
        boolean[] willReconnect = {true};
        alice = SignalingClient.builder(server.webSocketUri("alice"), "alice")
                .reconnect(FAST)
                .listener(new SignalingListener() {
                    @Override
                    public void onDisconnected(int code, String reason, boolean reconnecting) {
                        willReconnect[0] = reconnecting;
                        disconnected.countDown();
                    }
                })
                .build().connect();

        server.hub().disconnect("alice", CloseCodes.POLICY_VIOLATION, "banned");

        assertThat(disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(willReconnect[0]).isFalse();
        assertThat(alice.state()).isEqualTo(SignalingClient.State.DISCONNECTED);
        assertThat(alice.registrations()).isEqualTo(1);
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        List<SignalingException> causes = new CopyOnWriteArrayList<>();
        alice = SignalingClient.builder(server.webSocketUri("alice"), "alice")
                .reconnect(FAST.withMaxAttempts(3))
                .timeout(Duration.ofSeconds(2))
                .listener(new SignalingListener() {
                    @Override
                    public void onReconnectFailed(SignalingException cause) {
                        causes.add(cause);
                        gaveUp.countDown();
                    }
                })
                .build().connect();

        server.close(); // nobody listens on the port any more

        assertThat(gaveUp.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.state()).isEqualTo(SignalingClient.State.DISCONNECTED);
        assertThat(causes).singleElement().satisfies(e -> assertThat(e.error()).isNull());
    }
}
