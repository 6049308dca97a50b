package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.client.SignalingClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The extension used by hand, as JUnit would drive it. */
class LifecycleTest {

    private static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("signaling-ws-") || n.startsWith("signaling-netty-") || n.startsWith("signaling-junit5-")
                        || n.startsWith("signaling-hub-timer"))
                .toList();
    }

    @Test
    void gettersBeforeStartSayWhatToDo() {
        SignalingServerExtension server = SignalingServerExtension.newInstance().build();

        assertThatThrownBy(() -> server.url("alice")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
        assertThatThrownBy(server::recording).isInstanceOf(IllegalStateException.class);
        assertThat(server).hasToString("SignalingServerExtension[not running]");
    }

    @Test
    void urlsPointAtTheBoundPort() {
        try (SignalingServerExtension server = SignalingServerExtension.newInstance().build().start()) {
            assertThat(server.port()).isPositive();
            assertThat(server.uri()).hasToString("ws://127.0.0.1:" + server.port());
            assertThat(server.url("alice")).hasToString("ws://127.0.0.1:" + server.port() + "/ws/alice");
        }
    }

    @Test
    void startTwiceThrowsAndCloseTwiceIsNoOp() {
        SignalingServerExtension server = SignalingServerExtension.newInstance().build().start();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running already");
        server.close();
        server.close();
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void closeStopsEveryServerThreadAndDisconnectsClients() {
        SignalingServerExtension server = SignalingServerExtension.newInstance().build().start();
        server.faults().delayNextMessageTo("bob", Duration.ofMillis(1)); // starts the fault timer when used
        try (SignalingClient alice = SignalingClient.connect(server.url("alice"), "alice");
             SignalingClient bob = SignalingClient.connect(server.url("bob"), "bob")) {
            alice.sendOffer("bob", "x");
            bob.awaitOffer(Duration.ofSeconds(5));
            assertThat(serverThreads()).contains("signaling-junit5-faults");

            server.close();

            assertThat(serverThreads()).isEmpty();
            assertThatThrownBy(() -> alice.awaitOffer(Duration.ofSeconds(30)))
                    .hasMessageContaining("1001");
        }
    }
}
