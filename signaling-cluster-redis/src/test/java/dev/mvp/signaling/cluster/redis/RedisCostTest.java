package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What one message between nodes costs in Redis commands: no lookup once the recipient was found, at most
 * one publish and one confirmation, both shared by the messages that gather while one is under way.
 */
class RedisCostTest {
    private static final int MESSAGES = 500;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aMessageBetweenNodesCostsAtMostTwoRedisCommandsBesideTheHeartbeat() {
        HubConfig config = HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build();
        try (RedisServer redis = RedisServer.start();
             Node east = new Node(redis, "east", config.toBuilder());
             Node west = new Node(redis, "west", config.toBuilder());
             InMemoryClient alice = east.client("alice");
             InMemoryClient bob = west.client("bob")) {
            long before = east.cluster.redisCommands() + west.cluster.redisCommands();
            long started = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"c\"}}");
            }
            for (int i = 0; i < MESSAGES; i++) {
                bob.take(WAIT);
            }
            Await.until("every delivery confirmed", WAIT, () -> east.cluster.inFlight() == 0);
            long commands = east.cluster.redisCommands() + west.cluster.redisCommands() - before;
            // Each node's heartbeat runs every lease/4 and costs a handful of commands.
            long beats = 2 * (1 + (System.nanoTime() - started) / (Node.LEASE.toNanos() / 4));
            double perMessage = (double) commands / MESSAGES;
            System.out.printf("RedisCostTest: %d messages, %d Redis commands (%.2f per message, heartbeats included)%n",
                    MESSAGES, commands, perMessage);
            // One lookup for bob, then per message at most its publish and its confirmation.
            assertThat(commands).isLessThanOrEqualTo(1 + 2L * MESSAGES + 6 * beats);
            assertThat(alice.poll(Duration.ofMillis(100))).isNull();
        }
    }
}
