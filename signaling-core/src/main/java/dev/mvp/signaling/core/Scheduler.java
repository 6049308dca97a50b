package dev.mvp.signaling.core;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hub's clock and timer: registration deadlines and, later, expiries and rate windows run on it.
 * Inject a {@link ManualScheduler} to test time-dependent behaviour without sleeping.
 */
public interface Scheduler {

    /** {@return a monotonic time in nanoseconds, like {@link System#nanoTime()}} */
    long nanoTime();

    /**
     * Runs {@code task} once after {@code delay}. The task must not block.
     *
     * @param delay how long to wait before running it
     * @param task what to run
     * @return a handle that calls the task off
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off if it has not run; does nothing otherwise. */
        void cancel();
    }

    /**
     * {@return a scheduler on the system clock with one daemon thread named {@code name}} Close it when done:
     * the hub closes the one it creates for itself.
     *
     * @param name the thread's name
     */
    static SystemScheduler system(String name) {
        return new SystemScheduler(name);
    }

    /**
     * The real-time scheduler: one daemon thread; {@link #close()} stops it.
     *
     * <p>The thread also ticks once every {@link #TICK}, doing nothing. The tick keeps the head of the queue at most
     * that far away, so scheduling a task due later (every new connection's register deadline, ten seconds out by
     * default) does not have to wake the thread to wait on a new head. Without it a server taking thousands of
     * connections a second, each registering and so cancelling its deadline at once, woke this thread for nearly
     * every one: two context switches a connection, for a wait that then changed nothing.
     */
    final class SystemScheduler implements Scheduler, AutoCloseable {
        /** How often the idle tick runs. */
        static final Duration TICK = Duration.ofSeconds(1);
        private static final AtomicInteger COUNT = new AtomicInteger();
        private final ScheduledThreadPoolExecutor executor;

        private SystemScheduler(String name) {
            String threadName = name + "-" + COUNT.incrementAndGet();
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.scheduleAtFixedRate(() -> { }, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> future;
            try {
                future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return () -> { }; // closed: dropped like the tasks that were waiting
            }
            return () -> future.cancel(false);
        }

        /**
         * Stops the thread; tasks not yet run are dropped, and so are tasks scheduled afterwards (a
         * hub closing while messages are still in flight). Waits at most one second.
         */
        @Override
        public void close() {
            executor.shutdownNow();
            try {
                executor.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
