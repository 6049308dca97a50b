package dev.mvp.signaling.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.client.SignalingMessage;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.junit5.SignalingServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command-line agent's lines and exit status, against a real server with the other peer played by
 * a signaling client. No ICE check is ever sent: the fake peer announces no candidate, so the agent's
 * WebRTC stack only gathers its own and then waits, which is what the ICE timeout is for.
 */
class AgentMainTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHROMIUM_OFFER = chromiumOfferWithoutCandidates();

    @RegisterExtension
    final SignalingServerExtension server = SignalingServerExtension.newInstance().build();

    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private final PipedOutputStream idleKeyboard = new PipedOutputStream();

    private Map<String, String> env(SignalingServerExtension on, String id) {
        return Map.of("AGENT_ID", id, "SIGNALING_URL", on.url(id).toString(), "ICE_TIMEOUT", "1");
    }

    @Test
    void connectSaysWhenNoChannelOpensInTimeTellsThePeerAndExitsOne() throws Exception {
        try (SignalingClient alice = SignalingClient.connect(server.url("alice"), "alice")) {
            int exit = AgentMain.run(new String[] {"connect", "alice"}, env(server, "bob"), noInput(), out.stream(),
                    err.stream());

            assertThat(exit).isEqualTo(1);
            assertThat(err.all()).startsWith("[registered as bob]", "[offering a data channel 'mvp' to alice]");
            assertThat(err.await(l -> l.startsWith("[session with alice ended:"), WAIT))
                    .contains("no data channel with alice within 1 s (ICE state: new)", "STUN/TURN", "firewall");
            assertThat(alice.awaitOffer(WAIT).from()).isEqualTo("bob");
            assertThat(alice.awaitBye(WAIT).from()).isEqualTo("bob");
        }
    }

    @Test
    void listenSaysRegisteredThenListeningAndListensAgainAfterATimedOutSession() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        InputStream in = new PipedInputStream(keyboard);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(new String[] {"listen"},
                env(server, "alice"), in));
        try (SignalingClient bob = SignalingClient.connect(server.url("bob"), "bob")) {
            err.await(l -> l.startsWith("[listening as alice]"), WAIT);
            assertThat(err.all()).startsWith("[registered as alice]", "[listening as alice]");

            bob.sendOffer("alice", CHROMIUM_OFFER);

            assertThat(bob.awaitAnswer(WAIT).from()).isEqualTo("alice");
            assertThat(err.await(l -> l.startsWith("[session with bob ended:"), WAIT))
                    .contains("no data channel with bob within 1 s");
            assertThat(bob.awaitBye(WAIT).from()).isEqualTo("alice");
            err.awaitNth("[listening as alice]"::equals, 2, WAIT);
            assertThat(err.all()).filteredOn(l -> l.startsWith("[answering") || l.startsWith("[session with")
                    || l.startsWith("[listening")).containsExactly("[listening as alice]",
                    "[answering the offer from bob]", err.await(l -> l.startsWith("[session with bob"), WAIT),
                    "[listening as alice]");
        } finally {
            keyboard.close();
        }
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void callingSomeoneWhoIsNotOnlineSaysSoOnceAndExitsOne() throws Exception {
        HubConfig quickBounce = HubConfig.builder()
                .offlineQueue(new OfflineQueuePolicy(Duration.ofMillis(50), 64, 64, 10_000)).build();
        try (SignalingServerExtension own = SignalingServerExtension.newInstance().hubConfig(quickBounce).build()
                .start()) {
            int exit = AgentMain.run(new String[] {"connect", "carol"}, env(own, "bob"), noInput(), out.stream(),
                    err.stream());

            assertThat(exit).isEqualTo(1);
            assertThat(err.all()).filteredOn(l -> l.startsWith("[session with carol ended:")).singleElement()
                    .asString().contains("carol is not online (delivery-expired)");
        }
    }

    @Test
    void missingSettingsAreNamedWithTheUsageAndExitTwo() throws Exception {
        int exit = AgentMain.run(new String[] {"listen"}, Map.of("AGENT_ID", "alice"), InputStream.nullInputStream(), out.stream(),
                err.stream());

        assertThat(exit).isEqualTo(2);
        assertThat(err.all()).first().isEqualTo("agent: SIGNALING_URL is not set");
        assertThat(err.all()).anyMatch(l -> l.contains("ICE_TIMEOUT"));
    }

    @Test
    void anUnreachableServerIsNamedAndExitsOne() throws Exception {
        Map<String, String> env = Map.of("AGENT_ID", "bob", "SIGNALING_URL", "ws://127.0.0.1:1/ws/bob");

        int exit = AgentMain.run(new String[] {"connect", "alice"}, env, noInput(), out.stream(), err.stream());

        assertThat(exit).isEqualTo(1);
        assertThat(err.all()).anyMatch(l -> l.startsWith("agent: ") && l.contains("ws://127.0.0.1:1/ws/bob"));
    }

    /** Input that stays open and empty, as a terminal nobody types in, until the test ends. */
    private InputStream noInput() throws IOException {
        return new PipedInputStream(idleKeyboard);
    }

    @AfterEach
    void endInput() throws IOException {
        idleKeyboard.close();   // the agent's input thread reads the end and finishes
    }

    private int run(String[] args, Map<String, String> env, InputStream in) {
        try {
            return AgentMain.run(args, env, in, out.stream(), err.stream());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String chromiumOfferWithoutCandidates() {
        try (InputStream in = AgentMainTest.class.getResourceAsStream("/fixtures/chromium-datachannel-session.jsonl")) {
            String offer = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(SignalingMessage::parse).filter(m -> m.is("offer")).findFirst().orElseThrow().sdp();
            return offer.lines().filter(l -> !l.startsWith("a=candidate"))
                    .collect(Collectors.joining("\r\n", "", "\r\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
