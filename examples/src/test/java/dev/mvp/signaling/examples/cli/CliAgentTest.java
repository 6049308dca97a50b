package dev.mvp.signaling.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.client.SignalingMessage;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.examples.ChromiumFrames;
import dev.mvp.signaling.junit5.RecordedMessage;
import dev.mvp.signaling.junit5.SignalingServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code listen} and {@code connect alice}, as two terminals would run them. */
class CliAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final SignalingServerExtension server = SignalingServerExtension.newInstance().build();

    private Map<String, String> env(String id) {
        return Map.of("AGENT_ID", id, "SIGNALING_URL", server.url(id).toString(), "MODE", "chat",
                "DATA_CHANNEL_LABEL", "mvp");
    }

    @Test
    void listenAndConnectCompleteTheSignalingHandshake() throws Exception {
        ByteArrayOutputStream aliceOut = new ByteArrayOutputStream();
        ByteArrayOutputStream bobOut = new ByteArrayOutputStream();
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() ->
                CliAgent.run(new String[] {"listen"}, env("alice"), new PrintStream(aliceOut, true), 1));
        server.recording().awaitRegistrations("alice", 1, WAIT);

        int connectExit = CliAgent.run(new String[] {"connect", "alice"}, env("bob"), new PrintStream(bobOut, true),
                1);

        assertThat(connectExit).isZero();
        assertThat(listening.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(bobOut.toString(StandardCharsets.UTF_8))
                .contains("answer from alice", "signaling handshake with alice complete");
        assertThat(aliceOut.toString(StandardCharsets.UTF_8))
                .contains("offer from bob", "signaling handshake with bob complete", "bob said bye");
        assertThat(server.recording().messages()).filteredOn(m -> m.outcome() == RecordedMessage.Outcome.ROUTED)
                .extracting(m -> m.type() + " " + m.from())
                .containsSubsequence("offer bob", "answer alice", "bye bob")
                .contains("candidate alice", "candidate bob");
    }

    @Test
    void listenAnswersABrowserAppThatSendsSessionDescriptionObjectsAndBareCandidateLines() throws Exception {
        ByteArrayOutputStream bobOut = new ByteArrayOutputStream();
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() ->
                CliAgent.run(new String[] {"listen"}, env("bob"), new PrintStream(bobOut, true), 1));
        server.recording().awaitRegistrations("bob", 1, WAIT);
        List<String> browser = ChromiumFrames.objectSdpLines(); // what alice's page sent to bob, in order

        try (SignalingClient alice = SignalingClient.connect(server.url("alice"), "alice")) {
            alice.sendRaw(browser.get(2)); // the offer, "sdp":{"type":"offer","sdp":"v=0..."}
            alice.sendRaw(browser.get(3)); // its candidate, as RTCIceCandidate.toJSON() writes it
            alice.sendRaw("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"candidate:2 1 udp 1 127.0.0.1 "
                    + "40000 typ host\"}");
            alice.sendRaw("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":\"\"}");
            SignalingMessage answer = alice.awaitAnswer(WAIT);
            assertThat(answer.sdp()).contains("placeholder from bob");
            while (!alice.awaitCandidate(WAIT).isEndOfCandidates()) {
                // the CLI's candidates; the last one ends them
            }
            alice.sendRaw(browser.get(6)); // bye
            assertThat(listening.get(5, TimeUnit.SECONDS)).isZero();
        }

        assertThat(bobOut.toString(StandardCharsets.UTF_8))
                .contains("offer from alice: SDP of 17 lines, session '-'",
                        "candidate from alice: candidate:3110102923 1 udp 2122260223 127.0.0.1 36322 typ host",
                        "candidate from alice: candidate:2 1 udp 1 127.0.0.1 40000 typ host",
                        "signaling handshake with alice complete", "alice said bye");
    }

    @Test
    void missingSettingsAreNamed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = CliAgent.run(new String[] {"listen"}, Map.of("AGENT_ID", "alice"), new PrintStream(out, true), 1);

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("set SIGNALING_URL");
    }

    @Test
    void callingNobodyFailsWithTheServersReason() {
        HubConfig quickBounce = HubConfig.builder()
                .offlineQueue(new OfflineQueuePolicy(Duration.ofMillis(50), 64, 64, 10_000)).build();
        try (SignalingServerExtension own = SignalingServerExtension.newInstance().hubConfig(quickBounce).build().start()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Map<String, String> env = Map.of("AGENT_ID", "bob", "SIGNALING_URL", own.url("bob").toString());

            int exit = CliAgent.run(new String[] {"connect", "carol"}, env, new PrintStream(out, true), 1);

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("carol did not answer", "delivery-expired");
        }
    }
}
