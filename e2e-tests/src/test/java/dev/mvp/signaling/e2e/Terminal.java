package dev.mvp.signaling.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Terminals as a person uses them: each is a tmux session (on a tmux server of its own, with its own
 * socket) running one command, which the test types into and reads the screen of. Panes stay after
 * their command exits, so the exit status and the last screen can be read. {@link Tmux#close} ends the
 * server and every command still running in it.
 */
final class Terminal {
    private final Tmux tmux;
    private final String name;

    private Terminal(Tmux tmux, String name) {
        this.tmux = tmux;
        this.name = name;
    }

    /** Types {@code line} and presses Enter. */
    void type(String line) {
        tmux.run("send-keys", "-t", name, "-l", line);
        tmux.run("send-keys", "-t", name, "Enter");
    }

    /** Everything the terminal shows and has scrolled off, wrapped lines joined. */
    String screen() {
        return tmux.run("capture-pane", "-p", "-J", "-t", name, "-S", "-");
    }

    /** Waits until the screen shows a line that contains {@code text}; fails with the screen otherwise. */
    void await(String text, Duration timeout) {
        awaitScreen("a line with '" + text + "'", s -> s.contains(text), timeout);
    }

    /** Waits until {@code text} shows up {@code count} times. */
    void awaitCount(String text, int count, Duration timeout) {
        awaitScreen(count + " lines with '" + text + "'", s -> s.split(java.util.regex.Pattern.quote(text), -1).length
                > count, timeout);
    }

    /**
     * Waits for the command to exit and returns its exit status. tmux may see the pane's terminal close
     * a moment before it has reaped the process, so this waits for the status (or the signal) itself.
     */
    int awaitExit(Duration timeout) {
        String[] dead = new String[3];
        awaitScreen("the command to exit", s -> {
            String[] f = tmux.run("display-message", "-p", "-t", name,
                    "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}").strip().split(":", -1);
            System.arraycopy(f, 0, dead, 0, Math.min(3, f.length));
            return f.length == 3 && f[0].equals("1") && !(f[1].isEmpty() && f[2].isEmpty());
        }, timeout);
        if (dead[1].isEmpty()) {
            throw new AssertionError("terminal '" + name + "': the command was killed by signal " + dead[2]
                    + "; it shows:\n" + screen());
        }
        return Integer.parseInt(dead[1]);
    }

    private void awaitScreen(String what, Predicate<String> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String screen = screen();
            if (done.test(screen)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("terminal '" + name + "': no " + what + " within " + timeout.toMillis()
                        + " ms; it shows:\n" + screen);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);   // polling the screen; the deadline bounds the wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** A tmux server of the test's own; terminals are its sessions. */
    static final class Tmux implements AutoCloseable {
        private final Path dir;
        private final Path socket;
        private final Path config;
        private boolean started;

        private Tmux(Path dir) throws IOException {
            this.dir = dir;
            this.socket = dir.resolve("tmux.sock");
            this.config = dir.resolve("tmux.conf");
            Files.writeString(config, "set -g remain-on-exit on\nset -g history-limit 10000\n");
        }

        static Tmux start() throws IOException {
            return new Tmux(Files.createTempDirectory("e2e-tmux-"));
        }

        /**
         * Opens a terminal of 160 by 50 characters named {@code name} that runs {@code command} (argv,
         * no shell) with {@code env} added to the environment.
         */
        Terminal open(String name, List<String> command, java.util.Map<String, String> env) throws IOException {
            StringBuilder script = new StringBuilder("#!/bin/sh\n");
            env.forEach((k, v) -> script.append("export ").append(k).append('=').append(quote(v)).append('\n'));
            script.append("exec");
            command.forEach(arg -> script.append(' ').append(quote(arg)));
            script.append('\n');
            Path file = dir.resolve(name + ".sh");
            Files.writeString(file, script);
            List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", "160", "-y", "50",
                    "sh " + file));
            if (!started) {
                args.addAll(0, List.of("-f", config.toString()));
                started = true;
            }
            run(args.toArray(String[]::new));
            return new Terminal(this, name);
        }

        String run(String... args) {
            List<String> argv = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
            argv.addAll(List.of(args));
            try {
                ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
                pb.environment().put("TERM", "xterm-256color");
                pb.environment().remove("TMUX");
                Process p = pb.start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("tmux " + String.join(" ", args) + " did not finish");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("tmux " + args[0] + " failed (" + p.exitValue() + "): " + output);
                }
                return output;
            } catch (IOException e) {
                throw new IllegalStateException("cannot run tmux: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }

        /** Ends the tmux server (and with it every command still running) and deletes its files. */
        @Override
        public void close() {
            if (started) {
                try {
                    run("kill-server");
                } catch (IllegalStateException e) {
                    // No server left: every session already ended.
                }
            }
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // A temp directory left behind is harmless.
            }
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
    }
}
