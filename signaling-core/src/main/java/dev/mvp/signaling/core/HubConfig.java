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

    @Override
    public String toString() {
        return "HubConfig{duplicateIdPolicy=" + duplicateIdPolicy
                + ", maxMessageLength=" + maxMessageLength
                + ", registerTimeout=" + registerTimeout
                + ", extraRoutableTypes=" + extraRoutableTypes
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

        public HubConfig build() {
            return new HubConfig(this);
        }
    }
}
