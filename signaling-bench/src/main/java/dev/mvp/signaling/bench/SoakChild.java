package dev.mvp.signaling.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A part of the memory soak in a JVM of its own, started from this tool's class path: the pairs
 * ({@link SoakPairs}) and the hostile clients ({@link SoakHostile}). Threads of one JVM share its CPU time
 * and its collector, so pairs beside 280 busy hostile threads measured the load generator as much as the
 * server. The hostile clients also run at a lower scheduling priority ({@code nice}): on one machine they
 * share the server's cores, and an attack that comes from other machines does not take the server's CPU
 * to make its traffic. The child prints its figures as one line of JSON after {@link #RESULT}.
 */
final class SoakChild {
    static final String RESULT = "SOAK-RESULT ";
    private static final Path NICE = Path.of("/usr/bin/nice");
    /** Whether the hostile clients can run at a lower priority here. */
    static final boolean LOW_PRIORITY = Files.isExecutable(NICE);
    /** The children running now, ended by a shutdown hook if the tool exits first. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "soak-children"));
    }

    private SoakChild() {}

    /**
     * Runs {@code main} with {@code args} and returns the JSON of its result line; the child is killed if it
     * has not ended within {@code timeoutS} seconds.
     */
    static String run(Class<?> main, boolean lowPriority, long timeoutS, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (lowPriority && LOW_PRIORITY) {
            cmd.addAll(List.of(NICE.toString(), "-n", "19"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        RUNNING.add(p);
        Thread watchdog = new Thread(() -> { // a child that hangs is killed, which ends the read below
            try {
                if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }, "soak-child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String result = null;
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                }
            }
            if (result == null) {
                throw new IllegalStateException("the soak's " + main.getSimpleName() + " process ended without its figures");
            }
            return result;
        } finally {
            p.destroyForcibly();
            RUNNING.remove(p);
            watchdog.interrupt();
        }
    }

    /**
     * In the child, first: ends the child when the tool's end of its standard input closes, so a child never
     * outlives a tool that was killed before it could end it.
     */
    static void endWithParent() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; only the end counts
                }
            } catch (java.io.IOException ignored) {
                // the pipe broke: the same
            }
            System.exit(3);
        }, "soak-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /** In the child: prints the result line and ends the JVM (its threads are daemons that may still block). */
    static void finish(String json) {
        System.out.println(RESULT + json);
        System.out.flush();
        System.exit(0);
    }
}
