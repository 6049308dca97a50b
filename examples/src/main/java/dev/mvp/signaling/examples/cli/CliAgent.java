package dev.mvp.signaling.examples.cli;

import dev.mvp.signaling.client.IceCandidate;
import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.client.SignalingException;
import dev.mvp.signaling.client.SignalingMessage;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The signaling half of the seed's command-line agent: {@code listen} waits for a call and answers it,
 * {@code connect <peer>} calls a peer, and both exchange offer, answer and candidates through the server.
 *
 * <p><b>Signaling only.</b> No WebRTC connection is made: the SDPs and the candidate are placeholders
 * (see {@link Placeholders}), so no data channel opens. The WebRTC agent is a separate example; this one
 * shows, and lets you try, the handshake a real agent performs.
 *
 * <p>Configured like the seed, from the environment: {@code AGENT_ID} and {@code SIGNALING_URL}
 * (e.g. {@code ws://localhost:8000/ws/alice}) are required, {@code MODE} (default {@code chat}) and
 * {@code DATA_CHANNEL_LABEL} (default {@code mvp}) are optional, and {@code SIGNALING_TOKEN} is sent with
 * {@code register} when set. Run it (after {@code mvn -q install -DskipTests} once) with:
 *
 * <pre>
 * AGENT_ID=alice SIGNALING_URL=ws://localhost:8000/ws/alice \
 *   mvn -q -pl examples exec:java -Dexec.mainClass=dev.mvp.signaling.examples.cli.CliAgent -Dexec.args=listen
 * AGENT_ID=bob SIGNALING_URL=ws://localhost:8000/ws/bob \
 *   mvn -q -pl examples exec:java -Dexec.mainClass=dev.mvp.signaling.examples.cli.CliAgent -Dexec.args="connect alice"
 * </pre>
 */
public final class CliAgent {
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration IDLE_WAIT = Duration.ofDays(365);

    private final Settings settings;
    private final PrintStream out;

    CliAgent(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, Integer.MAX_VALUE));
    }

    /**
     * Runs one command.
     *
     * @param maxCalls how many calls {@code listen} answers before it returns
     * @return the process exit code: 0 done, 1 failed, 2 bad usage
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, int maxCalls) {
        Settings settings;
        try {
            settings = Settings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        CliAgent agent = new CliAgent(settings, out);
        try {
            if (args.length == 1 && args[0].equals("listen")) {
                agent.listen(maxCalls);
                return 0;
            }
            if (args.length == 2 && args[0].equals("connect")) {
                agent.connect(args[1]);
                return 0;
            }
        } catch (SignalingException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
        out.println("usage: CliAgent listen | CliAgent connect <peer-id>");
        return 2;
    }

    /** Answers calls, one after the other. */
    void listen(int maxCalls) {
        try (SignalingClient client = open()) {
            out.println("[" + settings.id() + "] registered, listening (MODE=" + settings.mode() + ")");
            for (int call = 0; call < maxCalls; call++) {
                SignalingMessage offer = client.awaitOffer(IDLE_WAIT);
                String peer = offer.from();
                out.println("[" + settings.id() + "] offer from " + peer + ": " + describe(offer.sdp()));
                client.sendAnswer(peer, Placeholders.sdp(settings.id(), settings.label()));
                sendCandidates(client, peer);
                awaitCandidates(client, peer);
                out.println("[" + settings.id() + "] signaling handshake with " + peer + " complete; data channel '"
                        + settings.label() + "' would open here (no WebRTC in this example)");
                SignalingMessage bye = client.awaitMessage(m -> m.is("bye") && peer.equals(m.from()), IDLE_WAIT);
                out.println("[" + settings.id() + "] " + peer + " said bye" + (bye.reason() == null ? "" : " (" + bye.reason() + ")"));
            }
        }
    }

    /** Calls {@code peer}: offer, candidates, answer, candidates, bye. */
    void connect(String peer) {
        try (SignalingClient client = open()) {
            out.println("[" + settings.id() + "] registered, calling " + peer + " (MODE=" + settings.mode() + ")");
            client.sendOffer(peer, Placeholders.sdp(settings.id(), settings.label()));
            sendCandidates(client, peer);
            SignalingMessage answer = client.awaitMessage(m -> peer.equals(m.from()) && (m.is("answer") || m.is("bye"))
                    || m.is("error"), HANDSHAKE_TIMEOUT);
            if (!answer.is("answer")) {
                throw new SignalingException(peer + " did not answer: " + answer);
            }
            out.println("[" + settings.id() + "] answer from " + peer + ": " + describe(answer.sdp()));
            awaitCandidates(client, peer);
            out.println("[" + settings.id() + "] signaling handshake with " + peer + " complete; data channel '"
                    + settings.label() + "' would open here (no WebRTC in this example)");
            client.sendBye(peer);
        }
    }

    private SignalingClient open() {
        return SignalingClient.builder(settings.url(), settings.id()).token(settings.token()).build().connect();
    }

    private void sendCandidates(SignalingClient client, String peer) {
        client.sendCandidate(peer, Placeholders.candidate(settings.id()));
        client.sendEndOfCandidates(peer);
    }

    /**
     * What an SDP is, in a line: its session name and size. The peer may have sent it as the text or as a
     * browser's session description object; {@link SignalingMessage#sdp()} gives the text either way.
     */
    static String describe(String sdp) {
        if (sdp == null) {
            return "no SDP";
        }
        String name = sdp.lines().filter(l -> l.startsWith("s=")).findFirst().map(l -> l.substring(2)).orElse("?");
        return "SDP of " + sdp.lines().count() + " lines, session '" + name + "'";
    }

    /** Takes {@code peer}'s candidates until its end-of-candidates. */
    private void awaitCandidates(SignalingClient client, String peer) {
        while (true) {
            SignalingMessage m = client.awaitMessage(x -> peer.equals(x.from()) && (x.is("candidate") || x.is("bye")),
                    HANDSHAKE_TIMEOUT);
            if (m.is("bye")) {
                throw new SignalingException(peer + " left during the handshake");
            }
            if (m.isEndOfCandidates()) {
                return;
            }
            IceCandidate c = m.candidate();
            out.println("[" + settings.id() + "] candidate from " + peer + ": " + c.candidate());
        }
    }

    /** The seed agent's settings. */
    record Settings(String id, URI url, String mode, String label, String token) {
        static Settings fromEnv(Map<String, String> env) {
            String id = env.get("AGENT_ID");
            String url = env.get("SIGNALING_URL");
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("set AGENT_ID, e.g. AGENT_ID=alice");
            }
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("set SIGNALING_URL, e.g. SIGNALING_URL=ws://localhost:8000/ws/" + id);
            }
            String mode = env.getOrDefault("MODE", "chat");
            if (!mode.equals("chat")) {
                throw new IllegalArgumentException("MODE=" + mode + " is not supported; this example knows MODE=chat");
            }
            return new Settings(id, URI.create(url), mode, env.getOrDefault("DATA_CHANNEL_LABEL", "mvp"),
                    env.get("SIGNALING_TOKEN"));
        }
    }
}
