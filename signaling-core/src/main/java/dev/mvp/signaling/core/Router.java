package dev.mvp.signaling.core;

import com.google.gson.stream.JsonToken;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of a routable message once it is parsed: the rules for its fields, the interceptors, then
 * delivery to the recipient, or holding it while the recipient is away, or bouncing it to the sender.
 * Runs on the sender's thread, without locks of its own.
 */
final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final SignalingHub hub;
    private final HubConfig config;
    private final PeerDirectory directory;
    private final HubListener listener;
    private final List<MessageInterceptor> interceptors;
    private final OfflineQueue queue;
    private final LongAdder routed = new LongAdder();

    Router(SignalingHub hub, HubConfig config, PeerDirectory directory, HubListener listener, Scheduler scheduler) {
        this.hub = hub;
        this.config = config;
        this.directory = directory;
        this.listener = listener;
        this.interceptors = config.interceptors();
        this.queue = config.offlineQueue().enabled()
                ? new OfflineQueue(config.offlineQueue(), scheduler, this::expired) : null;
    }

    /** The messages held for absent peers, or null when holding is off. */
    OfflineQueue queue() {
        return queue;
    }

    long routedCount() {
        return routed.sum();
    }

    void route(LocalSession s, InboundMessage m) {
        String type = m.type;
        if (!HubConfig.CORE_ROUTABLE_TYPES.contains(type) && !config.extraRoutableTypes().contains(type)) {
            hub.reject(s, ErrorCodes.UNKNOWN_TYPE, "unknown message type '" + type + "'", type, m.to, m.mid);
            return;
        }
        String self = s.peerId();
        if (self == null) {
            hub.reject(s, ErrorCodes.NOT_REGISTERED, "send register before '" + type + "'", type, m.to, m.mid);
            return;
        }
        if (m.hasFrom && !self.equals(m.from)) {
            hub.reject(s, ErrorCodes.FROM_MISMATCH, "'from' is '" + m.from + "' but this connection is registered as '"
                    + self + "'", type, m.to, m.mid);
            return;
        }
        FieldProblem problem = fieldProblem(m);
        if (problem != null) {
            hub.reject(s, problem.code(), problem.message(), type, m.to, m.mid);
            return;
        }
        if (!Protocol.BYE.equals(type) && !s.hasRoomFor(m.to, config.maxConversations())) {
            hub.reject(s, ErrorCodes.TOO_MANY_CONVERSATIONS, "you are in conversation with "
                    + config.maxConversations() + " peers, the most allowed; send bye to one you are done with "
                    + "before starting another", type, m.to, m.mid);
            return;
        }
        String frame = m.hasFrom ? m.text : Protocol.stampFrom(m.text, self);
        Envelope envelope = new Envelope(type, self, m.to, frame, m.mid);
        if (interceptors.isEmpty()) {
            deliver(s, envelope);
        } else {
            intercept(s, envelope, 0);
        }
    }

    /** A routable message's field that is absent or wrong: the error code and the sentence for the client. */
    private record FieldProblem(String code, String message) {
        static FieldProblem missing(String message) {
            return new FieldProblem(ErrorCodes.MISSING_FIELD, message);
        }

        static FieldProblem invalid(String message) {
            return new FieldProblem(ErrorCodes.INVALID_FIELD, message);
        }
    }

    /**
     * What is wrong with a routable message's fields, or null. Strict on routing ({@code to}); on the
     * payload only what tells a recipient what it got: an {@code sdp} that holds SDP text, a
     * {@code candidate} in one of the forms WebRTC code sends. Everything else is relayed untouched.
     */
    private static FieldProblem fieldProblem(InboundMessage m) {
        if (m.to == null) {
            return FieldProblem.missing("'" + m.type + "' needs a 'to'");
        }
        if (!PeerIds.isValid(m.to)) {
            return FieldProblem.invalid("'to' is not a valid peer id: " + PeerIds.problem(m.to));
        }
        return switch (m.type) {
            case "offer", "answer" -> sdpProblem(m);
            case "candidate" -> candidateProblem(m);
            default -> null;
        };
    }

    /**
     * {@code sdp} is the SDP text, or a session description as a browser serialises one
     * ({@code {"type":"offer","sdp":"v=0..."}}): its {@code sdp} a string, its {@code type}, when present,
     * the message's own type, so that an answer never arrives labelled as an offer.
     */
    private static FieldProblem sdpProblem(InboundMessage m) {
        if (m.sdpKind == null) {
            return FieldProblem.missing("'" + m.type + "' needs an 'sdp'");
        }
        if (m.sdpKind == JsonToken.STRING) {
            return null;
        }
        if (m.sdpKind != JsonToken.BEGIN_OBJECT) {
            return FieldProblem.invalid("'sdp' must be a string or a session description object, was "
                    + InboundMessage.kind(m.sdpKind));
        }
        if (m.sdpTextKind == null) {
            return FieldProblem.missing("an 'sdp' object needs an 'sdp' member with the SDP text");
        }
        if (m.sdpTextKind != JsonToken.STRING) {
            return FieldProblem.invalid("sdp.sdp must be a string, was " + InboundMessage.kind(m.sdpTextKind));
        }
        if (m.sdpTypeKind != null && !m.type.equals(m.sdpType)) {
            return FieldProblem.invalid("sdp.type must be '" + m.type + "' like the message, was "
                    + (m.sdpType != null ? "'" + m.sdpType + "'" : InboundMessage.kind(m.sdpTypeKind)));
        }
        return null;
    }

    /** {@code candidate} is an RTCIceCandidateInit object, the bare candidate line, or null (end of candidates). */
    private static FieldProblem candidateProblem(InboundMessage m) {
        if (m.candidateKind == null) {
            return FieldProblem.missing("'candidate' needs a 'candidate' (null marks the end of candidates)");
        }
        if (m.candidateKind != JsonToken.BEGIN_OBJECT && m.candidateKind != JsonToken.STRING
                && m.candidateKind != JsonToken.NULL) {
            return FieldProblem.invalid("'candidate' must be an object, a string or null, was "
                    + InboundMessage.kind(m.candidateKind));
        }
        return null;
    }

    private void intercept(LocalSession s, Envelope e, int index) {
        if (index == interceptors.size()) {
            deliver(s, e);
            return;
        }
        InterceptorChain chain = new InterceptorChain(s, e, index);
        try {
            interceptors.get(index).intercept(e, chain);
        } catch (RuntimeException ex) {
            log.warn("Interceptor {} failed on {}", interceptors.get(index), e, ex);
            if (chain.claim()) {
                hub.reject(s, ErrorCodes.INTERNAL_ERROR, "the server could not handle the message", e.type(), e.to(),
                        e.mid());
            }
        }
    }

    /** Routes a held message again, its checks and interceptors passed already. */
    void reroute(LocalSession s, Envelope e) {
        deliver(s, e);
    }

    private void deliver(LocalSession s, Envelope e) {
        // At most a few rounds: a recipient that registers or leaves while we look is looked up again.
        for (int round = 0; round < 3; round++) {
            Peer target = directory.get(e.to());
            LocalSession local = LocalSession.of(target);
            if (local != null) { // a connection in this process: counted before the hand-off, below
                if (!Protocol.BYE.equals(e.type()) && !local.hasRoomFor(e.from(), config.maxConversations())) {
                    hub.reject(s, ErrorCodes.TOO_MANY_CONVERSATIONS, "'" + e.to() + "' is in conversation with "
                            + config.maxConversations() + " peers, the most allowed", e.type(), e.to(), e.mid());
                    return;
                }
                if (local.admit(e)) {
                    // Counted and reported before the hand-off: whoever sees the frame arrive can rely on
                    // the stats and the listener having seen it too.
                    delivered(s, e);
                    local.handOff(e);
                    return;
                }
            } else if (target != null && target.deliver(e)) {
                delivered(s, e);
                return;
            }
            if (queue == null) {
                break;
            }
            OfflineQueue.Outcome outcome = queue.hold(e, s, directory);
            switch (outcome) {
                case HELD -> {
                    return;
                }
                case RECIPIENT_ARRIVED -> { }
                default -> {
                    hub.reject(s, ErrorCodes.QUEUE_FULL, "'" + e.to() + "' is not connected and the message cannot "
                            + "be held: " + outcome.refusal(e.to(), config.offlineQueue()), e.type(), e.to(),
                            e.mid());
                    return;
                }
            }
        }
        hub.reject(s, ErrorCodes.PEER_NOT_FOUND, "no peer '" + e.to() + "' is connected", e.type(), e.to(),
                e.mid());
    }

    void delivered(LocalSession sender, Envelope e) {
        routed.increment();
        sender.noteContact(e.type(), e.to());
        listener.routed(e);
    }

    /** A held message's time ran out: tell its sender. */
    private void expired(OfflineQueue.Held h) {
        Envelope e = h.envelope;
        h.sender.hub().reject(h.sender, ErrorCodes.DELIVERY_EXPIRED, "'" + e.to() + "' did not connect within "
                + config.offlineQueue().holdFor().toMillis() + " ms; the " + e.type() + " was not delivered",
                e.type(), e.to(), e.mid());
    }

    /** One interceptor's view of the rest of the path. */
    private final class InterceptorChain implements MessageInterceptor.Chain {
        private final LocalSession sender;
        private final Envelope envelope;
        private final int index;
        private final AtomicBoolean used = new AtomicBoolean();

        InterceptorChain(LocalSession sender, Envelope envelope, int index) {
            this.sender = sender;
            this.envelope = envelope;
            this.index = index;
        }

        boolean claim() {
            return used.compareAndSet(false, true);
        }

        @Override
        public void proceed() {
            if (!claim()) {
                throw new IllegalStateException("proceed() or reject() was called already for " + envelope);
            }
            intercept(sender, envelope, index + 1);
        }

        @Override
        public void reject(String code, String message) {
            if (!claim()) {
                throw new IllegalStateException("proceed() or reject() was called already for " + envelope);
            }
            hub.reject(sender, code, message, envelope.type(), envelope.to(), envelope.mid());
        }
    }

}
