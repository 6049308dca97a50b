package dev.mvp.signaling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code java -jar} of the runnable jar, as users start it: which engine runs, and what it carries. */
class RunnableJarTest {
    private static final Path JAR = Path.of(System.getProperty("runnable.jar",
            "../signaling-server-launcher/target/signaling-server-launcher-0.1.0-SNAPSHOT-all.jar"));
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:\\d+ \\((.*?);");
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Starts the jar and returns what the start-up line says runs, e.g. {@code java-websocket}. */
    private String engineOfAStart(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--host", "127.0.0.1", "--port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME") && !name.equals("LANG"));
        Process p = pb.start();
        processes.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process is gone
            }
        }, "test-jar-output");
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            seen.add(line);
            var m = LISTENING.matcher(line);
            if (m.find()) {
                assertThat(seen).noneMatch(l -> l.contains("WARN"));
                return m.group(1);
            }
        }
        throw new AssertionError("the jar did not start listening: " + seen);
    }

    @Test
    void theJarRunsJavaWebSocketUnlessToldOtherwise() throws Exception {
        assertThat(engineOfAStart()).isEqualTo("java-websocket");
    }

    @Test
    void theJarCarriesNettyAndRunsItWhenAsked() throws Exception {
        assertThat(engineOfAStart("--engine", "netty")).startsWith("netty, ");
    }

    @Test
    void theJarMergesEveryEnginesRegistrationAndCarriesJwtAndALoggingBackend() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            var services = jar.getEntry("META-INF/services/dev.mvp.signaling.server.engine.EngineFactory");
            assertThat(services).isNotNull();
            String text = new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).contains("dev.mvp.signaling.server.jws.JavaWebSocketEngineFactory",
                    "dev.mvp.signaling.netty.NettyEngineFactory");
            assertThat(jar.getEntry("dev/mvp/signaling/auth/jwt/JwtAuthenticator.class")).isNotNull();
            assertThat(jar.getEntry("org/slf4j/simple/SimpleLogger.class")).isNotNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("dev.mvp.signaling.server.cli.Main");
        }
        assertThat(Files.size(JAR)).isPositive();
    }
}
