package dev.mvp.signaling.examples.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The command-line agent: {@code listen} waits for an offer and answers it, {@code connect <peer>}
 * offers. With {@code MODE=chat}, each line typed is sent on the data channel and each message
 * received is printed as {@code peer> text}; progress goes to standard error, one line per event: the
 * registration, peer-connection and ICE state changes, and, when a session fails or its data channel
 * does not open within {@code ICE_TIMEOUT}, what happened and what to check. {@code listen} then
 * listens again; {@code connect} exits with status 1. Type {@code /bye} (or end the input) to hang up
 * and quit.
 *
 * <p>Configuration comes from the environment; see {@link AgentConfig#fromEnvironment}.
 */
public final class AgentMain {
    private static final String USAGE = """
            usage: agent listen | agent connect <peer-id>
            environment: AGENT_ID (required), SIGNALING_URL (required, e.g. ws://localhost:8000/ws/alice),
                         MODE=chat (default), DATA_CHANNEL_LABEL (default mvp),
                         ICE_TIMEOUT (seconds from offer to open channel, default 15)""";

    private AgentMain() {}

    /**
     * Runs the agent on this process's standard streams and exits with {@link #run}'s status.
     *
     * <p>Standard output is closed before the exit: webrtc-java 0.14.0's native code prints
     * {@code VM attach current thread failed} / {@code Failed to attach thread ...} to standard output
     * at process teardown, after the JVM is gone, even when everything was disposed in order (a known
     * bug of that release, fixed upstream after it: its per-thread JNI helper tries to attach native
     * threads to a JVM that no longer exists). Nothing of the agent's is written after this point.
     */
    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.getenv(), System.in, System.out, System.err);
        System.err.flush();
        System.out.close();
        System.exit(status);
    }

    /**
     * Runs the agent until {@code /bye}, the end of {@code in}, the end of the session ({@code connect})
     * or of the signaling connection.
     *
     * @return 0 after a session that ended by a hang-up on either side (or, for {@code listen}, by the
     *     user); 1 when the server cannot be reached, the session failed (ICE failed or timed out, peer
     *     not online) or the server closed the connection; 2 for a usage or configuration error
     */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err)
            throws InterruptedException {
        boolean listen = args.length == 1 && args[0].equals("listen");
        boolean connect = args.length == 2 && args[0].equals("connect");
        if (!listen && !connect) {
            err.println(USAGE);
            return 2;
        }
        AgentConfig config;
        try {
            config = AgentConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("agent: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        CountDownLatch done = new CountDownLatch(1);
        // The first outcome decides the exit status: a later close of the connection changes nothing.
        AtomicReference<Integer> exit = new AtomicReference<>();
        Runnable finishedByUser = () -> {
            exit.compareAndSet(null, 0);
            done.countDown();
        };
        AgentListener printer = new AgentListener() {
            @Override
            public void registered(String id) {
                err.println("[registered as " + id + "]");
                if (listen) {
                    err.println("[listening as " + id + "]");
                }
            }

            @Override
            public void status(String text) {
                err.println("[" + text + "]");
            }

            @Override
            public void channelOpen(String peer, String label) {
                err.println("[data channel '" + label + "' open with " + peer + "; type to chat, /bye to quit]");
            }

            @Override
            public void message(String peer, String text) {
                out.println(peer + "> " + text);
                out.flush();
            }

            @Override
            public void channelClosed(String peer, String reason) {
                boolean hungUp = reason.equals(BYE) || reason.equals(HANGUP);
                err.println("[session with " + peer + " ended: " + reason + "]");
                if (connect) {
                    exit.compareAndSet(null, hungUp ? 0 : 1);
                    done.countDown();
                } else if (!reason.equals(HANGUP)) {
                    // Only this agent's user hangs up (/bye or end of input), and then it quits.
                    err.println("[listening as " + config.id() + "]");
                }
            }

            @Override
            public void serverError(String code, String message) {
                err.println("[server error " + code + ": " + message + "]");
            }

            @Override
            public void disconnected(int code, String reason) {
                err.println("[signaling connection closed: " + code + " " + reason + "]");
                exit.compareAndSet(null, 1);
                done.countDown();
            }
        };
        try (Agent agent = Agent.start(config, printer)) {
            if (connect) {
                agent.connect(args[1]);
            }
            Thread input = new Thread(() -> relayInput(agent, in, err, finishedByUser), "agent-stdin");
            input.setDaemon(true);
            input.start();
            done.await();
        } catch (SignalingException e) {
            err.println("agent: " + e.getMessage());
            return 1;
        }
        err.flush();
        return exit.get();
    }

    private static void relayInput(Agent agent, InputStream stdin, PrintStream err, Runnable finished) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("/bye")) {
                    break;
                }
                if (!agent.send(line)) {
                    err.println("[no open data channel yet: not sent]");
                }
            }
        } catch (IOException | IllegalStateException e) {
            err.println("[input: " + e.getMessage() + "]");
        }
        try {
            agent.hangUp();
        } catch (IllegalStateException e) {
            // Already closed.
        }
        finished.run();
    }
}
