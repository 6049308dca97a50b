package dev.mvp.signaling.e2e;

import dev.mvp.signaling.examples.agent.AgentListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what an agent reports, as strings like {@code open:bob:mvp}, and waits for them with a timeout. */
final class AgentEvents implements AgentListener {
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    @Override
    public void status(String text) {
        synchronized (seen) {
            seen.add("status:" + text);
        }
    }

    @Override
    public void channelOpen(String peer, String label) {
        events.add("open:" + peer + ":" + label);
    }

    @Override
    public void message(String peer, String text) {
        events.add("message:" + peer + ":" + text);
    }

    @Override
    public void channelClosed(String peer, String reason) {
        events.add("closed:" + peer + ":" + reason);
    }

    @Override
    public void serverError(String code, String message) {
        events.add("error:" + code + ":" + message);
    }

    /** Waits for the next event that starts with {@code prefix}, skipping others; fails after {@code timeout}. */
    String await(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new AssertionError("no agent event starting with '" + prefix + "' within " + timeout.toMillis()
                        + " ms; seen: " + seen);
            }
            synchronized (seen) {
                seen.add(event);
            }
            if (event.startsWith(prefix)) {
                return event;
            }
        }
    }
}
