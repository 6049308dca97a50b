package dev.mvp.signaling.junit5;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.DuplicateIdPolicy;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * A real signaling server on a free loopback port for JUnit 5 tests, with a {@link Recording} of every
 * message its hub routed or rejected and {@link Faults} to inject.
 *
 * <pre>{@code
 * class MyAgentTest {
 *     @RegisterExtension
 *     static SignalingServerExtension server = SignalingServerExtension.newInstance().build();
 *
 *     @Test
 *     void agentAnswersAnOffer(@Client("bob") SignalingClient bob) {
 *         MyAgent agent = MyAgent.start(server.url("alice"));
 *         bob.sendOffer("alice", sdp);
 *         server.recording().awaitRouted("alice", "answer", "bob", Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * In a {@code static} field the server starts before the first test of the class and stops after the
 * last (JUnit's store closes it). In an instance field, each test gets a server of its own. Either way no
 * thread of the server outlives it. Outside JUnit, {@link #start()} and {@link #close()} do the same by hand.
 *
 * <h2>Tests in parallel</h2>
 * Each test has its own {@link #recording()} and {@link #faults()}; a peer id it uses ({@link #url},
 * {@link Client}, a fault's recipient) belongs to it until it ends, and a second test running at the same
 * time that asks for the same id fails with a message saying so. {@code recording()}, {@code faults()} and
 * {@code url(id)} find the test from the calling thread (the test method's, its {@code @BeforeEach} and
 * {@code @AfterEach}); from threads of your own, while several tests run, inject {@link SignalingServerInfo},
 * {@link Recording} or {@link Faults} parameters instead. (The extension does not declare a JUnit
 * {@code ResourceLock} instead: that would run the tests sharing a server one at a time, and JUnit before
 * 5.12 offers extensions no way to declare one.)
 *
 * <p>Getters throw {@link IllegalStateException} while no server runs. Thread-safe.
 */
public final class SignalingServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver, InvocationInterceptor, AutoCloseable {

    private final ServerConfig serverConfig;
    private final boolean failOnUnexpectedRejections;
    private final Namespace namespace = Namespace.create(SignalingServerExtension.class, this);
    private final ThreadLocal<TestScope> current = new ThreadLocal<>();
    private volatile Fixture fixture;

    private SignalingServerExtension(ServerConfig serverConfig, boolean failOnUnexpectedRejections) {
        this.serverConfig = serverConfig;
        this.failOnUnexpectedRejections = failOnUnexpectedRejections;
    }

    /**
     * A builder; {@code newInstance().build()} gives a server with every default (anyone may register).
     *
     * @return a builder
     */
    public static Builder newInstance() {
        return new Builder();
    }

    // --- JUnit callbacks: a server per class or per test, closed by JUnit's store -------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        if (fixture == null) { // a @Nested class shares its outer class's server
            start();
            context.getStore(namespace).put("server", new Closer(this::close));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        boolean perTest = fixture == null;
        Fixture f = perTest ? start().fixture : fixture;
        TestScope scope = f.beginTest(context.getDisplayName() + " (" + context.getUniqueId() + ")");
        current.set(scope);
        context.getStore(namespace).put("test", new Closer(() -> {
            f.endTest(scope, !perTest);
            if (perTest) {
                close();
            }
        }));
        context.getStore(namespace).put("scope", scope);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        current.remove();
        TestScope scope = context.getStore(namespace).get("scope", TestScope.class);
        if (failOnUnexpectedRejections && scope != null) {
            List<RecordedMessage> unexpected = scope.recording.unexpectedRejections();
            if (!unexpected.isEmpty()) {
                StringBuilder sb = new StringBuilder().append(unexpected.size())
                        .append(unexpected.size() == 1 ? " message was" : " messages were")
                        .append(" rejected that the test did not expect (failOnUnexpectedRejections is on; expect one "
                                + "with recording().awaitRejected(sender, code, timeout)):");
                for (RecordedMessage m : unexpected) {
                    sb.append("\n  ").append(m).append(": ").append(m.error());
                }
                throw new AssertionError(sb.toString());
            }
        }
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                          ExtensionContext context) throws Throwable {
        inScope(invocation, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        inScope(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        inScope(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        inScope(invocation, context);
    }

    /** Runs a test's code knowing its test, on whichever thread JUnit runs it (a timeout may use its own). */
    private void inScope(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        TestScope scope = context.getStore(namespace).get("scope", TestScope.class);
        TestScope before = current.get();
        current.set(scope);
        try {
            invocation.proceed();
        } finally {
            if (before == null) {
                current.remove();
            } else {
                current.set(before);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SignalingServerInfo.class || type == Recording.class || type == Faults.class
                || parameter.isAnnotated(Client.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Fixture f = fixture;
        if (f == null) {
            throw new ParameterResolutionException("no signaling server runs yet for " + parameter.getParameter()
                    + ": a server per test (an instance field) starts after the constructor; inject into a test "
                    + "method or a @BeforeEach method");
        }
        TestScope scope = context.getStore(namespace).get("scope", TestScope.class);
        if (scope == null) {
            scope = f.everything(); // @BeforeAll: belongs to the class
        }
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(Client.class)) {
            if (type != SignalingClient.class) {
                throw new ParameterResolutionException("@Client goes on a parameter of type "
                        + SignalingClient.class.getName() + ", not " + type.getName());
            }
            Client c = parameter.findAnnotation(Client.class).orElseThrow();
            SignalingClient.Builder b = SignalingClient.builder(scope.info.url(c.value()), c.value());
            if (!c.token().isEmpty()) {
                b.token(c.token());
            }
            SignalingClient client = b.build().connect();
            scope.adopt(client);
            return client;
        }
        return type == SignalingServerInfo.class ? scope.info : type == Recording.class ? scope.recording : scope.faults;
    }

    // --- lifecycle by hand ---------------------------------------------------------------------------

    /**
     * Starts a server on its address (by default a free loopback port); returns once it accepts connections.
     * The JUnit callbacks call this; call it yourself only outside JUnit.
     *
     * @return this extension, for chaining
     * @throws IllegalStateException if a server is running already
     * @throws dev.mvp.signaling.server.ServerStartException if the address cannot be bound
     */
    public synchronized SignalingServerExtension start() {
        if (fixture != null) {
            throw new IllegalStateException("the signaling server is running already on port " + fixture.server().port());
        }
        fixture = Fixture.start(serverConfig);
        return this;
    }

    /**
     * Stops the server and starts a new one on the same address and port, as a redeployed server would come
     * back: every client is disconnected (a {@code server-shutdown} frame, then 1001), the hub's state (peers,
     * held messages) is gone, the recordings go on. Returns once the new server accepts connections, so an
     * agent's reconnect logic can be tested. Every running test sees it.
     */
    public void restart() {
        fixture().restart();
    }

    /** Stops the server, if one runs: every client is disconnected (1001) and every server thread ends. Idempotent. */
    @Override
    public void close() {
        Fixture f;
        synchronized (this) {
            f = fixture;
            fixture = null;
        }
        if (f != null) {
            f.close();
        }
    }

    // --- what a test uses ---------------------------------------------------------------------------

    /**
     * The WebSocket URL for peer {@code id}: {@code ws://127.0.0.1:<port>/ws/<id>}, the id percent-encoded.
     * The id belongs to the calling test until it ends.
     *
     * @throws IllegalStateException if a test running at the same time on this server uses {@code id}
     *
     * @param id the peer id
     * @return the WebSocket URL for peer {@code id}: {@code ws://127.0.0.1:<port>/ws/<id>}, the id percent-encoded
     */
    public URI url(String id) {
        return scope().info.url(id);
    }

    /**
     * The server's base WebSocket URI, {@code ws://127.0.0.1:<port>}, for clients that add the path themselves.
     *
     * @return the server's base WebSocket URI, {@code ws://127.0.0.1:<port>}, for clients that add the path themselves
     */
    public URI uri() {
        return scope().info.uri();
    }

    /**
     * An HTTP URI of the server, e.g. {@code httpUri("/status")} is {@code http://127.0.0.1:<port>/status}.
     *
     * @param path the path, e.g. {@code /status}
     * @return the server's HTTP URI for {@code path}
     */
    public URI httpUri(String path) {
        return scope().info.httpUri(path);
    }

    /**
     * The bound port.
     *
     * @return the bound port
     */
    public int port() {
        return fixture().server().port();
    }

    /**
     * Where the server listens, as the parameter a test can be given.
     *
     * @return where the server listens, as the parameter a test can be given
     */
    public SignalingServerInfo info() {
        return scope().info;
    }

    /**
     * What the hub did during the calling test that concerns it (or since the server started, outside a test).
     *
     * @return what the hub did during the calling test that concerns it (or since the server started, outside a test)
     */
    public Recording recording() {
        return scope().recording;
    }

    /**
     * Faults to inject, armed for the calling test.
     *
     * @return faults to inject, armed for the calling test
     */
    public Faults faults() {
        return scope().faults;
    }

    /**
     * The hub behind the server: its {@link SignalingHub#stats()}, {@link SignalingHub#peerIds()}.
     *
     * @return the hub behind the server: its {@link SignalingHub#stats()}, {@link SignalingHub#peerIds()}
     */
    public SignalingHub hub() {
        return fixture().hub();
    }

    /**
     * The escape hatch: the server itself (a new one after {@link #restart()}).
     *
     * @return the escape hatch: the server itself (a new one after {@link #restart()})
     */
    public SignalingServer server() {
        return fixture().server();
    }

    /**
     * Whether a server is running.
     *
     * @return whether a server is running
     */
    public boolean isRunning() {
        return fixture != null;
    }

    private Fixture fixture() {
        Fixture f = fixture;
        if (f == null) {
            throw new IllegalStateException("the signaling server is not running: register the extension in a field "
                    + "annotated with @RegisterExtension (or call start() first when not using JUnit)");
        }
        return f;
    }

    /** The calling test's scope; see "Tests in parallel" above. */
    private TestScope scope() {
        Fixture f = fixture();
        TestScope s = current.get();
        if (s != null && !s.ended()) {
            return s;
        }
        List<TestScope> running = f.tests();
        if (running.isEmpty()) {
            return f.everything();
        }
        if (running.size() == 1) {
            return running.get(0);
        }
        throw new IllegalStateException(running.size() + " tests run at the same time on this server and this "
                + "thread belongs to none of them: call from the test's own thread, or give the test a "
                + "SignalingServerInfo, Recording or Faults parameter and use that from other threads");
    }

    @Override
    public String toString() {
        Fixture f = fixture;
        return "SignalingServerExtension[" + (f == null ? "not running" : f.server()) + "]";
    }

    /**
     * What JUnit's store closes for the extension: a {@code CloseableResource} for JUnit before 5.13, and
     * {@code AutoCloseable}, which 5.13 and later close (and prefer: they warn about the other alone).
     */
    private record Closer(Runnable action) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            action.run();
        }
    }

    /** Builds a {@link SignalingServerExtension}. Not thread-safe. */
    public static final class Builder {
        private HubConfig hubConfig = HubConfig.defaults();
        private Consumer<ServerConfig.Builder> serverSettings = b -> {};
        private boolean failOnUnexpectedRejections;

        private Builder() {}

        /**
         * The hub's configuration: authenticator, duplicate-id policy, interceptors, extra routable types, a
         * {@link dev.mvp.signaling.core.ManualScheduler} for register deadlines, a listener of your own.
         * Default: {@link HubConfig#defaults()}.
         *
         * @param config the config
         * @return this builder
         */
        public Builder hubConfig(HubConfig config) {
            this.hubConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Shortcut for a {@link #hubConfig} with this authenticator.
         *
         * @param authenticator the authenticator
         * @return this builder
         */
        public Builder authenticator(Authenticator authenticator) {
            this.hubConfig = hubConfig.toBuilder().authenticator(authenticator).build();
            return this;
        }

        /**
         * Shortcut for a {@link #hubConfig} with this duplicate-id policy.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder duplicateIdPolicy(DuplicateIdPolicy policy) {
            this.hubConfig = hubConfig.toBuilder().duplicateIdPolicy(policy).build();
            return this;
        }

        /**
         * Shortcut for a {@link #hubConfig} whose messages to an absent peer wait {@code hold} (instead of 5 s)
         * before the sender gets {@code delivery-expired}, so that a "peer absent" test is quick;
         * {@link Duration#ZERO} answers {@code peer-not-found} at once. The queue bounds stay as they were
         * (the defaults' when holding was off).
         *
         * @param hold how long a message waits
         * @return this builder
         */
        public Builder offlineHold(Duration hold) {
            Objects.requireNonNull(hold, "hold");
            OfflineQueuePolicy p = hubConfig.offlineQueue();
            OfflineQueuePolicy bounds = p.enabled() ? p : OfflineQueuePolicy.DEFAULT;
            OfflineQueuePolicy next = hold.isZero() ? OfflineQueuePolicy.DISABLED
                    : new OfflineQueuePolicy(hold, bounds.maxPerRecipient(), bounds.maxPerSender(), bounds.maxTotal());
            this.hubConfig = hubConfig.toBuilder().offlineQueue(next).build();
            return this;
        }

        /**
         * The network side (ping interval, shutdown timeout, allowed origins, transport, a fixed host or
         * port...), set on a builder that starts at host {@code 127.0.0.1} and port 0: those are defaults
         * only, and what you set wins. The hub's settings go through {@link #hubConfig}, not here.
         *
         * <pre>{@code
         * SignalingServerExtension.newInstance().serverConfig(s -> s.pingInterval(Duration.ofSeconds(1))).build();
         * }</pre>
         *
         * @param settings changes to the builder
         * @return this builder
         */
        public Builder serverConfig(Consumer<ServerConfig.Builder> settings) {
            this.serverSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Fails each test, after it ran, if the hub rejected a message during it that the test did not
         * expect, listing them; a rejection is expected once a {@code take} or {@code await} call of the
         * test's {@link Recording} returned it. Default: off.
         *
         * @param fail whether to fail
         * @return this builder
         */
        public Builder failOnUnexpectedRejections(boolean fail) {
            this.failOnUnexpectedRejections = fail;
            return this;
        }

        /**
         * The extension, to put in a {@code @RegisterExtension} field.
         *
         * @throws IllegalArgumentException if {@link #serverConfig} set a hub or a hub configuration
         *
         * @return the extension, to put in a {@code @RegisterExtension} field
         */
        public SignalingServerExtension build() {
            HubConfig mark = HubConfig.builder().build();
            ServerConfig.Builder b = ServerConfig.builder().host("127.0.0.1").port(0).hubConfig(mark);
            serverSettings.accept(b);
            ServerConfig config = b.build();
            if (config.hub() != null || config.hubConfig() != mark) {
                throw new IllegalArgumentException("serverConfig(...) set the hub; the fixture builds its own hub "
                        + "(to record it): pass its settings to hubConfig(...) instead");
            }
            return new SignalingServerExtension(config.toBuilder().hubConfig(hubConfig).build(),
                    failOnUnexpectedRejections);
        }
    }
}
