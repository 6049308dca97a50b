package dev.mvp.signaling.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The hub's settings. Immutable; build one with {@link #builder()}, derive one with {@link #toBuilder()}.
 * Every default is written once, in {@link Builder}, and {@link #toString()} prints them all.
 */
public final class HubConfig {
    /** The protocol's own routable types. */
    public static final Set<String> CORE_ROUTABLE_TYPES = Set.of("offer", "answer", "candidate", "bye");

    private final Authenticator authenticator;
    private final HubListener listener;
    private final List<MessageInterceptor> interceptors;
    private final DuplicateIdPolicy duplicateIdPolicy;
    private final Set<String> extraRoutableTypes;
    private final int maxMessageLength;
    private final Duration registerTimeout;
    private final PeerDirectory directory;
    private final Scheduler scheduler;
    private final OfflineQueuePolicy offlineQueue;
    private final Duration resumeGrace;
    private final RateLimit rateLimit;
    private final int maxConnections;
    private final int maxPeers;
    private final long maxBufferedBytes;
    private final int maxConversations;

    private HubConfig(Builder b) {
        this.authenticator = b.authenticator;
        this.listener = b.listener;
        this.interceptors = List.copyOf(b.interceptors);
        this.duplicateIdPolicy = b.duplicateIdPolicy;
        this.extraRoutableTypes = Collections.unmodifiableSet(new LinkedHashSet<>(b.extraRoutableTypes));
        this.maxMessageLength = b.maxMessageLength;
        this.registerTimeout = b.registerTimeout;
        this.directory = b.directory;
        this.scheduler = b.scheduler;
        this.offlineQueue = b.offlineQueue;
        this.resumeGrace = b.resumeGrace;
        this.rateLimit = b.rateLimit;
        this.maxConnections = b.maxConnections;
        this.maxPeers = b.maxPeers;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.maxConversations = b.maxConversations;
    }

    /** A configuration with every default. */
    public static HubConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.authenticator = authenticator;
        b.listener = listener;
        b.interceptors.addAll(interceptors);
        b.duplicateIdPolicy = duplicateIdPolicy;
        b.extraRoutableTypes.addAll(extraRoutableTypes);
        b.maxMessageLength = maxMessageLength;
        b.registerTimeout = registerTimeout;
        b.directory = directory;
        b.scheduler = scheduler;
        b.offlineQueue = offlineQueue;
        b.resumeGrace = resumeGrace;
        b.rateLimit = rateLimit;
        b.maxConnections = maxConnections;
        b.maxPeers = maxPeers;
        b.maxBufferedBytes = maxBufferedBytes;
        b.maxConversations = maxConversations;
        return b;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public HubListener listener() {
        return listener;
    }

    public List<MessageInterceptor> interceptors() {
        return interceptors;
    }

    public DuplicateIdPolicy duplicateIdPolicy() {
        return duplicateIdPolicy;
    }

    /** Types routed like {@code offer} beyond the protocol's own (see {@link #CORE_ROUTABLE_TYPES}). */
    public Set<String> extraRoutableTypes() {
        return extraRoutableTypes;
    }

    /** The longest text frame the hub parses, in UTF-16 chars; longer ones get {@code message-too-large}. */
    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** How long a connection may stay unregistered before it is closed; zero means forever. */
    public Duration registerTimeout() {
        return registerTimeout;
    }

    /** The directory given to the builder, or {@code null}: then each hub keeps its own in memory. */
    public PeerDirectory directory() {
        return directory;
    }

    /** The scheduler given to the builder, or {@code null}: then each hub runs its own timer thread. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** How messages to absent peers are held. */
    public OfflineQueuePolicy offlineQueue() {
        return offlineQueue;
    }

    /**
     * How long the id of a client with a verified token stays reserved after its connection drops, so it
     * can come back without its peers being told it left; zero turns resuming off.
     */
    public Duration resumeGrace() {
        return resumeGrace;
    }

    /** The per-connection message rate limit. */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** The most connections the hub holds at once, registered or not. */
    public int maxConnections() {
        return maxConnections;
    }

    /** The most registered peers the hub holds at once. */
    public int maxPeers() {
        return maxPeers;
    }

    /**
     * The most bytes that may wait to be written to one client (as its transport reports them); a client
     * that lets more pile up is disconnected with {@link CloseCodes#SLOW_CONSUMER}. Zero turns it off.
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /**
     * The most peers one connection may be in conversation with at once: those it sent a message to or
     * received one from since the last {@code bye} between them, the peers the hub tells when it leaves.
     * A message that would start one more, on either side, is refused with
     * {@link ErrorCodes#TOO_MANY_CONVERSATIONS}; a {@code bye}, or the other peer leaving, frees a place.
     * Messages held for a client while it was away are delivered at its registration even past the bound.
     */
    public int maxConversations() {
        return maxConversations;
    }

    @Override
    public String toString() {
        return "HubConfig{duplicateIdPolicy=" + duplicateIdPolicy
                + ", maxMessageLength=" + maxMessageLength
                + ", registerTimeout=" + registerTimeout
                + ", extraRoutableTypes=" + extraRoutableTypes
                + ", offlineQueue=" + offlineQueue
                + ", resumeGrace=" + resumeGrace
                + ", rateLimit=" + rateLimit
                + ", maxConnections=" + maxConnections
                + ", maxPeers=" + maxPeers
                + ", maxBufferedBytes=" + maxBufferedBytes
                + ", maxConversations=" + maxConversations
                + ", interceptors=" + interceptors.size()
                + ", directory=" + (directory == null ? "own in-memory" : directory)
                + ", scheduler=" + (scheduler == null ? "own timer thread" : scheduler.getClass().getSimpleName())
                + "}";
    }

    /** Builds a {@link HubConfig}. Not thread-safe. */
    public static final class Builder {
        private Authenticator authenticator = Authenticator.allowAll();
        private HubListener listener = HubListener.none();
        private final List<MessageInterceptor> interceptors = new ArrayList<>();
        private DuplicateIdPolicy duplicateIdPolicy = DuplicateIdPolicy.REJECT;
        private final Set<String> extraRoutableTypes = new LinkedHashSet<>();
        private int maxMessageLength = 64 * 1024;
        private Duration registerTimeout = Duration.ofSeconds(10);
        private PeerDirectory directory;
        private Scheduler scheduler;
        private OfflineQueuePolicy offlineQueue = OfflineQueuePolicy.DEFAULT;
        private Duration resumeGrace = Duration.ofSeconds(10);
        private RateLimit rateLimit = RateLimit.DEFAULT;
        private int maxConnections = 10_000;
        private int maxPeers = 10_000;
        private long maxBufferedBytes = 1024 * 1024;
        private int maxConversations = 1_000;

        private Builder() {}

        /** Who may register which id. Default: {@link Authenticator#allowAll()}. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Who hears about hub events. Default: nobody. Combine several with {@link HubListener#all}. */
        public Builder listener(HubListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Adds an interceptor after those already added. */
        public Builder addInterceptor(MessageInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Default: {@link DuplicateIdPolicy#REJECT}. */
        public Builder duplicateIdPolicy(DuplicateIdPolicy policy) {
            this.duplicateIdPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Also routes messages of this type (they need a {@code to}, like {@code offer}). The protocol's
         * own types and {@code register}, {@code registered}, {@code error}, {@code ping}, {@code pong}
         * cannot be added.
         */
        public Builder addRoutableType(String type) {
            Objects.requireNonNull(type, "type");
            if (type.isEmpty() || CORE_ROUTABLE_TYPES.contains(type) || Protocol.RESERVED_TYPES.contains(type)) {
                throw new IllegalArgumentException("'" + type + "' cannot be added as a routable type: "
                        + "it is empty or already part of the protocol");
            }
            extraRoutableTypes.add(type);
            return this;
        }

        /** Default: 65,536 chars. Must be at least 1,024 (an SDP is a few KB). */
        public Builder maxMessageLength(int chars) {
            if (chars < 1024) {
                throw new IllegalArgumentException("maxMessageLength must be at least 1024 chars, was " + chars);
            }
            this.maxMessageLength = chars;
            return this;
        }

        /** Default: 10 s. {@link Duration#ZERO} disables the deadline. */
        public Builder registerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("registerTimeout must not be negative, was " + timeout);
            }
            this.registerTimeout = timeout;
            return this;
        }

        /** Default: a new in-memory directory per hub. */
        public Builder directory(PeerDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Default: a timer thread per hub, stopped by {@link SignalingHub#close()}. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Default: {@link OfflineQueuePolicy#DEFAULT}; {@link OfflineQueuePolicy#DISABLED} turns it off. */
        public Builder offlineQueue(OfflineQueuePolicy policy) {
            this.offlineQueue = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Default: 10 s. {@link Duration#ZERO} turns resuming off. */
        public Builder resumeGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("resumeGrace must not be negative, was " + grace);
            }
            this.resumeGrace = grace;
            return this;
        }

        /** Default: {@link RateLimit#DEFAULT}; {@link RateLimit#UNLIMITED} turns it off. */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /** Default: 10,000. */
        public Builder maxConnections(int max) {
            this.maxConnections = atLeastOne("maxConnections", max);
            return this;
        }

        /** Default: 10,000. */
        public Builder maxPeers(int max) {
            this.maxPeers = atLeastOne("maxPeers", max);
            return this;
        }

        /** Default: 1 MiB. Zero turns the bound off. */
        public Builder maxBufferedBytes(long max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxBufferedBytes must not be negative, was " + max);
            }
            this.maxBufferedBytes = max;
            return this;
        }

        /** Default: 1,000. */
        public Builder maxConversations(int max) {
            this.maxConversations = atLeastOne("maxConversations", max);
            return this;
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

        public HubConfig build() {
            return new HubConfig(this);
        }
    }
}
