package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a bad configuration and an absent Redis tell the operator, and that they leave nothing behind. */
class RedisClusterConfigTest {

    @Test
    void everyDefaultIsThereAndANodeIdIsGenerated() {
        RedisClusterConfig config = RedisClusterConfig.builder().redisUri("redis://localhost:6379").build();
        assertThat(config.lease()).isEqualTo(RedisClusterConfig.DEFAULT_LEASE);
        assertThat(config.ackTimeout()).isEqualTo(RedisClusterConfig.DEFAULT_ACK_TIMEOUT);
        assertThat(config.commandTimeout()).isEqualTo(RedisClusterConfig.DEFAULT_COMMAND_TIMEOUT);
        assertThat(config.keyPrefix()).isEqualTo(RedisClusterConfig.DEFAULT_KEY_PREFIX);
        assertThat(config.nodeId()).matches("node-[0-9a-f]{8}");
        assertThat(config.toBuilder().build().nodeId()).isEqualTo(config.nodeId());
    }

    @Test
    void badValuesAreRefusedSayingWhatIsAllowed() {
        assertThatThrownBy(() -> RedisClusterConfig.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("redisUri is required");
        assertThatThrownBy(() -> RedisClusterConfig.builder().redisUri("http://x"))
                .hasMessageContaining("redis://").hasMessageContaining("http://x");
        assertThatThrownBy(() -> RedisClusterConfig.builder().nodeId("a b"))
                .hasMessageContaining("nodeId").hasMessageContaining("'a b'");
        assertThatThrownBy(() -> RedisClusterConfig.builder().lease(Duration.ofMillis(10)))
                .hasMessageContaining("lease must be at least 400 ms");
        assertThatThrownBy(() -> RedisClusterConfig.builder().keyPrefix(""))
                .hasMessageContaining("keyPrefix");
    }

    @Test
    void connectingWithoutRedisFailsNamingTheAddressAndLeavesNoThread() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisClusterConfig config = RedisClusterConfig.builder().redisUri("redis://127.0.0.1:" + port)
                .commandTimeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> RedisCluster.connect(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach Redis at 127.0.0.1:" + port);
        Threads.awaitNoneLeft();
    }
}
