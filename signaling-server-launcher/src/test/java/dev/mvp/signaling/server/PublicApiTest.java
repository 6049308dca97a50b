package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the launcher exposes: every public type of its jar, so that one made public by accident (or an
 * internal one of the engine or the command line) fails here instead of becoming API.
 */
class PublicApiTest {
    /** The public types, by name. Changing this list changes the API: say so in the README. */
    private static final Set<String> API = Set.of(
            "dev.mvp.signaling.server.SignalingServer",
            "dev.mvp.signaling.server.ServerConfig",
            "dev.mvp.signaling.server.ServerConfig$Builder",
            "dev.mvp.signaling.server.ServerStartException",
            "dev.mvp.signaling.server.ReadinessCheck",
            "dev.mvp.signaling.server.ServerPlugin",
            "dev.mvp.signaling.server.ServerListener",
            "dev.mvp.signaling.server.ClusterView",
            "dev.mvp.signaling.server.engine.Engine",
            "dev.mvp.signaling.server.engine.EngineFactory",
            "dev.mvp.signaling.server.engine.EngineContext",
            "dev.mvp.signaling.server.engine.EngineConnection",
            "dev.mvp.signaling.server.engine.ConnectionRegistry",
            "dev.mvp.signaling.server.engine.ByteBudget",
            "dev.mvp.signaling.server.engine.ByteBudget$Holder",
            "dev.mvp.signaling.server.engine.ByteBudget$Share",
            "dev.mvp.signaling.server.http.HttpService",
            "dev.mvp.signaling.server.http.HttpService$Upgrade",
            "dev.mvp.signaling.server.http.HttpRequest",
            // thrown by HttpRequest.parse for an HTTP version other than 1.x: engines answer it with HttpService.malformed
            "dev.mvp.signaling.server.http.HttpRequest$UnsupportedVersionException",
            "dev.mvp.signaling.server.http.HttpHandler",
            "dev.mvp.signaling.server.http.HttpResponse",
            // instantiated by the service loader, chosen by name, never named by users
            "dev.mvp.signaling.server.jws.JavaWebSocketEngineFactory",
            // the entry point of java -jar
            "dev.mvp.signaling.server.cli.Main");

    @Test
    void theLauncherExposesExactlyItsApi() throws Exception {
        assertThat(publicTypes()).containsExactlyInAnyOrderElementsOf(new TreeSet<>(API));
    }

    @Test
    void everyPackageSaysWhatItHolds() throws Exception {
        Path root = classesRoot();
        try (Stream<Path> dirs = Files.walk(root)) {
            List<Path> packages = dirs.filter(Files::isDirectory)
                    .filter(d -> {
                        try (Stream<Path> files = Files.list(d)) {
                            return files.anyMatch(f -> f.toString().endsWith(".class"));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
            assertThat(packages).isNotEmpty().allSatisfy(d -> assertThat(d.resolve("package-info.class")).exists());
        }
    }

    private static Path classesRoot() throws URISyntaxException {
        // the directory (or jar) SignalingServer was loaded from: the main classes, not the tests'
        return Path.of(SignalingServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Set<String> publicTypes() throws Exception {
        Path root = classesRoot();
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace(java.io.File.separatorChar, '.');
                name = name.substring(0, name.length() - ".class".length());
                if (name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
                    continue;
                }
                if (isReachable(type)) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    /** Public, and every enclosing type public too. */
    private static boolean isReachable(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}
