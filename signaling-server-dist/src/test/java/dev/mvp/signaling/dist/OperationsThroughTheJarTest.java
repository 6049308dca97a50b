package dev.mvp.signaling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sets on the runnable jar: metrics, ICE/TURN settings, and what the process prints. */
class OperationsThroughTheJarTest {
    private static final Path JAR = Path.of(System.getProperty("runnable.jar",
            "../signaling-server-launcher/target/signaling-server-launcher-0.1.0-SNAPSHOT-all.jar"));
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) ");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A running jar: its port and every line it printed so far (the reader keeps adding). */
    record Run(int port, List<String> output) {}

    /** The jar on a free loopback port, with only these variables of the launcher's set. */
    private static ProcessBuilder jar(Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--host", "127.0.0.1", "--port", "0").redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME") && !name.equals("LANG"));
        pb.environment().putAll(env);
        return pb;
    }

    private Run start(Map<String, String> env) throws Exception {
        Process p = jar(env).start();
        processes.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    seen.add(line);
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process is gone
            }
        }, "test-jar-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return new Run(Integer.parseInt(m.group(1)), seen);
                }
            }
        }
        throw new AssertionError("the jar did not start listening: " + seen);
    }

    private static HttpResponse<String> get(Run run, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Registers {@code id} over a WebSocket and returns the {@code registered} frame. */
    private static String register(Run run, String id) throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + run.port() + "/ws/" + id),
                new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("{\"type\":\"register\",\"id\":\"" + id + "\"}", true).get(10, TimeUnit.SECONDS);
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("the answer to register").isNotNull();
            return frame;
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Registers {@code id} with the token {@code the-token-of-ID}, sends an offer with an SDP body to a peer
     * that is not there, waits for the error, and closes.
     */
    private static void registerWithTokenAndSendAnOfferToNobody(int port, String id) throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/" + id),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"register\",\"id\":\"" + id + "\",\"token\":\"the-token-of-" + id + "\"}", true)
                .get(10, TimeUnit.SECONDS);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("registered");
        ws.sendText("{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"v=0 secret-sdp-body\"}", true).get(10, TimeUnit.SECONDS);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("error");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void registeredCarriesTheConfiguredIceServersWithTurnCredentialsAndTheStartLineNeverTheSecret() throws Exception {
        String secret = "a-turn-secret-nobody-prints";
        Path secretFile = Files.writeString(dir.resolve("turn-secret"), secret + "\n");
        Run run = start(Map.of("ICE_SERVERS", "stun:stun.example.org:3478", "TURN_URLS", "turn:turn.example.org:3478",
                "TURN_SECRET_FILE", secretFile.toString(), "TURN_TTL", "10m"));
        long before = System.currentTimeMillis() / 1000;
        String registered = register(run, "alice");
        assertThat(registered).contains("\"type\":\"registered\"", "\"stun:stun.example.org:3478\"",
                "\"turn:turn.example.org:3478\"", "\"credential\":");
        Matcher user = Pattern.compile("\"username\":\"(\\d+):alice\"").matcher(registered);
        assertThat(user.find()).as(registered).isTrue();
        long expiry = Long.parseLong(user.group(1));
        assertThat(expiry).isBetween(before + 600 - 5, before + 600 + 60);
        String startup = String.join("\n", run.output());
        assertThat(startup).contains("turn:turn.example.org:3478", "stun:stun.example.org:3478").doesNotContain(secret);
    }

    @Test
    void metricsAreServedByDefaultAtMetricsAndTheSettingMovesOrTurnsThemOff() throws Exception {
        Run run = start(Map.of());
        register(run, "bob");
        HttpResponse<String> metrics = get(run, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("signaling_registrations_total 1.0", "jvm_memory_used_bytes",
                "signaling_handshake_seconds_count 1\n").doesNotContain("signaling_cluster_");
        assertThat(get(run, "/livez").statusCode()).isEqualTo(200);
        assertThat(get(run, "/readyz").statusCode()).isEqualTo(200);
        assertThat(String.join("\n", run.output())).contains("Prometheus metrics at /metrics");

        Run moved = start(Map.of("METRICS", "/internal/metrics", "ENGINE", "netty"));
        register(moved, "erin");
        HttpResponse<String> movedMetrics = get(moved, "/internal/metrics");
        assertThat(movedMetrics.statusCode()).isEqualTo(200);
        assertThat(movedMetrics.body()).as("the handshake is timed on the netty engine too")
                .contains("signaling_handshake_seconds_count 1\n");
        assertThat(get(moved, "/metrics").statusCode()).isEqualTo(404);

        Run off = start(Map.of("METRICS", "off"));
        assertThat(get(off, "/metrics").statusCode()).isEqualTo(404);
        assertThat(String.join("\n", off.output())).contains("plug-ins: none");
    }

    @Test
    void atDebugEveryConnectionIsOneLineWhenOpenedAndClosedAndEveryRejectionOneLineWithoutTheToken() throws Exception {
        Run run = start(Map.of("LOG_LEVEL", "debug", "AUTH", "static", "AUTH_TOKEN", "carol=the-token-of-carol"));
        registerWithTokenAndSendAnOfferToNobody(run.port(), "carol");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (List.copyOf(run.output()).stream().noneMatch(l -> l.contains("WebSocket closed")) && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling the output of another process, with a deadline
        }
        List<String> lines = List.copyOf(run.output());
        assertThat(lines).filteredOn(l -> l.contains("WebSocket opened")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.contains("WebSocket closed")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.contains("DEBUG") && l.contains("Rejected") && l.contains("carol")).hasSize(1);
        assertThat(lines).noneMatch(l -> l.contains("the-token-of-carol")).noneMatch(l -> l.contains("secret-sdp-body"));
    }

    @Test
    void withLogFormatJsonEveryLineTheJarPrintsIsOneJsonObjectAndNoneHoldsATokenOrAnSdpBody() throws Exception {
        // Into a file, read once the process has exited: a pipe may lose what the JVM writes while it exits.
        Path log = dir.resolve("jar.log");
        Process p = jar(Map.of("LOG_FORMAT", "json", "AUTH", "static", "AUTH_TOKEN", "dave=the-token-of-dave"))
                .redirectOutput(log.toFile()).start();
        processes.add(p);
        int port = -1;
        long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (port < 0 && System.nanoTime() < started && p.isAlive()) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else {
                p.waitFor(50, TimeUnit.MILLISECONDS); // polling the log of another process, bounded
            }
        }
        assertThat(port).as(Files.readString(log)).isPositive();
        registerWithTokenAndSendAnOfferToNobody(port, "dave");
        p.destroy(); // SIGTERM: the shutdown lines too
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.contains("starting with")).anyMatch(l -> l.contains("listening on"))
                .anyMatch(l -> l.contains("Shutting down")).anyMatch(l -> l.contains(" closed"));
        for (String line : lines) {
            JsonElement parsed = JsonParser.parseString(line);
            assertThat(parsed.isJsonObject()).as(line).isTrue();
            JsonObject o = parsed.getAsJsonObject();
            assertThat(o.keySet()).as(line).contains("time", "level", "logger", "thread", "message");
            assertThat(java.time.Instant.parse(o.get("time").getAsString())).as(line).isNotNull();
            assertThat(o.get("time").getAsString()).as(line).endsWith("Z");
            assertThat(o.get("level").getAsString()).as(line).isIn("INFO", "WARN", "ERROR");
        }
        assertThat(lines).noneMatch(l -> l.contains("the-token-of-dave")).noneMatch(l -> l.contains("secret-sdp-body"));
    }
}
