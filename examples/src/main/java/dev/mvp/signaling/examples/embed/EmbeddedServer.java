package dev.mvp.signaling.examples.embed;

import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.SignalingServer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Embedding the signaling server in your own application: your authenticator, your listener, your
 * lifecycle. Run it with (after {@code mvn -q install -DskipTests} once):
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mvp.signaling.examples.embed.EmbeddedServer
 * </pre>
 *
 * It listens on {@code PORT} (default 8000) until Ctrl-C; only {@code alice} and {@code bob} may
 * register, with the tokens {@code alice-token} and {@code bob-token}.
 */
public final class EmbeddedServer {
    private EmbeddedServer() {}

    // snippet:embed
    /** Starts a server that only lets alice and bob in and tells the console who comes and goes. */
    public static SignalingServer start(int port) {
        HubConfig hub = HubConfig.builder()
                .authenticator(Authenticator.staticTokens(Map.of("alice", "alice-token", "bob", "bob-token")))
                .listener(new HubListener() {
                    @Override
                    public void registered(String id) {
                        System.out.println(id + " joined");
                    }

                    @Override
                    public void left(String id, int code, String reason) {
                        System.out.println(id + " left (" + code + ")");
                    }
                })
                .build();
        return new SignalingServer(ServerConfig.builder()
                .host("127.0.0.1")
                .port(port)          // 0 picks a free port; server.port() tells which
                .hubConfig(hub)
                .build())
                .start();            // returns once the port is bound
    }
    // end:embed

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
        SignalingServer server = start(port);
        System.out.println("Signaling at ws://127.0.0.1:" + server.port() + "/ws/<id> - Ctrl-C to stop");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "embedded-server-shutdown"));
        stopped.await();
    }
}
