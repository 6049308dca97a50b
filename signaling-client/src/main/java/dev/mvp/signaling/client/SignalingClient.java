package dev.mvp.signaling.client;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.ErrorCodes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the signaling server: connects to the URL of its id, registers, sends offers, answers,
 * candidates and byes, and receives what other peers send through a {@link SignalingListener} and through
 * blocking {@code await...} calls.
 *
 * <pre>{@code
 * try (SignalingClient bob = SignalingClient.builder(URI.create("ws://localhost:8000/ws/bob"), "bob")
 *         .token(System.getenv("SIGNALING_TOKEN"))
 *         .build()
 *         .connect()) {                                   // returns once the server confirmed "bob"
 *     bob.sendOffer("alice", offerSdp);
 *     SignalingMessage answer = bob.awaitAnswer(Duration.ofSeconds(10));
 *     ...
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * Each connection runs on a daemon reader thread named {@code signaling-client-<id>-reader}, plus the
 * WebSocket library's writer and ping threads; with automatic reconnect there is also
 * {@code signaling-client-<id>-reconnect}. All of them belong to a thread group named
 * {@code signaling-client-<id>}, and {@link #close()} waits (at most a few seconds) until none is left.
 * Every public method is thread-safe.
 *
 * <h2>Receiving</h2>
 * Every relayed message and every error frame goes to the listener and into an inbox that the
 * {@code await...} methods take from: each takes the first message that matches and leaves the others for
 * later calls, so {@code awaitAnswer} does not lose the candidates that arrive before the answer. Take
 * what you do not need with {@link #drainMessages()}, or turn the inbox off with
 * {@link Builder#keepMessages(boolean)} when you only use a listener.
 *
 * <p>A client connects once; after {@link #close()} it cannot be used again.
 */
public final class SignalingClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingClient.class);
    private static final Duration CLOSE_HANDSHAKE_WAIT = Duration.ofSeconds(1);
    private static final Duration ABORT_WAIT = Duration.ofSeconds(2);
    private static final Set<String> RETRYABLE_REGISTER_ERRORS =
            Set.of(ErrorCodes.ID_TAKEN, ErrorCodes.INTERNAL_ERROR, ErrorCodes.REGISTER_TIMEOUT);

    /** Where a client is in its life. */
    public enum State {
        /** Built; {@link #connect()} not called yet. */
        NEW,
        /** {@link #connect()} is opening the connection and registering. */
        CONNECTING,
        /** Registered: messages can be sent and received. */
        REGISTERED,
        /** The connection ended; the client is reconnecting by itself. */
        RECONNECTING,
        /** The connection ended and the client will not reconnect; {@link #close()} it. */
        DISCONNECTED,
        /** {@link #close()} was called, or {@link #connect()} failed. */
        CLOSED
    }

    private final URI url;
    private final String id;
    private final String token;
    private final Map<String, String> headers;
    private final SignalingListener listener;
    private final ReconnectPolicy reconnect;
    private final Duration timeout;
    private final int pingIntervalSeconds;
    private final boolean keepMessages;

    private final ThreadGroup threads;
    private final Inbox inbox = new Inbox();
    private final AtomicLong pingIds = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> pings = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private State state = State.NEW; // guarded by lock
    private WsConnection current; // guarded by lock
    private ScheduledExecutorService reconnector; // guarded by lock
    private int registrations; // guarded by lock

    private SignalingClient(Builder b) {
        this.url = b.url;
        this.id = b.id;
        this.token = b.token;
        this.headers = Map.copyOf(b.headers);
        this.listener = b.listener;
        this.reconnect = b.reconnect;
        this.timeout = b.timeout;
        this.pingIntervalSeconds = (int) Math.min(Integer.MAX_VALUE, b.pingInterval.toSeconds());
        this.keepMessages = b.keepMessages;
        this.threads = new ThreadGroup("signaling-client-" + id);
    }

    /**
     * {@return a builder for a client that registers {@code id} at {@code url}}
     *
     * @param url the WebSocket URL the server serves this id at, e.g. {@code ws://localhost:8000/ws/alice}
     * @param id the peer id to register; must match the id in the URL path
     */
    public static Builder builder(URI url, String id) {
        return new Builder(url, id);
    }

    /**
     * Connects to {@code url} as {@code id}, without a token, and registers; see {@link #connect()}.
     *
     * @param url the server's WebSocket URL, e.g. {@code ws://localhost:8000/ws/alice}
     * @param id the peer id to register
     * @return the registered client
     */
    public static SignalingClient connect(URI url, String id) {
        return builder(url, id).build().connect();
    }

    /**
     * Opens the connection and registers, returning once the server confirmed the registration.
     *
     * @return this client, registered
     * @throws SignalingException if the server refused the registration ({@link SignalingException#error()}
     *     says why, e.g. {@code token-invalid} or {@code id-taken}), could not be reached, or did not confirm
     *     within the builder's timeout; the client is then closed
     * @throws IllegalStateException if {@code connect()} was called before
     */
    public SignalingClient connect() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("connect() was called already (the client is " + state
                        + "); a client connects once, and reconnects by itself when built with a ReconnectPolicy");
            }
            state = State.CONNECTING;
        }
        try {
            attempt();
        } catch (SignalingException e) {
            close();
            throw e;
        }
        return this;
    }

    /** {@return the id this client registers} */
    public String id() {
        return id;
    }

    /** {@return the URL this client connects to} */
    public URI url() {
        return url;
    }

    /** {@return where this client is in its lifecycle right now} */
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * {@return how many times the server confirmed this client's registration: 1 after connect, one more per reconnect}
     */
    public int registrations() {
        synchronized (lock) {
            return registrations;
        }
    }

    // --- sending --------------------------------------------------------------------------------

    /**
     * Sends {@code {"type":"offer","to":to,"sdp":sdp}}.
     *
     * @param to the recipient's id
     * @param sdp the session description
     */
    public void sendOffer(String to, String sdp) {
        sendRaw(Frames.withSdp("offer", requireId(to), Objects.requireNonNull(sdp, "sdp")));
    }

    /**
     * Sends {@code {"type":"answer","to":to,"sdp":sdp}}.
     *
     * @param to the recipient's id
     * @param sdp the session description
     */
    public void sendAnswer(String to, String sdp) {
        sendRaw(Frames.withSdp("answer", requireId(to), Objects.requireNonNull(sdp, "sdp")));
    }

    /**
     * Sends a {@code candidate} message with the candidate's four members.
     *
     * @param to the recipient's id
     * @param candidate the candidate to send
     */
    public void sendCandidate(String to, IceCandidate candidate) {
        sendRaw(Frames.candidate(requireId(to), Objects.requireNonNull(candidate, "candidate")));
    }

    /**
     * Sends {@code {"type":"candidate","to":to,"candidate":null}}: no more candidates will follow.
     *
     * @param to the recipient's id
     */
    public void sendEndOfCandidates(String to) {
        sendRaw(Frames.candidate(requireId(to), null));
    }

    /**
     * Sends {@code {"type":"bye","to":to}}, ending the conversation with {@code to}.
     *
     * @param to the recipient's id
     */
    public void sendBye(String to) {
        sendRaw(Frames.bye(requireId(to), null));
    }

    /**
     * Sends {@code {"type":"bye","to":to,"reason":reason}}.
     *
     * @param to the recipient's id
     * @param reason why the conversation ends, for the peer
     */
    public void sendBye(String to, String reason) {
        sendRaw(Frames.bye(requireId(to), Objects.requireNonNull(reason, "reason")));
    }

    /**
     * Sends one JSON text frame as it is: for types the server was configured to route, fields of your
     * own, a {@code mid} to match errors with, or deliberately malformed input in a test.
     *
     * @param json the frame's text
     * @throws SignalingException if the client is not registered right now (not connected yet, reconnecting,
     *     disconnected or closed)
     */
    public void sendRaw(String json) {
        Objects.requireNonNull(json, "json");
        WsConnection ws;
        synchronized (lock) {
            if (state != State.REGISTERED) {
                throw new SignalingException(id + " cannot send while " + state
                        + (state == State.NEW ? ": call connect() first" : ""));
            }
            ws = current;
        }
        try {
            ws.send(json);
        } catch (WebsocketNotConnectedException e) {
            throw new SignalingException(id + " cannot send: the connection has just closed", e);
        }
    }

    /**
     * Sends a {@code ping} and waits for the {@code pong}. As the server handles one connection's frames in
     * order, a returned ping also means everything sent before it was handled.
     *
     * @param timeout how long to wait at most
     * @return the round-trip time
     */
    public Duration ping(Duration timeout) {
        long mid = pingIds.incrementAndGet();
        CompletableFuture<Void> pong = new CompletableFuture<>();
        pings.put(mid, pong);
        long start = System.nanoTime();
        try {
            sendRaw(Frames.ping(mid));
            pong.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Duration.ofNanos(System.nanoTime() - start);
        } catch (TimeoutException e) {
            throw new SignalingTimeoutException(id + " got no pong within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new SignalingException(id + " got no pong: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignalingException("interrupted while waiting for a pong", e);
        } finally {
            pings.remove(mid);
        }
    }

    // --- receiving ------------------------------------------------------------------------------

    /**
     * Takes the next message received (relayed or error), waiting up to {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return the message
     * @throws SignalingTimeoutException if none came in time; its message lists what was received instead
     * @throws SignalingException at once if nothing more can come (the client is closed or disconnected for good)
     */
    public SignalingMessage awaitMessage(Duration timeout) {
        return take(m -> true, timeout, "message");
    }

    /**
     * Takes the first received message of {@code type}, waiting up to {@code timeout}; see
     * {@link #awaitMessage(Duration)}.
     *
     * @param type the message type to wait for
     * @param timeout how long to wait at most
     * @return the message
     */
    public SignalingMessage awaitMessage(String type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        return take(m -> m.is(type), timeout, "'" + type + "'");
    }

    /**
     * Takes the first received message that {@code filter} accepts, waiting up to {@code timeout}.
     *
     * @param filter what the message must match
     * @param timeout how long to wait at most
     * @return the message
     */
    public SignalingMessage awaitMessage(Predicate<SignalingMessage> filter, Duration timeout) {
        return take(Objects.requireNonNull(filter, "filter"), timeout, "matching message");
    }

    /**
     * Takes the first received {@code offer}.
     *
     * @param timeout how long to wait at most
     * @return the offer
     */
    public SignalingMessage awaitOffer(Duration timeout) {
        return awaitMessage("offer", timeout);
    }

    /**
     * Takes the first received {@code answer}.
     *
     * @param timeout how long to wait at most
     * @return the answer
     */
    public SignalingMessage awaitAnswer(Duration timeout) {
        return awaitMessage("answer", timeout);
    }

    /**
     * Takes the first received {@code candidate} (including an end-of-candidates one).
     *
     * @param timeout how long to wait at most
     * @return the candidate message
     */
    public SignalingMessage awaitCandidate(Duration timeout) {
        return awaitMessage("candidate", timeout);
    }

    /**
     * Takes the first received {@code bye}.
     *
     * @param timeout how long to wait at most
     * @return the bye
     */
    public SignalingMessage awaitBye(Duration timeout) {
        return awaitMessage("bye", timeout);
    }

    /**
     * Takes the first received {@code error}.
     *
     * @param timeout how long to wait at most
     * @return the error
     */
    public SignalingError awaitError(Duration timeout) {
        return awaitMessage("error", timeout).asError();
    }

    /**
     * Takes every received message nobody has taken yet, without waiting.
     *
     * @return the messages, oldest first
     */
    public List<SignalingMessage> drainMessages() {
        return inbox.drain();
    }

    /**
     * Waits until the server confirmed this client's registration at least {@code count} times: 1 after
     * {@link #connect()}, 2 after the first automatic reconnect, and so on.
     *
     * @param count the number of registrations to wait for
     * @param timeout how long to wait at most
     * @throws SignalingTimeoutException if that did not happen in time
     * @throws SignalingException at once if it cannot happen any more (disconnected for good, or closed)
     */
    public void awaitRegistrations(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (registrations < count) {
                if (state == State.DISCONNECTED || state == State.CLOSED) {
                    throw new SignalingException(id + " is " + state + " after " + registrations
                            + " registrations; it will not reach " + count);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SignalingTimeoutException(id + " was registered " + registrations + " times, not "
                            + count + ", within " + timeout.toMillis() + " ms (state " + state + ")");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SignalingException("interrupted while waiting for a registration", e);
                }
            }
        }
    }

    private SignalingMessage take(Predicate<SignalingMessage> filter, Duration timeout, String what) {
        Objects.requireNonNull(timeout, "timeout");
        if (!keepMessages) {
            throw new IllegalStateException("this client was built with keepMessages(false); use its listener");
        }
        return inbox.take(filter, timeout, id, what);
    }

    // --- closing --------------------------------------------------------------------------------

    /**
     * Closes the connection (code 1000), stops reconnecting, and waits until every thread of this client
     * ended: a second or two at most, even if the server does not answer. Waiting {@code await...} calls fail
     * at once. Idempotent; may be called from a listener.
     */
    @Override
    public void close() {
        WsConnection ws;
        ScheduledExecutorService r;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            ws = current;
            current = null;
            r = reconnector;
            lock.notifyAll();
        }
        inbox.end(id + " was closed");
        pings.values().forEach(p -> p.completeExceptionally(new SignalingException(id + " was closed")));
        if (r != null) {
            r.shutdownNow();
        }
        if (ws != null) {
            ws.closeQuietly(CloseCodes.NORMAL, "");
        }
        if (!joinThreads(CLOSE_HANDSHAKE_WAIT) && ws != null) {
            ws.abort("the server did not finish the close handshake");
            if (!joinThreads(ABORT_WAIT)) {
                log.warn("{}: threads still running after close: {}", id, liveThreads());
            }
        }
    }

    /** Waits for this client's threads other than the caller's; true if none is left. */
    private boolean joinThreads(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Thread> live = liveThreads();
            if (live.isEmpty()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                live.get(0).join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private List<Thread> liveThreads() {
        Thread[] all = new Thread[threads.activeCount() + 8];
        int n = threads.enumerate(all, true);
        List<Thread> live = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (all[i] != Thread.currentThread() && all[i].isAlive()) {
                live.add(all[i]);
            }
        }
        return live;
    }

    @Override
    public String toString() {
        return "SignalingClient[" + id + ", " + state() + ", " + url + "]";
    }

    // --- connecting and reconnecting ---------------------------------------------------------------

    /** Opens one connection and waits for its registration. */
    private void attempt() {
        WsConnection ws = new WsConnection(this, url, headers, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()),
                pingIntervalSeconds, Frames.register(id, token));
        synchronized (lock) {
            if (state == State.CLOSED) {
                throw new SignalingException(id + " was closed");
            }
            current = ws;
        }
        ws.start(threads, "signaling-client-" + id + "-reader");
        try {
            ws.registration.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ws.abort("no registration in time");
            throw new SignalingTimeoutException(id + " was not registered at " + url + " within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            ws.abort("registration failed");
            throw e.getCause() instanceof SignalingException se ? se
                    : new SignalingException(id + " could not register at " + url, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ws.abort("interrupted");
            throw new SignalingException("interrupted while connecting " + id, e);
        }
    }

    private void scheduleReconnect(int attemptNumber) {
        Duration delay = reconnect.delayBefore(attemptNumber);
        synchronized (lock) {
            if (state != State.RECONNECTING) {
                return;
            }
            if (reconnector == null) {
                reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(threads, r, "signaling-client-" + id + "-reconnect");
                    t.setDaemon(true);
                    return t;
                });
            }
            reconnector.schedule(() -> reconnect(attemptNumber), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void reconnect(int attemptNumber) {
        try {
            attempt();
        } catch (SignalingException e) {
            synchronized (lock) {
                if (state != State.RECONNECTING) {
                    return;
                }
            }
            boolean retryable = e.error() == null || RETRYABLE_REGISTER_ERRORS.contains(e.code());
            if (retryable && attemptNumber < reconnect.maxAttempts()) {
                log.debug("{}: reconnect attempt {} failed: {}", id, attemptNumber, e.getMessage());
                scheduleReconnect(attemptNumber + 1);
                return;
            }
            synchronized (lock) {
                if (state != State.RECONNECTING) {
                    return;
                }
                state = State.DISCONNECTED;
                lock.notifyAll();
            }
            inbox.end("reconnecting failed after " + attemptNumber + " attempts: " + e.getMessage());
            notifyListener(() -> listener.onReconnectFailed(e));
        }
    }

    // --- events from the connection (its reader thread) ---------------------------------------------

    void onRegistered(WsConnection ws) {
        boolean again;
        synchronized (lock) {
            if (ws != current || state == State.CLOSED) {
                return;
            }
            again = registrations > 0;
            state = State.REGISTERED;
        }
        inbox.reopen();
        notifyListener(() -> listener.onRegistered(id, again));
        synchronized (lock) { // counted after the listener ran, so awaitRegistrations callers see its effects
            registrations++;
            lock.notifyAll();
        }
    }

    void onReceived(WsConnection ws, SignalingMessage m) {
        if (keepMessages) {
            inbox.add(m);
        }
        if (m.is("error")) {
            SignalingError error = m.asError();
            notifyListener(() -> listener.onError(error));
        } else {
            notifyListener(() -> listener.onMessage(m));
        }
    }

    void onPong(SignalingMessage m) {
        String mid = m.member("mid");
        if (mid != null) {
            try {
                CompletableFuture<Void> waiting = pings.get(Long.parseLong(mid));
                if (waiting != null) {
                    waiting.complete(null);
                }
            } catch (NumberFormatException ignored) {
                // a pong for a ping someone else sent with sendRaw
            }
        }
    }

    void unreadable(String text, String problem) {
        log.warn("{}: ignoring a frame the server sent that is not a protocol message ({}): {}", id, problem,
                text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    void onClosed(WsConnection ws, int code, String reason) {
        boolean reconnecting;
        synchronized (lock) {
            if (ws != current) {
                return;
            }
            current = null;
            if (!ws.isRegistered() || state == State.CLOSED) {
                return; // a failed attempt: whoever waits for it reports it
            }
            reconnecting = reconnect.isEnabled()
                    && code != CloseCodes.POLICY_VIOLATION && code != CloseCodes.REPLACED;
            state = reconnecting ? State.RECONNECTING : State.DISCONNECTED;
            lock.notifyAll();
        }
        if (!reconnecting) {
            inbox.end("the connection closed (code " + code + (reason.isEmpty() ? "" : ", " + reason) + ")");
        }
        pings.values().forEach(p -> p.completeExceptionally(new SignalingException("the connection closed")));
        notifyListener(() -> listener.onDisconnected(code, reason, reconnecting));
        if (reconnecting) {
            scheduleReconnect(1);
        }
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("{}: the SignalingListener threw; ignored", id, e);
        }
    }

    private static String requireId(String to) {
        return Objects.requireNonNull(to, "to");
    }

    /** Builds a {@link SignalingClient}. Not thread-safe. */
    public static final class Builder {
        private final URI url;
        private final String id;
        private String token;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private SignalingListener listener = new SignalingListener() {};
        private ReconnectPolicy reconnect = ReconnectPolicy.none();
        private Duration timeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(30);
        private boolean keepMessages = true;

        private Builder(URI url, String id) {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(id, "id");
            String scheme = url.getScheme();
            if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("the url must start with ws:// or wss://, was " + url);
            }
            if (id.isEmpty()) {
                throw new IllegalArgumentException("the id must not be empty");
            }
            this.url = url;
            this.id = id;
        }

        /**
         * The token sent with {@code register}. Default: none. It is never logged nor shown by {@code toString()}.
         *
         * @param token the token
         * @return this builder
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * Adds an HTTP header to the WebSocket handshake, e.g. for an authenticator that reads headers.
         *
         * @param name the header's name
         * @param value the header's value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Who hears about messages, errors and disconnects. Default: nobody.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(SignalingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Default: {@link ReconnectPolicy#none()}.
         *
         * @param policy when and how often to reconnect
         * @return this builder
         */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How long connecting and registering may take, for {@link #connect()} and each reconnect. Default: 10 s.
         *
         * @param timeout the bound for connecting and registering
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How often to ping the server to notice a dead connection, in whole seconds; {@link Duration#ZERO}
         * turns it off. Default: 30 s.
         *
         * @param interval the interval, or {@link Duration#ZERO}
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("pingInterval must not be negative, was " + interval);
            }
            this.pingInterval = interval;
            return this;
        }

        /**
         * Whether received messages are kept for the {@code await...} methods. Default: true. Turn it off
         * when only a listener reads them, so a long-running client does not accumulate them.
         *
         * @param keep whether to keep them
         * @return this builder
         */
        public Builder keepMessages(boolean keep) {
            this.keepMessages = keep;
            return this;
        }

        /** {@return a client, not connected yet: call {@link SignalingClient#connect()}} */
        public SignalingClient build() {
            return new SignalingClient(this);
        }
    }
}
