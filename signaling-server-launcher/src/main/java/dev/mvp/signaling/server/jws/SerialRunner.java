package dev.mvp.signaling.server.jws;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on the threads that submit them, without holding a
 * lock while a task runs. A thread that submits while another thread is running tasks leaves its task
 * to that thread and returns at once.
 *
 * <p>Java-WebSocket reports a close on whatever thread noticed it, while holding the connection's
 * monitor, possibly while a worker thread is still delivering a message of the same connection. The hub
 * wants the events of one session in order and never overlapping; a lock would do that but could
 * deadlock against that monitor (the hub may close the connection from inside a message). This does it
 * without waiting.
 */
final class SerialRunner {
    private static final Logger log = LoggerFactory.getLogger(SerialRunner.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    void run(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() != 0) {
            return; // the running thread will get to it
        }
        do {
            Runnable next = tasks.poll();
            try {
                next.run();
            } catch (RuntimeException e) {
                log.warn("A connection event handler failed", e);
            }
        } while (pending.decrementAndGet() != 0);
    }
}
