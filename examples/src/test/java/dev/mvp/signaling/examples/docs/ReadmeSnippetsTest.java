package dev.mvp.signaling.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's code blocks are copies of marked regions ({@code // snippet:NAME} ... {@code // end:NAME})
 * of code that compiles and runs in this module; this keeps the copies true.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
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
        assertThat(names).contains("embed", "junit5", "in-memory");
        assertThat(Files.readString(ROOT.resolve("signaling-junit5/README.md")))
                .as("the fixture's README shows the same test").contains(snippet("junit5"));
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
