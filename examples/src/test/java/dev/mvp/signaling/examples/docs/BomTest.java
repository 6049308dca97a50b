package dev.mvp.signaling.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * signaling-bom lists every module that is published, and nothing else: a module added to the build
 * without a BOM entry (or a BOM entry for a module that is not deployed) fails here. The BOM cannot be
 * imported by the parent from the same build, so the two lists are kept in step by this test.
 */
class BomTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theBomListsExactlyThePublishedModules() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        List<String> published = new ArrayList<>();
        for (String module : texts(parent.getDocumentElement(), "modules", "module")) {
            Document pom = read(ROOT.resolve(module).resolve("pom.xml"));
            Element project = pom.getDocumentElement();
            String packaging = text(project, "packaging");
            boolean skipped = "true".equals(text(child(project, "properties"), "maven.deploy.skip"));
            if (!skipped && !"pom".equals(packaging)) {
                published.add(text(project, "artifactId"));
            }
        }

        Document bom = read(ROOT.resolve("signaling-bom/pom.xml"));
        Element managed = child(bom.getDocumentElement(), "dependencyManagement");
        List<String> listed = artifactIds(child(managed, "dependencies"));

        assertThat(published).as("modules the build deploys").contains("signaling-core", "signaling-server-launcher");
        assertThat(listed).as("artifacts signaling-bom manages").containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void theBomHasNoParentSoImportingItBringsNoneOfTheBuildsPins() throws Exception {
        Element bom = read(ROOT.resolve("signaling-bom/pom.xml")).getDocumentElement();
        Element parent = read(ROOT.resolve("pom.xml")).getDocumentElement();

        assertThat(child(bom, "parent")).isNull();
        assertThat(text(bom, "version")).as("the BOM's version is the build's").isEqualTo(text(parent, "version"));
    }

    private static List<String> artifactIds(Element dependencies) {
        List<String> ids = new ArrayList<>();
        for (Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("dependency")) {
                ids.add(text(e, "artifactId"));
            }
        }
        return ids;
    }

    private static List<String> texts(Element parent, String container, String name) {
        List<String> values = new ArrayList<>();
        Element c = child(parent, container);
        if (c != null) {
            NodeList nodes = c.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                    values.add(e.getTextContent().trim());
                }
            }
        }
        return values;
    }

    private static String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? null : c.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Document read(Path pom) throws Exception {
        assertThat(pom).exists();
        try (var in = Files.newInputStream(pom)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }
}
