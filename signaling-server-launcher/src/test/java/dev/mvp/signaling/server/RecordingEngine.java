package dev.mvp.signaling.server;

import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.engine.ConnectionRegistry;
import dev.mvp.signaling.server.engine.Engine;
import dev.mvp.signaling.server.engine.EngineConnection;
import dev.mvp.signaling.server.engine.EngineContext;
import dev.mvp.signaling.server.engine.EngineFactory;
import dev.mvp.signaling.server.http.HttpService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;

/**
 * A test engine, {@value #NAME}: the engine under test ({@link Servers#engine()}) with every open
 * WebSocket also recorded here, for the tests that need to look at a server-side connection. Registered
 * for {@link java.util.ServiceLoader} in the test resources, as a plug-in would be.
 */
public final class RecordingEngine implements EngineFactory {
    /** The name tests choose it by. */
    public static final String NAME = "recording";
    private static final Set<EngineConnection> OPEN = ConcurrentHashMap.newKeySet();

    /** The factory the service loader makes. */
    public RecordingEngine() {
    }

    /**
     * The WebSockets open on recording servers now.
     *
     * @return a copy
     */
    public static List<EngineConnection> open() {
        return List.copyOf(OPEN);
    }

    /**
     * A loopback configuration on this engine.
     *
     * @return the builder
     */
    public static ServerConfig.Builder loopback() {
        return Servers.loopback().engine(NAME);
    }

    private static EngineFactory underTest() {
        return Engines.find(Servers.engine());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String threadWord() {
        return underTest().threadWord();
    }

    @Override
    public Engine create(EngineContext context) {
        ConnectionRegistry registry = new ConnectionRegistry() {
            @Override
            public void opened(EngineConnection connection, long acceptedNanos) {
                OPEN.add(connection);
                context.connections().opened(connection, acceptedNanos);
            }

            @Override
            public void closed(EngineConnection connection) {
                OPEN.remove(connection);
                context.connections().closed(connection);
            }

            @Override
            public int size() {
                return context.connections().size();
            }
        };
        return underTest().create(new EngineContext() {
            @Override
            public ServerConfig config() {
                return context.config();
            }

            @Override
            public SignalingHub hub() {
                return context.hub();
            }

            @Override
            public HttpService http() {
                return context.http();
            }

            @Override
            public ConnectionRegistry connections() {
                return registry;
            }

            @Override
            public dev.mvp.signaling.server.engine.ByteBudget outboundBudget() {
                return context.outboundBudget();
            }

            @Override
            public dev.mvp.signaling.server.engine.ByteBudget inboundBudget() {
                return context.inboundBudget();
            }

            @Override
            public SSLContext tls() {
                return context.tls();
            }

            @Override
            public ScheduledExecutorService timer() {
                return context.timer();
            }

            @Override
            public ThreadFactory threads(String role, boolean numbered) {
                return context.threads(role, numbered);
            }

            @Override
            public String threadName(String role) {
                return context.threadName(role);
            }
        });
    }
}
