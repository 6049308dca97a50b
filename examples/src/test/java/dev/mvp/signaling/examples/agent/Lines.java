package dev.mvp.signaling.examples.agent;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What a terminal would show: the lines written to a stream, which a test waits for with a timeout. */
final class Lines {
    private final List<String> lines = new ArrayList<>();
    private final PrintStream stream = new PrintStream(new OutputStream() {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            synchronized (lines) {
                if (b == '\n') {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    lines.notifyAll();
                } else {
                    line.write(b);
                }
            }
        }
    }, true, StandardCharsets.UTF_8);

    PrintStream stream() {
        return stream;
    }

    /** Every complete line so far. */
    List<String> all() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits for a line that matches; fails, showing every line, when none comes within {@code timeout}. */
    String await(Predicate<String> matching, Duration timeout) throws InterruptedException {
        return awaitNth(matching, 1, timeout);
    }

    /** Waits for the {@code n}th line that matches (counting from 1) and returns it. */
    String awaitNth(Predicate<String> matching, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                int seen = 0;
                for (String l : lines) {
                    if (matching.test(l) && ++seen == n) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching line #" + n + " within " + timeout.toMillis()
                            + " ms; lines: " + lines);
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
