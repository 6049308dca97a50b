package dev.mvp.signaling.examples.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The command-line agent: {@code listen} waits for an offer and answers it, {@code connect <peer>}
 * offers. With {@code MODE=chat}, each line typed is sent on the data channel and each message
 * received is printed as {@code peer> text}; progress goes to standard error. Type {@code /bye} (or
 * end the input) to hang up and quit.
 *
 * <p>Configuration comes from the environment; see {@link AgentConfig#fromEnvironment}.
 */
public final class AgentMain {
    private static final String USAGE = """
            usage: agent listen | agent connect <peer-id>
            environment: AGENT_ID (required), SIGNALING_URL (required, e.g. ws://localhost:8000/ws/alice),
                         MODE=chat (default), DATA_CHANNEL_LABEL (default mvp)""";

    private AgentMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, java.util.Map<String, String> env, PrintStream out, PrintStream err)
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
        AgentListener printer = new AgentListener() {
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
                err.println("[session with " + peer + " ended: " + reason + "]");
                if (connect) {
                    done.countDown();
                }
            }

            @Override
            public void serverError(String code, String message) {
                err.println("[server error " + code + ": " + message + "]");
            }

            @Override
            public void disconnected(int code, String reason) {
                err.println("[signaling connection closed: " + code + " " + reason + "]");
                done.countDown();
            }
        };
        try (Agent agent = Agent.start(config, printer)) {
            if (connect) {
                agent.connect(args[1]);
            } else {
                err.println("[listening as " + config.id() + "]");
            }
            Thread input = new Thread(() -> relayInput(agent, err, done), "agent-stdin");
            input.setDaemon(true);
            input.start();
            done.await();
        } catch (SignalingException e) {
            err.println("agent: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static void relayInput(Agent agent, PrintStream err, CountDownLatch done) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("/bye")) {
                    break;
                }
                if (!agent.send(line)) {
                    err.println("[no open data channel yet: not sent]");
                }
            }
        } catch (java.io.IOException | IllegalStateException e) {
            err.println("[input: " + e.getMessage() + "]");
        }
        try {
            agent.hangUp();
        } catch (IllegalStateException e) {
            // Already closed.
        }
        done.countDown();
    }
}
