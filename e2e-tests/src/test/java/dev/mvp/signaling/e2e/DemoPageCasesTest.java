package dev.mvp.signaling.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo page in the cases a person trips over: a taken id, calling someone who is not online, the
 * server restarting, and what the route line shows. A screenshot of each case goes to
 * {@code target/e2e/demo-<case>.png}.
 */
class DemoPageCasesTest {
    private LauncherServer server;
    private Browser page;
    private Browser other;

    @BeforeEach
    void start() throws Exception {
        IsolatedNetwork.assume();
        server = LauncherServer.start();
    }

    @AfterEach
    void stop() {
        try (LauncherServer s = server; Browser a = page; Browser b = other) {
            // the browsers first, then the server
        }
    }

    @Test
    void aTakenIdCanBeChangedAndRetriedAtOnce() throws Exception {
        other = Browser.open(server.demoPage("id=alice"));
        other.click("connect");
        other.await("the first page registers alice", b -> b.state("signaling").equals("registered"));
        page = Browser.open(server.demoPage("id=alice&peer=bob"));

        page.click("connect");
        page.await("the page says the id is taken", b -> log(b).stream().anyMatch(l -> l.contains("is taken")));
        assertThat(page.state("signaling")).isEqualTo("disconnected");
        assertThat(page.script("return document.getElementById('connect').disabled;")).isEqualTo(false);
        assertThat(log(page)).filteredOn(l -> l.startsWith("error")).containsExactly(
                "error: The id \"alice\" is taken by another connection. Choose another id and press Connect.");
        page.screenshot(shot("id-taken"));

        page.script("document.getElementById('me').value = 'alice2';");
        page.click("connect");
        page.await("the page registers the new id", b -> b.state("signaling").equals("registered"));
        assertThat(log(page)).contains("info: Registered as alice2.").noneMatch(l -> l.contains("register message"));
        page.screenshot(shot("id-taken-retried"));
    }

    @Test
    void callingSomeoneWhoIsNotOnlineSaysSoInOneLine() throws Exception {
        page = Browser.open(server.demoPage("id=alice&peer=bob"));
        page.click("connect");
        page.await("the page registers", b -> b.state("signaling").equals("registered"));

        page.click("call");
        page.await("the page says bob is not online", b -> log(b).contains("error: bob is not online."));
        // The offer's candidates bounce a moment after the offer; they must add nothing.
        page.await("every bounce has arrived", b -> b.script("return window.demo.errors.length;") instanceof Number n
                && n.intValue() >= 2);
        assertThat(log(page)).filteredOn(l -> l.startsWith("error")).containsExactly("error: bob is not online.");
        assertThat(page.state("peer")).isEqualTo("closed");
        assertThat(page.script("return document.getElementById('call').disabled;")).isEqualTo(false);
        page.screenshot(shot("peer-not-online"));
    }

    @Test
    void serverShutdownIsShownAndThePageReconnects() throws Exception {
        page = Browser.open(server.demoPage("id=alice"));
        page.click("connect");
        page.await("the page registers", b -> b.state("signaling").equals("registered"));
        int port = server.port();

        server.close();
        page.await("the page shows the shutdown and plans a reconnect",
                b -> b.state("signaling").equals("reconnecting"));
        assertThat(log(page)).anyMatch(l -> l.startsWith("info: The server is shutting down"));
        page.screenshot(shot("server-shutdown"));
        server = LauncherServer.start(port);

        page.await("the page is registered again", b -> b.state("signaling").equals("registered"));
        assertThat(log(page)).contains("info: Reconnected and registered as alice.");
        page.screenshot(shot("server-shutdown-reconnected"));
    }

    @Test
    void theRouteLineShowsWhatIsKnownAndSaysWhatIsHidden() throws Exception {
        page = Browser.open(server.demoPage("id=alice&peer=bob"));
        other = Browser.open(server.demoPage("id=bob&peer=alice"));
        page.click("connect");
        other.click("connect");
        page.await("alice registers", b -> b.state("signaling").equals("registered"));
        other.await("bob registers", b -> b.state("signaling").equals("registered"));

        page.click("call");
        page.await("the route is shown", b -> String.valueOf(b.script("return window.demo.route;"))
                .contains("\u2194"));
        String route = String.valueOf(page.script("return window.demo.route;"));
        // e.g. "udp 127.0.0.1:40001 (host) ↔ 127.0.0.1:40002 (host)", or the far end as
        // "unknown address:40002 (prflx, address hidden by the browser)"
        assertThat(route).matches("udp \\S+:\\d+ \\((host|srflx|prflx|relay)\\) \u2194 "
                + "(\\S+:\\d+ \\((host|srflx|relay)\\)|(\\S+|unknown address):\\d+ \\(prflx(, address hidden by the browser)?\\))");
        assertThat(route).doesNotContain("undefined").doesNotStartWith(":");
        page.screenshot(shot("route"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> log(Browser b) {
        return (List<String>) b.script("return window.demo.log;");
    }

    private static Path shot(String name) {
        return Path.of("target", "e2e", "demo-" + name + ".png");
    }
}
