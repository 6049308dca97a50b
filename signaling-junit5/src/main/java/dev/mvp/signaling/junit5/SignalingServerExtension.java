package dev.mvp.signaling.junit5;

import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.DuplicateIdPolicy;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.net.URI;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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
 *     void agentAnswersAnOffer() {
 *         MyAgent agent = MyAgent.start(server.url("alice"));
 *         ...
 *         server.recording().awaitRouted("alice", "answer", "bob", Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * In a {@code static} field the server starts before the first test of the class and stops after the
 * last; the recording and armed faults are reset before each test. In an instance field, each test gets a
 * server of its own. Either way everything is closed afterwards, and no thread of the server outlives it.
 * Outside JUnit, {@link #start()} and {@link #close()} do the same by hand.
 *
 * <p>Getters throw {@link IllegalStateException} while no server runs. Thread-safe.
 */
public final class SignalingServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

    private final HubConfig hubConfig;
    private final ServerConfig serverConfig;
    private boolean perClass; // guarded by this
    private Running running; // guarded by this

    private SignalingServerExtension(Builder b) {
        this.hubConfig = b.hubConfig;
        this.serverConfig = b.serverConfig;
    }

    /**
     * A builder; {@code newInstance().build()} gives a server with every default (anyone may register).
     *
     * @return a builder with every default
     */
    public static Builder newInstance() {
        return new Builder();
    }

    // --- JUnit callbacks ---------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (this) {
            perClass = true;
        }
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Running r;
        synchronized (this) {
            r = perClass ? running : null;
        }
        if (r == null) {
            start();
        } else {
            r.recording.clear();
            r.faults.disarmAll();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        boolean shared;
        synchronized (this) {
            shared = perClass;
        }
        if (!shared) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    // --- lifecycle by hand ---------------------------------------------------------------------------

    /**
     * Starts a server on a free loopback port; returns once it accepts connections. The JUnit callbacks
     * call this; call it yourself only outside JUnit.
     *
     * @return this extension
     * @throws IllegalStateException if a server is running already
     */
    public synchronized SignalingServerExtension start() {
        if (running != null) {
            throw new IllegalStateException("the signaling server is running already on port " + running.server.port());
        }
        Recording recording = new Recording();
        SignalingServer[] server = new SignalingServer[1];
        Faults faults = new Faults(() -> server[0].hub(), recording);
        HubConfig config = hubConfig.toBuilder()
                .listener(HubListener.all(hubConfig.listener(), recording.listener()))
                .addInterceptor(faults.interceptor())
                .build();
        server[0] = new SignalingServer(serverConfig.toBuilder().hubConfig(config).build()).start();
        running = new Running(server[0], recording, faults);
        return this;
    }

    /** Stops the server, if one runs: every client is disconnected (1001) and every server thread ends. Idempotent. */
    @Override
    public void close() {
        Running r;
        synchronized (this) {
            r = running;
            running = null;
        }
        if (r != null) {
            r.faults.close();
            r.server.close();
        }
    }

    // --- what a test uses ---------------------------------------------------------------------------

    /**
     * {@return the WebSocket URL for peer {@code id}: {@code ws://127.0.0.1:<port>/ws/<id>}, the id percent-encoded}
     *
     * @param id the peer id
     */
    public URI url(String id) {
        return running().server.webSocketUri(Objects.requireNonNull(id, "id"));
    }

    /**
     * {@return the server's base WebSocket URI, {@code ws://127.0.0.1:<port>}, for clients that add the path
     * themselves}
     */
    public URI uri() {
        SignalingServer s = running().server;
        URI http = s.uri("");
        return URI.create("ws://" + http.getRawAuthority());
    }

    /** {@return the bound port} */
    public int port() {
        return running().server.port();
    }

    /** {@return what the hub did since the test started (or since the server started, for a per-test server)} */
    public Recording recording() {
        return running().recording;
    }

    /** {@return faults to inject into the running server} */
    public Faults faults() {
        return running().faults;
    }

    /** {@return the hub behind the server: its {@link SignalingHub#stats()}, {@link SignalingHub#peerIds()}} */
    public SignalingHub hub() {
        return running().server.hub();
    }

    /** {@return the escape hatch: the server itself} */
    public SignalingServer server() {
        return running().server;
    }

    /** {@return whether a server is running} */
    public synchronized boolean isRunning() {
        return running != null;
    }

    private synchronized Running running() {
        if (running == null) {
            throw new IllegalStateException("the signaling server is not running: register the extension in a field "
                    + "annotated with @RegisterExtension (or call start() first when not using JUnit)");
        }
        return running;
    }

    @Override
    public synchronized String toString() {
        return "SignalingServerExtension[" + (running == null ? "not running" : running.server)
                + (perClass ? ", per class" : "") + "]";
    }

    private record Running(SignalingServer server, Recording recording, Faults faults) {}

    /** Builds a {@link SignalingServerExtension}. Not thread-safe. */
    public static final class Builder {
        private HubConfig hubConfig = HubConfig.defaults();
        private ServerConfig serverConfig = ServerConfig.builder().host("127.0.0.1").port(0).build();

        private Builder() {}

        /**
         * The hub's configuration: authenticator, duplicate-id policy, interceptors, extra routable types, a
         * {@link dev.mvp.signaling.core.ManualScheduler} for register deadlines, a listener of your own.
         * Default: {@link HubConfig#defaults()}.
         *
         * @param config the hub's configuration
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
         * @param policy what to do when an id is taken
         * @return this builder
         */
        public Builder duplicateIdPolicy(DuplicateIdPolicy policy) {
            this.hubConfig = hubConfig.toBuilder().duplicateIdPolicy(policy).build();
            return this;
        }

        /**
         * The network side (ping interval, shutdown timeout, allowed origins...). Its host and port are
         * ignored: the server always binds a free port on 127.0.0.1. Its hub settings are replaced by
         * {@link #hubConfig}.
         *
         * @param config the network settings
         * @return this builder
         */
        public Builder serverConfig(ServerConfig config) {
            this.serverConfig = Objects.requireNonNull(config, "config").toBuilder().host("127.0.0.1").port(0).build();
            return this;
        }

        /** {@return an extension with these settings, not started yet} */
        public SignalingServerExtension build() {
            return new SignalingServerExtension(this);
        }
    }
}
