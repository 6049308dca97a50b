package dev.mvp.signaling.dist;

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
        assertThat(sources).isNotEmpty();
        for (String source : sources) {
            assertThat(ROOT.resolve(source)).as("COPY %s", source).exists();
        }
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndHistory() throws Exception {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
        assertThat(ignored).contains("**/target", ".git");
        assertThat(lines()).as("the tree is copied whole, so every module's POM is there")
                .anyMatch(l -> l.equals("COPY . ."));
    }

    @Test
    void theImageRunsTheShadedJarOnPort8000() throws Exception {
        List<String> dockerfile = lines();
        assertThat(dockerfile).contains("EXPOSE 8000");
        assertThat(String.join("\n", dockerfile)).contains("signaling-server-launcher-*-all.jar")
                .contains("FROM maven:").contains("-jre");
        assertThat(Files.readString(ROOT.resolve("signaling-server-dist/pom.xml")))
                .contains("signaling-server-launcher-${project.version}-all.jar");
    }
}
