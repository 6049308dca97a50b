package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture with the JUnit versions users have: for the oldest supported and the newest, its sources are
 * compiled against that {@code junit-jupiter-api} alone, and a small agent project's tests run in a JVM whose
 * only JUnit is that version (the jars the build copied to {@code target/junit-versions/<version>}).
 */
class JUnitVersionsTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path JARS = Path.of(System.getProperty("junit.versions.dir", "target/junit-versions"));

    static List<String> versions() {
        return Arrays.asList(System.getProperty("junit.versions", "").split(","));
    }

    @ParameterizedTest(name = "JUnit {0}")
    @MethodSource("versions")
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // two compilations and a JVM: more than a default test timeout
    void theFixtureCompilesAndRunsAnAgentProjectsTests(String version) throws Exception {
        Path junit = JARS.resolve(version);
        assertThat(junit).as("the build copies JUnit %s here (mvn generate-test-resources)", version).isDirectory();
        Path work = MODULE.resolve("target/junit-versions-run/" + version);
        String deps = String.join(File.pathSeparator, fixtureDependencies());
        String junitJars = jars(junit);

        Path fixture = compile(work.resolve("fixture"), MODULE.resolve("src/main/java"), deps + File.pathSeparator + junitJars);
        String testPath = fixture + File.pathSeparator + deps + File.pathSeparator + junitJars;
        Path tests = compile(work.resolve("tests"), MODULE.resolve("src/test/resources/junit-versions"), testPath);

        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", tests + File.pathSeparator + testPath, "demo.Run")
                .redirectErrorStream(true).redirectOutput(work.resolve("run.log").toFile()).start();
        boolean ended = run.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = Files.readString(work.resolve("run.log"));
        assertThat(ended).as("the run ended in time; its output:%n%s", log).isTrue();
        assertThat(run.exitValue()).as("exit status; output:%n%s", log).isZero();
        assertThat(log).contains("junit-jupiter " + version + ": 3 found, 3 succeeded, 0 failed");
    }

    /** The fixture's run-time class path as the build gives it, without any JUnit and without the fixture itself. */
    private static List<String> fixtureDependencies() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).toString();
            boolean junitOrTestOnly = Stream.of("junit-", "opentest4j", "apiguardian", "assertj", "surefire")
                    .anyMatch(name::contains);
            boolean self = Path.of(e).toAbsolutePath().startsWith(MODULE.resolve("target"));
            if (!junitOrTestOnly && !self && !e.isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    private static String jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return String.join(File.pathSeparator, s.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toList());
        }
    }

    private static Path compile(Path out, Path sources, String classPath) throws IOException {
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", classPath, "--release", "17",
                "-Xlint:all,-processing,-serial", "-implicit:none"));
        try (Stream<Path> s = Files.walk(sources)) {
            s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, null, err, args.toArray(String[]::new));
        assertThat(status).as("javac of %s:%n%s", sources, err.toString(StandardCharsets.UTF_8)).isZero();
        return out;
    }
}
