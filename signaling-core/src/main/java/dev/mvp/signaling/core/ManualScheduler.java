package dev.mvp.signaling.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose clock moves only when a test calls {@link #advance}. Due tasks run on the
 * thread that advances the clock, in deadline order. Thread-safe.
 *
 * <pre>{@code
 * ManualScheduler time = new ManualScheduler();
 * SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(time).build());
 * ...
 * time.advance(Duration.ofSeconds(11)); // the register deadline passes, no sleeping
 * }</pre>
 */
public final class ManualScheduler implements Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long sequence;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now + Math.max(0, delay.toNanos()), sequence++, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualScheduler.this) {
                tasks.remove(t);
            }
        };
    }

    /**
     * Moves the clock forward by {@code amount} and runs every task that is then due.
     *
     * @param amount how far to move the clock; not negative
     */
    public void advance(Duration amount) {
        long target;
        synchronized (this) {
            target = now + amount.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.deadline > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.deadline);
            }
            next.task.run(); // outside the lock: a task may schedule more
        }
    }

    /** {@return how many tasks are waiting} */
    public synchronized int pending() {
        return tasks.size();
    }

    /** {@return the deadlines still waiting, as offsets from now, soonest first} */
    public synchronized List<Duration> pendingDelays() {
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(null);
        List<Duration> out = new ArrayList<>();
        for (Task t : sorted) {
            out.add(Duration.ofNanos(t.deadline - now));
        }
        return out;
    }

    private record Task(long deadline, long seq, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
