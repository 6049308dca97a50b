package dev.mvp.signaling.server.cli;

import dev.mvp.signaling.server.Servers;
import dev.mvp.signaling.server.SignalingServer;
import dev.mvp.signaling.server.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The launcher as its own JVM: options, logging, SIGTERM. */
class MainProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final String END_OF_OUTPUT = "\u0000end of output";
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void kill() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    private Process launch(Map<String, String> env, String... args) throws Exception {
        return launchWith(System.getProperty("java.class.path"), env, args);
    }

    private Process launchWith(String classPath, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME")
                && !name.equals("JAVA_HOME") && !name.equals("LANG")); // none of the launcher's variables
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** Lines of the process's output, read on a daemon thread. */
    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // process gone
            }
            lines.add(END_OF_OUTPUT);
        }, "test-output-reader");
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, Pattern pattern, List<String> seen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
        }
        throw new AssertionError("no line matching " + pattern + " in: " + seen);
    }

    @Test
    void sigtermTellsEveryClientServerShutdownClosesWith1001AndExitsWith143() throws Exception {
        Process p = launch(Map.of("HOST", "127.0.0.1", "PORT", "8000"), "--port", "0");
        BlockingQueue<String> out = lines(p);
        List<String> seen = new ArrayList<>();
        Matcher m = LISTENING.matcher(awaitLine(out, LISTENING, seen));
        assertThat(m.find()).isTrue();
        int port = Integer.parseInt(m.group(1));
        assertThat(seen).anyMatch(l -> l.contains("starting with ServerConfig{host=127.0.0.1, port=0"));
        assertThat(seen).anyMatch(l -> l.contains("(java-websocket; ")); // the default engine, built in
        try (WsClient alice = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/alice"))) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("registered");
            long start = System.nanoTime();
            p.destroy(); // SIGTERM
            assertThat(alice.next()).isEqualTo(SignalingServer.SHUTDOWN_NOTICE);
            assertThat(alice.awaitClose()).isEqualTo("1001 server shutting down");
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            assertThat(p.exitValue()).isEqualTo(143);
        }
    }

    @Test
    void theDeprecatedTransportVariableStillChoosesTheEngineAndSaysWhatToWriteInstead() throws Exception {
        String secret = "s3cret-token-value-for-bob";
        Process p = launch(Map.of("TRANSPORT", "java-websocket", "LOG_LEVEL", "trace", "AUTH", "static", "AUTH_TOKEN", "bob=" + secret),
                "--host", "127.0.0.1", "--port", "0");
        BlockingQueue<String> out = lines(p);
        List<String> seen = new ArrayList<>();
        Matcher m = LISTENING.matcher(awaitLine(out, LISTENING, seen));
        assertThat(m.find()).isTrue();
        assertThat(seen).anyMatch(l -> l.contains("(java-websocket; "));
        assertThat(seen).anyMatch(l -> l.contains("WARN") && l.contains("TRANSPORT is deprecated; write ENGINE instead"));
        try (WsClient bob = WsClient.connect(URI.create("ws://127.0.0.1:" + m.group(1) + "/ws/bob"))) {
            bob.send("{\"type\":\"register\",\"id\":\"bob\",\"token\":\"" + secret + "\"}");
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("registered");
            p.destroy(); // SIGTERM
            assertThat(bob.next()).isEqualTo(SignalingServer.SHUTDOWN_NOTICE);
            assertThat(bob.awaitClose()).isEqualTo("1001 server shutting down");
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
        }
        awaitLine(out, Pattern.compile(Pattern.quote(END_OF_OUTPUT)), seen);
        assertThat(String.join("\n", seen)).doesNotContain(secret);
    }

    @Test
    void traceLevelNeverLogsATokenNorTheFramesCarryingIt() throws Exception {
        String secret = "s3cret-token-value-for-alice";
        Process p = launch(Map.of("LOG_LEVEL", "trace", "AUTH", "static", "AUTH_TOKEN", "alice=" + secret),
                "--host", "127.0.0.1", "--port", "0");
        BlockingQueue<String> out = lines(p);
        List<String> seen = new ArrayList<>();
        Matcher m = LISTENING.matcher(awaitLine(out, LISTENING, seen));
        assertThat(m.find()).isTrue();
        try (WsClient alice = WsClient.connect(URI.create("ws://127.0.0.1:" + m.group(1) + "/ws/alice"))) {
            alice.send("{\"type\":\"register\",\"id\":\"alice\",\"token\":\"" + secret + "\"}");
            assertThat(alice.nextJson().get("type").getAsString()).isEqualTo("registered");
            alice.send("{\"type\":\"nope\"}"); // a rejection is logged at debug
            assertThat(alice.nextJson().get("code").getAsString()).isEqualTo("unknown-type");
            // everything the server printed about the register frame came before this line
            awaitLine(out, Pattern.compile("DEBUG .*unknown-type"), seen);
        }
        assertThat(String.join("\n", seen)).doesNotContain(secret);
    }

    @Test
    void invalidOptionsAndBusyPortsExitWithTheirStatusAndTheLevelFiltersLogs() throws Exception {
        Process p = launch(Map.of("LOG_LEVEL", "warning"), "--host", "127.0.0.1", "--port", "99999");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_USAGE);
        assertThat(output).contains("--port: port must be between 0 and 65535").contains("--help");

        // a port in use fails with one clear line at any level; the level decides what else is logged
        try (SignalingServer taken = Servers.start()) {
            String quiet = failedStart("critical", taken.port());
            assertThat(quiet).contains("cannot listen on 127.0.0.1:" + taken.port()).doesNotContain(" INFO ");
            String chatty = failedStart("info", taken.port());
            assertThat(chatty).contains("cannot listen on 127.0.0.1:" + taken.port()).contains(" INFO ");
        }
    }

    private String failedStart(String level, int port) throws Exception {
        Process p = launch(Map.of("LOG_LEVEL", level), "--host", "127.0.0.1", "--port", String.valueOf(port));
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_START_FAILED);
        return output;
    }

    @Test
    void anEngineThatIsNotOnTheClassPathFailsTheStartNamingTheModuleToAdd() throws Exception {
        Process p = launch(Map.of("ENGINE", "netty"), "--host", "127.0.0.1", "--port", "0");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_START_FAILED);
        assertThat(output).contains("the netty engine is not on the class path; add the module "
                + "dev.mvp:signaling-transport-netty").doesNotContain("listening on");
    }

    @Test
    void jwtAuthenticationWithoutItsModuleFailsAsAnInvalidOptionNamingTheModule() throws Exception {
        String withoutJwt = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("signaling-auth-jwt") && !entry.contains("nimbus"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Process p = launchWith(withoutJwt, Map.of("AUTH", "jwt", "JWT_SECRET", "0123456789abcdef0123456789abcdef"),
                "--host", "127.0.0.1", "--port", "0");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_USAGE);
        assertThat(output).contains("--auth jwt needs the module dev.mvp:signaling-auth-jwt on the class path");
    }

    @Test
    void aRedisUrlWithoutTheClusterModuleFailsAsAnInvalidOptionNamingTheModule() throws Exception {
        // The launcher's own class path has no cluster module, as a launcher jar used on its own would not.
        Process p = launch(Map.of("REDIS_URL", "redis://:secret-password@127.0.0.1:6379"), "--host", "127.0.0.1",
                "--port", "0");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_USAGE);
        assertThat(output).contains("REDIS_URL / --redis-url needs the module dev.mvp:signaling-cluster-redis on the class path")
                .doesNotContain("secret-password").doesNotContain("listening on");
    }

    @Test
    void helpPrintsTheOptionsAndExitsZero() throws Exception {
        Process p = launch(Map.of(), "--help");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isZero();
        assertThat(output).startsWith("Usage:").contains("--log-level", "LOG_LEVEL");
    }
}
