package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.client.ReconnectPolicy;
import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.HubConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.jupiter.api.extension.RegisterExtension;

/** restart(), the builder's options, and failOnUnexpectedRejections. */
class RestartAndOptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final SignalingServerExtension server = SignalingServerExtension.newInstance()
            .offlineHold(Duration.ofMillis(100))
            .build();

    @Test
    void restartKeepsThePortAndAReconnectingAgentComesBack() {
        int port = server.port();
        try (SignalingClient alice = SignalingClient.builder(server.url("alice"), "alice")
                .reconnect(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(20), Duration.ofMillis(200)))
                .build().connect()) {
            server.restart();

            assertThat(server.port()).isEqualTo(port);
            alice.awaitRegistrations(2, WAIT);
            server.recording().awaitRegistrations("alice", 2, WAIT);
            assertThat(server.hub().peerIds()).containsExactly("alice");
        }
    }

    @Test
    void offlineHoldShortensTheWaitForAnAbsentPeer(@Client("alice") SignalingClient alice) {
        assertThat(server.hub().config().offlineQueue().holdFor()).isEqualTo(Duration.ofMillis(100));
        alice.sendOffer("carol", "v=0");

        assertThat(alice.awaitError(WAIT).code()).isEqualTo(ErrorCodes.DELIVERY_EXPIRED);
        server.recording().awaitRejected("alice", ErrorCodes.DELIVERY_EXPIRED, WAIT);
    }

    @Test
    void serverConfigKeepsWhatTheUserSet() throws IOException {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        try (SignalingServerExtension fixed = SignalingServerExtension.newInstance()
                .serverConfig(s -> s.port(free).pingInterval(Duration.ofSeconds(7))).build().start()) {
            assertThat(fixed.port()).isEqualTo(free);
            assertThat(fixed.server().config().host()).isEqualTo("127.0.0.1"); // the default, as nothing set it
            assertThat(fixed.server().config().pingInterval()).isEqualTo(Duration.ofSeconds(7));
        }
        assertThat(server.server().config().port()).isZero();
    }

    @Test
    void serverConfigCannotSetTheHub() {
        assertThatThrownBy(() -> SignalingServerExtension.newInstance()
                .serverConfig(s -> s.hubConfig(HubConfig.defaults())).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hubConfig(...)");
    }

    @Test
    void failOnUnexpectedRejectionsFailsTheTestListingThem() {
        TestExecutionSummary s = JUnitRun.run(Strict.class, Map.of());

        assertThat(s.getTestsSucceededCount()).as(JUnitRun.failures(s)).isEqualTo(1);
        assertThat(s.getTestsFailedCount()).isEqualTo(1);
        assertThat(JUnitRun.failures(s))
                .contains("sendsToNobody(SignalingClient)")
                .contains("1 message was rejected that the test did not expect")
                .contains("offer from alice to nobody REJECTED peer-not-found")
                .doesNotContain("awaitsTheRejection");
    }

    static class Strict {
        @RegisterExtension
        static SignalingServerExtension server = SignalingServerExtension.newInstance()
                .offlineHold(Duration.ZERO)
                .failOnUnexpectedRejections(true)
                .build();

        @Test
        void sendsToNobody(@Client("alice") SignalingClient alice) {
            alice.sendOffer("nobody", "v=0");
            alice.ping(WAIT); // the hub handles a connection's frames in order: the rejection is recorded now
            assertThat(server.recording().messages()).hasSize(1); // looked at, not expected
        }

        @Test
        void awaitsTheRejection(@Client("alice") SignalingClient alice) {
            alice.sendOffer("nobody", "v=0");
            server.recording().awaitRejected("alice", ErrorCodes.PEER_NOT_FOUND, WAIT);
        }
    }
}
