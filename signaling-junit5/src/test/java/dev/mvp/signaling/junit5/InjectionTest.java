package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.client.SignalingClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Parameters the extension gives tests: the server's addresses, the test's recording and faults, clients. */
class InjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static SignalingServerExtension server = SignalingServerExtension.newInstance().build();

    @Test
    void injectedClientsAreConnectedAndRegistered(@Client("alice") SignalingClient alice,
                                                  @Client("bob") SignalingClient bob) {
        assertThat(alice.state()).isEqualTo(SignalingClient.State.REGISTERED);
        alice.sendOffer("bob", "v=0");

        assertThat(bob.awaitOffer(WAIT).from()).isEqualTo("alice");
        assertThat(server.hub().peerIds()).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void theInfoParameterPointsAtTheServer(SignalingServerInfo info) throws Exception {
        assertThat(info.port()).isEqualTo(server.port());
        assertThat(info.url("alice")).hasToString("ws://127.0.0.1:" + server.port() + "/ws/alice");
        assertThat(info.uri()).hasToString("ws://127.0.0.1:" + server.port());
        assertThat(info.httpUri("/status")).hasToString("http://127.0.0.1:" + server.port() + "/status");

        HttpResponse<String> status = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(info.httpUri("/status")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"registeredPeers\":0");
    }

    @Test
    void theRecordingAndFaultsParametersAreTheTestsOwn(Recording recording, Faults faults,
                                                       @Client("alice") SignalingClient alice) {
        assertThat(recording).isSameAs(server.recording());
        assertThat(faults).isSameAs(server.faults());
        assertThat(recording.peerEvents()).extracting(PeerEvent::toString).containsExactly("alice registered");
    }

    @Test
    void clientsAreClosedAfterTheTestAndTheirIdsAreFreeAgain() {
        TestExecutionSummary s = JUnitRun.run(KeepsItsClient.class, Map.of());

        assertThat(s.getTestsSucceededCount()).as(JUnitRun.failures(s)).isEqualTo(2);
        assertThat(KeepsItsClient.kept).extracting(SignalingClient::state)
                .containsOnly(SignalingClient.State.CLOSED);
        assertThat(KeepsItsClient.kept).hasSize(2);
    }

    static class KeepsItsClient {
        static final java.util.List<SignalingClient> kept = new java.util.concurrent.CopyOnWriteArrayList<>();

        @RegisterExtension
        static SignalingServerExtension server = SignalingServerExtension.newInstance().build();

        @Test
        void first(@Client("alice") SignalingClient alice) {
            kept.add(alice);
        }

        @Test
        void second(@Client("alice") SignalingClient alice) {
            kept.add(alice); // alice again: the first test's alice is gone
            assertThat(server.recording().registrations("alice")).isEqualTo(1);
        }
    }
}
