package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials the hub hands out, tried on a real coturn ({@code use-auth-secret}) on loopback: an
 * allocation with them succeeds, and one with credentials whose TTL has passed is refused. Runs when
 * {@code turnserver} (Debian package {@code coturn}) is installed; under {@code CI=true} it must be.
 */
class CoturnAllocationTest {
    private static final String SECRET = "a-secret-shared-with-coturn";
    private static final String REALM = "signaling.test";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static Process coturn;
    private static InetSocketAddress turnAddress;

    @BeforeAll
    static void startCoturn() throws Exception {
        String binary = findTurnserver();
        if (binary == null && System.getenv("CI") != null) {
            throw new AssertionError("CI must have coturn installed (scripts/install-deps.sh)");
        }
        assumeTrue(binary != null, "turnserver (Debian package coturn) is not installed");
        // A free UDP port, then a bounded retry in case another process takes it before coturn binds.
        for (int attempt = 0; attempt < 5 && coturn == null; attempt++) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path log = dir.resolve("coturn-" + attempt + ".log");
            Process p = new ProcessBuilder(binary, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                    "--listening-port=" + port, "--min-port=49160", "--max-port=49200",
                    "--use-auth-secret", "--static-auth-secret=" + SECRET, "--realm=" + REALM,
                    "--no-tls", "--no-dtls", "--no-cli", "--no-tcp-relay",
                    "--pidfile=" + dir.resolve("coturn-" + attempt + ".pid"), "--log-file=stdout", "--simple-log")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (answersBinding(address, p)) {
                coturn = p;
                turnAddress = address;
            } else {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        assertThat(coturn).as("coturn started on loopback").isNotNull();
    }

    @AfterAll
    static void stopCoturn() throws InterruptedException {
        if (coturn != null) {
            coturn.destroy();
            if (!coturn.waitFor(5, TimeUnit.SECONDS)) {
                coturn.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void credentialsFromRegisteredAllocateARelay() throws IOException {
        JsonObject server = turnServerFromRegistered(Clock.systemUTC());
        TurnClient.Result result = TurnClient.allocate(turnAddress, server.get("username").getAsString(),
                server.get("credential").getAsString(), WAIT);
        assertThat(result.status()).as(result.toString()).isEqualTo(TurnClient.Status.ALLOCATED);
        assertThat(result.relayed()).isNotNull();
    }

    @Test
    void credentialsPastTheirTtlAreRefused() throws IOException {
        // Minted a minute plus the TTL ago: their expiry passed a minute ago.
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(1)).minus(Duration.ofSeconds(30)), ZoneOffset.UTC);
        JsonObject server = turnServerFromRegistered(past);
        TurnClient.Result result = TurnClient.allocate(turnAddress, server.get("username").getAsString(),
                server.get("credential").getAsString(), WAIT);
        assertThat(result.status()).as(result.toString()).isEqualTo(TurnClient.Status.UNAUTHORIZED);
    }

    @Test
    void aWrongSecretIsRefused() throws IOException {
        String username = (Instant.now().getEpochSecond() + 600) + ":mallory";
        String password = TurnRestCredentials.password("not-the-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), username);
        TurnClient.Result result = TurnClient.allocate(turnAddress, username, password, WAIT);
        assertThat(result.status()).as(result.toString()).isEqualTo(TurnClient.Status.UNAUTHORIZED);
    }

    /** Registers through a hub configured with coturn's secret and returns the TURN entry it handed out. */
    private static JsonObject turnServerFromRegistered(Clock clock) {
        String url = "turn:127.0.0.1:" + turnAddress.getPort() + "?transport=udp";
        HubConfig config = HubConfig.builder()
                .iceServers(TurnRestCredentials.of(SECRET, List.of(url)).ttl(Duration.ofSeconds(30)).clock(clock))
                .build();
        try (SignalingHub hub = new SignalingHub(config); InMemoryClient alice = InMemoryClient.connect(hub, "alice")) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
            JsonObject registered = json(alice.take(WAIT));
            JsonObject server = registered.getAsJsonArray("iceServers").get(0).getAsJsonObject();
            assertThat(server.getAsJsonArray("urls").get(0).getAsString()).isEqualTo(url);
            return server;
        }
    }

    private static boolean answersBinding(InetSocketAddress address, Process p) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (TurnClient.binding(address, Duration.ofMillis(200))) {
                return true;
            }
        }
        return false;
    }

    private static String findTurnserver() {
        for (String dirName : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/sbin")
                .split(File.pathSeparator)) {
            Path candidate = Path.of(dirName, "turnserver");
            if (!dirName.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
