package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No Docker engine runs in the build, so check what can be checked: the paths the Dockerfile copies exist. */
class DockerfileTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static List<String> lines() throws Exception {
        return Files.readAllLines(ROOT.resolve("Dockerfile"));
    }

    @Test
    void everyPathCopiedFromTheRepositoryExists() throws Exception {
        List<String> sources = lines().stream()
                .filter(l -> l.startsWith("COPY ") && !l.contains("--from="))
                .map(l -> l.split("\\s+")[1])
                .toList();
        assertThat(sources).isNotEmpty().contains("signaling-server-launcher/src", "signaling-core/src");
        for (String source : sources) {
            assertThat(ROOT.resolve(source)).as("COPY %s", source).exists();
        }
    }

    @Test
    void everyModuleOfTheRootPomIsCopiedSoTheReactorResolves() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        List<String> dockerfile = lines();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (m.find()) {
            String module = m.group(1);
            assertThat(dockerfile).as("module %s", module).anyMatch(l -> l.startsWith("COPY " + module + "/pom.xml"));
        }
    }

    @Test
    void theImageRunsTheShadedJarOnPort8000() throws Exception {
        List<String> dockerfile = lines();
        assertThat(dockerfile).contains("EXPOSE 8000");
        assertThat(String.join("\n", dockerfile)).contains("signaling-server-launcher-*-all.jar")
                .contains("FROM maven:").contains("-jre");
        assertThat(Files.readString(ROOT.resolve("signaling-server-launcher/pom.xml")))
                .contains("<shadedClassifierName>all</shadedClassifierName>");
    }
}
