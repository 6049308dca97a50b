package dev.mvp.signaling.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The README's code blocks are copies of marked regions ({@code // snippet:NAME} ... {@code // end:NAME})
 * of code that compiles and runs in this module; this keeps the copies true. The agent project's pom in the
 * README is a file here too, checked against the build's versions, and the fixture snippets may import only
 * what that pom lists.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path AGENT_POM = ROOT.resolve("examples/src/test/resources/agent-project/pom.xml");
    private static final Pattern REGION = Pattern.compile("// snippet:(\\S+)\\n(.*?)\\n[ \\t]*// end:\\1", Pattern.DOTALL);

    @Test
    void everyMarkedSnippetAppearsInTheReadmeAsItIsInTheCode() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = REGION.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                    assertThat(readme).as("README holds snippet '%s' of %s as it is in the code", m.group(1),
                            ROOT.relativize(file)).contains(dedent(m.group(2)));
                }
            }
        }
        assertThat(names).contains("embed", "junit5", "junit5-restart", "in-memory");
        assertThat(Files.readString(ROOT.resolve("signaling-junit5/README.md")))
                .as("the fixture's README shows the same test").contains(snippet("junit5"));
    }

    @Test
    void theReadmesAgentProjectPomIsTheOneKeptInSyncWithTheBuild() throws Exception {
        String pom = Files.readString(AGENT_POM).strip();
        assertThat(Files.readString(ROOT.resolve("README.md"))).as("README shows %s", ROOT.relativize(AGENT_POM))
                .contains(pom);

        Document parent = xml(ROOT.resolve("pom.xml"));
        Document agent = xml(AGENT_POM);
        String version = text(parent, "/project/version");
        assertThat(text(agent, "/project/properties/maven.compiler.release")).isEqualTo("17");
        assertThat(text(agent, "/project/dependencyManagement/dependencies/dependency[artifactId='junit-bom']/version"))
                .isEqualTo(text(parent, "/project/properties/junit.version"));
        assertThat(text(agent, "/project/build/plugins/plugin[artifactId='maven-surefire-plugin']/version"))
                .startsWith("3.")
                .isEqualTo(text(parent, "/project/build/pluginManagement/plugins/plugin[artifactId='maven-surefire-plugin']/version"));
        assertThat(text(agent, "/project/build/plugins/plugin[artifactId='maven-compiler-plugin']/version"))
                .isEqualTo(text(parent, "/project/build/pluginManagement/plugins/plugin[artifactId='maven-compiler-plugin']/version"));
        assertThat(text(agent, "/project/dependencies/dependency[artifactId='slf4j-simple']/version"))
                .isEqualTo(text(parent, "/project/properties/slf4j.version"));
        for (String module : List.of("signaling-junit5", "signaling-client")) {
            assertThat(text(agent, "/project/dependencies/dependency[artifactId='" + module + "']/version"))
                    .as(module).isEqualTo(version);
        }
    }

    @Test
    void theFixtureSnippetsImportOnlyWhatTheAgentProjectPomLists() throws Exception {
        Document agent = xml(AGENT_POM);
        List<String> artifacts = new ArrayList<>();
        NodeList ids = (NodeList) XPathFactory.newInstance().newXPath()
                .evaluate("/project/dependencies/dependency/artifactId", agent, XPathConstants.NODESET);
        for (int i = 0; i < ids.getLength(); i++) {
            artifacts.add(ids.item(i).getTextContent().strip());
        }
        Map<String, String> packages = Map.of(
                "dev.mvp.signaling.junit5.", "signaling-junit5",
                "dev.mvp.signaling.client.", "signaling-client",
                "org.junit.jupiter.", "junit-jupiter",
                "org.assertj.", "assertj-core");
        for (String name : List.of("junit5", "junit5-restart")) {
            Matcher imports = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE).matcher(snippet(name));
            while (imports.find()) {
                String imported = imports.group(2);
                if (imported.startsWith("java.")) {
                    continue;
                }
                String artifact = packages.entrySet().stream().filter(e -> imported.startsWith(e.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse("(none known for " + imported + ")");
                assertThat(artifacts).as("snippet %s imports %s, so the agent pom lists %s", name, imported, artifact)
                        .contains(artifact);
            }
        }
    }

    @Test
    void theClassPathCommandUsesTheDependencyPluginsRealPropertyNames() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains("dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=")
                .doesNotContain("-Dmdep.includeScope"); // the plugin ignores that one
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String text(Document doc, String path) throws Exception {
        String value = XPathFactory.newInstance().newXPath().evaluate(path, doc).strip();
        assertThat(value).as("%s in a pom", path).isNotEmpty();
        return value;
    }

    private static String snippet(String name) throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = REGION.matcher(Files.readString(file));
                while (m.find()) {
                    if (m.group(1).equals(name)) {
                        return dedent(m.group(2));
                    }
                }
            }
        }
        throw new AssertionError("no snippet " + name);
    }

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
