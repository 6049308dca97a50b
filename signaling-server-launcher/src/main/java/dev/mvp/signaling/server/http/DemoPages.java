package dev.mvp.signaling.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The browser demo ({@code demo/index.html}, {@code demo/demo.js} and {@code demo/favicon.svg} in this
 * module's resources, the icon also at {@code /favicon.ico} for browsers that ask there), read
 * once when the server starts so that serving it never touches the class path on the selector thread.
 * Served only when {@code ServerConfig.demo()} is on: it is a test page, not part of the API.
 */
final class DemoPages {
    /** The page's address; {@code /demo} itself redirects here so the page's relative script URL works. */
    static final String ROOT = "/demo/";

    record Page(String contentType, byte[] body) {}

    private final Map<String, Page> pages;

    private DemoPages(Map<String, Page> pages) {
        this.pages = pages;
    }

    static DemoPages load() {
        Page index = new Page("text/html; charset=utf-8", read("index.html"));
        Page script = new Page("text/javascript; charset=utf-8", read("demo.js"));
        Page icon = new Page("image/svg+xml", read("favicon.svg"));
        return new DemoPages(Map.of(ROOT, index, ROOT + "index.html", index, ROOT + "demo.js", script,
                ROOT + "favicon.svg", icon, "/favicon.ico", icon));
    }

    /** The page at {@code path}, or null if the demo has no such file. */
    Page page(String path) {
        return pages.get(path);
    }

    private static byte[] read(String name) {
        try (InputStream in = DemoPages.class.getClassLoader().getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("demo/" + name + " is missing from the launcher's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo/" + name, e);
        }
    }
}
