package dev.mvp.signaling.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real-time scheduler: its idle tick must change neither what runs, nor when, nor its thread's end. */
class SystemSchedulerTest {

    @Test
    void tasksRunInDeadlineOrderBehindAFarOneAndACancelledOneNeverRuns() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        try (Scheduler.SystemScheduler scheduler = Scheduler.system("scheduler-test")) {
            scheduler.schedule(Duration.ofMinutes(10), () -> ran.add("far"));
            Scheduler.Cancellable cancelled = scheduler.schedule(Duration.ofMillis(30), () -> ran.add("cancelled"));
            scheduler.schedule(Duration.ofMillis(60), () -> { ran.add("second"); done.countDown(); });
            scheduler.schedule(Duration.ofMillis(20), () -> { ran.add("first"); done.countDown(); });
            cancelled.cancel();

            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void aTaskDueAfterATickStillRunsOnTime() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        long[] ranAt = new long[1];
        try (Scheduler.SystemScheduler scheduler = Scheduler.system("scheduler-test")) {
            long due = Scheduler.SystemScheduler.TICK.toNanos() + TimeUnit.MILLISECONDS.toNanos(200);
            long start = scheduler.nanoTime();
            scheduler.schedule(Duration.ofNanos(due), () -> { ranAt[0] = System.nanoTime(); done.countDown(); });

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ranAt[0] - start).isGreaterThanOrEqualTo(due);
        }
    }

    @Test
    void closeEndsItsThreadDespiteTheTick() {
        Scheduler.SystemScheduler scheduler = Scheduler.system("scheduler-close-test");
        scheduler.schedule(Duration.ofMinutes(10), () -> { });
        assertThat(threads("scheduler-close-test")).isEqualTo(1);

        scheduler.close();

        assertThat(threads("scheduler-close-test")).isZero();
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }
}
