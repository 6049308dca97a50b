package dev.mvp.signaling.cluster.redis;

import java.time.Duration;
import java.util.List;

/** Checks that the cluster left no thread of its own or of its Redis client running. */
final class Threads {
    private Threads() {}

    static void awaitNoneLeft() {
        Await.until("no cluster or Redis client thread left: " + left(), Duration.ofSeconds(10), () -> left().isEmpty());
    }

    static List<String> left() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("signaling-cluster-") || n.startsWith("lettuce-"))
                .toList();
    }
}
