package dev.mvp.signaling.cluster.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a node joins a cluster on Redis: where Redis is, the node's name and the timings of its lease and
 * of cross-node delivery. Immutable; build with {@link #builder}. Every default is written here once.
 *
 * <pre>{@code
 * RedisClusterConfig config = RedisClusterConfig.builder()
 *         .redisUri("redis://redis.internal:6379")
 *         .nodeId("node-1")
 *         .build();
 * }</pre>
 */
public final class RedisClusterConfig {
    /** How long a node's directory entries outlive its last heartbeat. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(4);
    /** How long a node waits for another node to confirm a delivery before bouncing the message. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(2);
    /** How long one Redis command may take before it counts as failed. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** The prefix of every key and channel the cluster uses. */
    public static final String DEFAULT_KEY_PREFIX = "signaling";

    private final String redisUri;
    private final String nodeId;
    private final Duration lease;
    private final Duration ackTimeout;
    private final Duration commandTimeout;
    private final String keyPrefix;

    private RedisClusterConfig(Builder b) {
        this.redisUri = b.redisUri;
        this.nodeId = b.nodeId != null ? b.nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8);
        this.lease = b.lease;
        this.ackTimeout = b.ackTimeout;
        this.commandTimeout = b.commandTimeout;
        this.keyPrefix = b.keyPrefix;
    }

    /** {@return a builder with every default; {@link Builder#redisUri} must be set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this configuration's values} */
    public Builder toBuilder() {
        return new Builder().redisUri(redisUri).nodeId(nodeId).lease(lease).ackTimeout(ackTimeout)
                .commandTimeout(commandTimeout).keyPrefix(keyPrefix);
    }

    /** {@return where Redis is, e.g. {@code redis://localhost:6379} or {@code redis://:secret@host:6379/2}} */
    public String redisUri() {
        return redisUri;
    }

    /** {@return this node's name in logs and keys; generated ({@code node-} and 8 hex digits) when not given} */
    public String nodeId() {
        return nodeId;
    }

    /**
     * How long this node's entries survive it: a node that stops (crash, kill, network cut) vanishes from
     * the directory within this time, and its peers' contacts on other nodes receive {@code bye} within it.
     *
     * @return the lease
     */
    public Duration lease() {
        return lease;
    }

    /** {@return how long a node waits for the recipient's node to confirm a delivery} */
    public Duration ackTimeout() {
        return ackTimeout;
    }

    /** {@return how long one Redis command may take} */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** {@return the prefix of every key and channel, so several clusters can share one Redis} */
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public String toString() {
        return "RedisClusterConfig[node " + nodeId + ", lease " + lease.toMillis() + " ms, ack timeout "
                + ackTimeout.toMillis() + " ms, command timeout " + commandTimeout.toMillis() + " ms, prefix '"
                + keyPrefix + "']";
    }

    /** Builds a {@link RedisClusterConfig}; each setter checks its value. */
    public static final class Builder {
        private String redisUri;
        private String nodeId;
        private Duration lease = DEFAULT_LEASE;
        private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private String keyPrefix = DEFAULT_KEY_PREFIX;

        private Builder() {}

        /**
         * Where Redis is ({@code redis://} or {@code rediss://} URI). Required.
         *
         * @param uri the URI
         * @return this builder
         */
        public Builder redisUri(String uri) {
            Objects.requireNonNull(uri, "redisUri");
            if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
                throw new IllegalArgumentException("redisUri must start with redis:// or rediss://, was '" + uri + "'");
            }
            this.redisUri = uri;
            return this;
        }

        /**
         * This node's name: 1 to 64 letters, digits, '.', '_' or '-'; null to generate one.
         *
         * @param id the name, or null
         * @return this builder
         */
        public Builder nodeId(String id) {
            if (id != null && !id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("nodeId must be 1 to 64 letters, digits, '.', '_' or '-', was '"
                        + id + "'");
            }
            this.nodeId = id;
            return this;
        }

        /**
         * The lease of this node's entries; at least 400 ms.
         *
         * @param lease the lease
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = atLeast("lease", lease, Duration.ofMillis(400));
            return this;
        }

        /**
         * How long to wait for a delivery's confirmation; at least 50 ms.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder ackTimeout(Duration timeout) {
            this.ackTimeout = atLeast("ackTimeout", timeout, Duration.ofMillis(50));
            return this;
        }

        /**
         * How long one Redis command may take; at least 10 ms.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = atLeast("commandTimeout", timeout, Duration.ofMillis(10));
            return this;
        }

        /**
         * The prefix of keys and channels: 1 to 64 letters, digits, '.', '_', ':' or '-'.
         *
         * @param prefix the prefix
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || !prefix.matches("[A-Za-z0-9._:-]{1,64}")) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 64 letters, digits, '.', '_', ':' or '-', "
                        + "was '" + prefix + "'");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalStateException if {@link #redisUri} was not set
         */
        public RedisClusterConfig build() {
            if (redisUri == null) {
                throw new IllegalStateException("redisUri is required, e.g. redis://localhost:6379");
            }
            return new RedisClusterConfig(this);
        }

        private static Duration atLeast(String name, Duration value, Duration min) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min.toMillis() + " ms, was "
                        + value.toMillis() + " ms");
            }
            return value;
        }
    }
}
