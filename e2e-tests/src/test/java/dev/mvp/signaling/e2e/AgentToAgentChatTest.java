package dev.mvp.signaling.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.examples.agent.AgentMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The original's own flow, as a person runs it: the server, then {@code listen} as alice in one
 * terminal and {@code connect alice} as bob in another, a chat line each way over a real data channel
 * between two webrtc-java agents, {@code /bye}, and both programs exit with status 0.
 *
 * <p>webrtc-java gathers no candidate on loopback, so this needs the namespace's veth link
 * ({@code scripts/e2e.sh}); the terminals are tmux sessions. The last screen of each terminal is
 * saved to {@code target/e2e/alice-terminal.txt} and {@code bob-terminal.txt}.
 */
class AgentToAgentChatTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestServer server;
    private Terminal.Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        IsolatedNetwork.assume();
        Assumptions.assumeTrue(onPath("tmux"), "the agent-to-agent test drives two terminals with tmux, which is"
                + " not installed (apt-get install tmux)");
        server = TestServer.start();
        tmux = Terminal.Tmux.start();
    }

    @AfterEach
    void stop() {
        try (TestServer s = server; Terminal.Tmux t = tmux) {
            // the terminals (and any agent still running in them) first, then the server
        }
    }

    @Test
    void listenAndConnectChatBothWaysThenByeAndBothExitCleanly() throws Exception {
        Terminal alice = tmux.open("alice", agent("listen"), env("alice"));
        alice.await("[listening as alice]", WAIT);
        Terminal bob = tmux.open("bob", agent("connect", "alice"), env("bob"));

        bob.await("[data channel 'mvp' open with alice; type to chat, /bye to quit]", WAIT);
        alice.await("[data channel 'mvp' open with bob; type to chat, /bye to quit]", WAIT);
        bob.type("hello alice, this is bob");
        alice.await("bob> hello alice, this is bob", WAIT);
        alice.type("hi bob, alice here");
        bob.await("alice> hi bob, alice here", WAIT);

        bob.type("/bye");
        assertThat(bob.awaitExit(WAIT)).as("bob's exit status").isZero();
        alice.await("[session with bob ended: bye]", WAIT);
        alice.awaitCount("[listening as alice]", 2, WAIT);
        alice.type("/bye");
        assertThat(alice.awaitExit(WAIT)).as("alice's exit status").isZero();

        String aliceScreen = save("alice", alice.screen());
        String bobScreen = save("bob", bob.screen());
        assertThat(aliceScreen.indexOf("[registered as alice]")).as("registered comes before listening")
                .isNotNegative().isLessThan(aliceScreen.indexOf("[listening as alice]"));
        assertThat(bobScreen).contains("[ICE connected]", "[peer connection connected]",
                "[session with alice ended: hangup]");
        for (String screen : List.of(aliceScreen, bobScreen)) {
            assertThat(screen).doesNotContain("attach", "Exception", "[no open data channel");
        }
    }

    private Map<String, String> env(String id) {
        return Map.of("AGENT_ID", id, "SIGNALING_URL", server.webSocketBase().resolve(id).toString(), "MODE", "chat",
                "DATA_CHANNEL_LABEL", "mvp", "CLASSPATH", classPath());
    }

    private static List<String> agent(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), AgentMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The test's own class path, which holds the agent and its dependencies (the real one under Surefire). */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String save(String name, String screen) throws IOException {
        Path dir = Path.of("target", "e2e");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + "-terminal.txt"), screen);
        return screen;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
