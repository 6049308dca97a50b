package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.server.engine.EngineFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the server finds its engine: by name, among the plug-ins the class path offers. */
class EnginesTest {

    @Test
    void theBuiltInEngineIsFoundLikeAPlugInAndIsTheDefault() {
        List<String> names = Engines.available().stream().map(EngineFactory::name).toList();
        assertThat(names).contains("java-websocket", Servers.engine());
        assertThat(ServerConfig.defaults().engine()).isEqualTo("java-websocket");
        assertThat(Engines.find("Java-WebSocket").name()).isEqualTo("java-websocket");
    }

    @Test
    void anEngineThatIsNotOnTheClassPathFailsTheStartNamingTheModuleToAdd() {
        // The launcher's own test class path has no Netty; an engine module running this suite has its engine.
        String missing = Servers.javaWebSocket() ? "netty" : "no-such-engine";
        SignalingServer server = new SignalingServer(Servers.loopback().engine(missing).build());
        assertThatThrownBy(server::start).isInstanceOf(ServerStartException.class)
                .hasMessageContaining(missing.equals("netty")
                        ? "the netty engine is not on the class path; add the module dev.mvp:signaling-transport-netty"
                        : "no engine named 'no-such-engine' is on the class path; engines found: ")
                .hasMessageContaining("java-websocket");
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("signaling-")
                && t.getName().endsWith("-timer") && t.isAlive() && t.getName().contains("-" + missing + "-"));
    }

    @Test
    void theStartUpNamesTheEngineThatRuns() {
        try (SignalingServer server = new SignalingServer(Servers.loopback().build()).start()) {
            assertThat(server.toString()).contains(Servers.engine());
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                    .anyMatch(n -> n.startsWith(Servers.javaWebSocket() ? "signaling-ws-" : "signaling-" + Servers.engine()));
        }
    }
}
