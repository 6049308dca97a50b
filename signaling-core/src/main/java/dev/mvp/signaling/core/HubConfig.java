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
    private final IceServers iceServers;
    private final int maxConversations;
    private final RoomPolicy rooms;
    private final RoomAccess roomAccess;
    private final RoomDirectory roomDirectory;

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
        this.iceServers = b.iceServers;
        this.maxConversations = b.maxConversations;
        this.rooms = b.rooms;
        this.roomAccess = b.roomAccess;
        this.roomDirectory = b.roomDirectory;
    }

    /** {@return a configuration with every default} */
    public static HubConfig defaults() {
        return builder().build();
    }

    /** {@return a builder with every default} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this configuration's values} */
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
        b.iceServers = iceServers;
        b.maxConversations = maxConversations;
        b.rooms = rooms;
        b.roomAccess = roomAccess;
        b.roomDirectory = roomDirectory;
        return b;
    }

    /** {@return who may register which id} */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** {@return who hears about hub events} */
    public HubListener listener() {
        return listener;
    }

    /** {@return the interceptors, in the order they run} */
    public List<MessageInterceptor> interceptors() {
        return interceptors;
    }

    /** {@return what happens when a client registers an id that is taken} */
    public DuplicateIdPolicy duplicateIdPolicy() {
        return duplicateIdPolicy;
    }

    /** {@return types routed like {@code offer} beyond the protocol's own (see {@link #CORE_ROUTABLE_TYPES})} */
    public Set<String> extraRoutableTypes() {
        return extraRoutableTypes;
    }

    /** {@return the longest text frame the hub parses, in UTF-16 chars; longer ones get {@code message-too-large}} */
    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** {@return how long a connection may stay unregistered before it is closed; zero means forever} */
    public Duration registerTimeout() {
        return registerTimeout;
    }

    /** {@return the directory given to the builder, or {@code null}: then each hub keeps its own in memory} */
    public PeerDirectory directory() {
        return directory;
    }

    /** {@return the scheduler given to the builder, or {@code null}: then each hub runs its own timer thread} */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** {@return how messages to absent peers are held} */
    public OfflineQueuePolicy offlineQueue() {
        return offlineQueue;
    }

    /**
     * {@return how long the id of a client with a verified token stays reserved after its connection drops, so it
     * can come back without its peers being told it left; zero turns resuming off}
     */
    public Duration resumeGrace() {
        return resumeGrace;
    }

    /** {@return the per-connection message rate limit} */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** {@return the most connections the hub holds at once, registered or not} */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@return the most registered peers the hub holds at once} */
    public int maxPeers() {
        return maxPeers;
    }

    /**
     * {@return the most bytes that may wait to be written to one client (as its transport reports them); a client
     * that lets more pile up is disconnected with {@link CloseCodes#SLOW_CONSUMER}} Zero turns it off.
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** {@return the STUN/TURN servers each client is told about in {@code registered}} */
    public IceServers iceServers() {
        return iceServers;
    }

    /**
     * {@return the most peers one connection may be in conversation with at once} Those it sent a message to or
     * received one from since the last {@code bye} between them, the peers the hub tells when it leaves.
     * A message that would start one more, on either side, is refused with
     * {@link ErrorCodes#TOO_MANY_CONVERSATIONS}; a {@code bye}, or the other peer leaving, frees a place.
     * Messages held for a client while it was away are delivered at its registration even past the bound.
     */
    public int maxConversations() {
        return maxConversations;
    }

    /** {@return whether rooms and presence are on, and their bounds} */
    public RoomPolicy rooms() {
        return rooms;
    }

    /** {@return who may join which room and whom a member sees} */
    public RoomAccess roomAccess() {
        return roomAccess;
    }

    /** {@return the room directory given to the builder, or {@code null}: then each hub keeps its own in memory} */
    public RoomDirectory roomDirectory() {
        return roomDirectory;
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
                + ", iceServers=" + iceServers
                + ", maxConversations=" + maxConversations
                + ", rooms=" + rooms
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
        private IceServers iceServers = IceServers.none();
        private int maxConversations = 1_000;
        private RoomPolicy rooms = RoomPolicy.DISABLED;
        private RoomAccess roomAccess = RoomAccess.allowAll();
        private RoomDirectory roomDirectory;

        private Builder() {}

        /**
         * Who may register which id. Default: {@link Authenticator#allowAll()}.
         *
         * @param authenticator the authenticator
         * @return this builder
         */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * Who hears about hub events. Default: nobody. Combine several with {@link HubListener#all}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(HubListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Adds an interceptor after those already added.
         *
         * @param interceptor the interceptor
         * @return this builder
         */
        public Builder addInterceptor(MessageInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Default: {@link DuplicateIdPolicy#REJECT}.
         *
         * @param policy what to do when an id is taken
         * @return this builder
         */
        public Builder duplicateIdPolicy(DuplicateIdPolicy policy) {
            this.duplicateIdPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Also routes messages of this type (they need a {@code to}, like {@code offer}). The protocol's
         * own types and {@code register}, {@code registered}, {@code error}, {@code ping}, {@code pong},
         * {@code ice-servers} cannot be added.
         *
         * @param type the message type
         * @return this builder
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

        /**
         * Default: 65,536 chars. Must be at least 1,024 (an SDP is a few KB).
         *
         * @param chars the longest message, in chars
         * @return this builder
         */
        public Builder maxMessageLength(int chars) {
            if (chars < 1024) {
                throw new IllegalArgumentException("maxMessageLength must be at least 1024 chars, was " + chars);
            }
            this.maxMessageLength = chars;
            return this;
        }

        /**
         * Default: 10 s. {@link Duration#ZERO} disables the deadline.
         *
         * @param timeout how long a connection may take to register
         * @return this builder
         */
        public Builder registerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("registerTimeout must not be negative, was " + timeout);
            }
            this.registerTimeout = timeout;
            return this;
        }

        /**
         * Default: a new in-memory directory per hub.
         *
         * @param directory the directory of registered peers
         * @return this builder
         */
        public Builder directory(PeerDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Default: a timer thread per hub, stopped by {@link SignalingHub#close()}.
         *
         * @param scheduler the scheduler of deadlines and timers
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Default: {@link OfflineQueuePolicy#DEFAULT}; {@link OfflineQueuePolicy#DISABLED} turns it off.
         *
         * @param policy how messages for peers not connected yet are held
         * @return this builder
         */
        public Builder offlineQueue(OfflineQueuePolicy policy) {
            this.offlineQueue = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Default: 10 s. {@link Duration#ZERO} turns resuming off.
         *
         * @param grace how long a dropped client's id is kept for it to resume
         * @return this builder
         */
        public Builder resumeGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("resumeGrace must not be negative, was " + grace);
            }
            this.resumeGrace = grace;
            return this;
        }

        /**
         * Default: {@link RateLimit#DEFAULT}; {@link RateLimit#UNLIMITED} turns it off.
         *
         * @param limit the rate limit
         * @return this builder
         */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /**
         * Default: 10,000.
         *
         * @param max the most open connections
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = atLeastOne("maxConnections", max);
            return this;
        }

        /**
         * Default: 10,000.
         *
         * @param max the most registered peers
         * @return this builder
         */
        public Builder maxPeers(int max) {
            this.maxPeers = atLeastOne("maxPeers", max);
            return this;
        }

        /**
         * Default: 1 MiB. Zero turns the bound off.
         *
         * @param max the most bytes held for one connection; zero for no bound
         * @return this builder
         */
        public Builder maxBufferedBytes(long max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxBufferedBytes must not be negative, was " + max);
            }
            this.maxBufferedBytes = max;
            return this;
        }

        /**
         * The STUN/TURN servers handed to each client in {@code registered} and on request. Default:
         * {@link IceServers#none()}. Combine fixed servers and {@link TurnRestCredentials} with
         * {@link IceServers#and}.
         *
         * @param iceServers who is told about which servers
         * @return this builder
         */
        public Builder iceServers(IceServers iceServers) {
            this.iceServers = Objects.requireNonNull(iceServers, "iceServers");
            return this;
        }

        /**
         * Default: 1,000. See {@link HubConfig#maxConversations()}.
         *
         * @param max the most conversations one connection may hold
         * @return this builder
         */
        public Builder maxConversations(int max) {
            this.maxConversations = atLeastOne("maxConversations", max);
            return this;
        }

        /**
         * Rooms and presence. Default: {@link RoomPolicy#DISABLED}; {@link RoomPolicy#ENABLED} turns them on
         * with the default bounds.
         *
         * @param policy whether rooms are on, and their bounds
         * @return this builder
         */
        public Builder rooms(RoomPolicy policy) {
            this.rooms = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Who may join which room and whom a member sees. Default: {@link RoomAccess#allowAll()}.
         *
         * @param access the hook
         * @return this builder
         */
        public Builder roomAccess(RoomAccess access) {
            this.roomAccess = Objects.requireNonNull(access, "access");
            return this;
        }

        /**
         * Where room memberships are kept. Default: a new in-memory directory per hub.
         *
         * @param directory the room directory
         * @return this builder
         */
        public Builder roomDirectory(RoomDirectory directory) {
            this.roomDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

        /** {@return a configuration with these values} */
        public HubConfig build() {
            return new HubConfig(this);
        }
    }
}
