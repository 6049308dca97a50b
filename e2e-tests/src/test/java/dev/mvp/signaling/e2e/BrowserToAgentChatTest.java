package dev.mvp.signaling.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.examples.agent.Agent;
import dev.mvp.signaling.examples.agent.AgentConfig;
import dev.mvp.signaling.examples.agent.CandidatePair;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Headless Chromium and the Java agent (webrtc-java) open a data channel through our server. */
class BrowserToAgentChatTest {

    private TestServer server;
    private Browser browser;
    private Agent agent;
    private final AgentEvents agentEvents = new AgentEvents();

    @BeforeEach
    void start() throws Exception {
        IsolatedNetwork.assume();
        server = TestServer.start();
        agent = Agent.start(AgentConfig.chat("agent", server.webSocketBase().resolve("agent")), agentEvents);
        browser = Browser.open(server.demoPage("id=page&peer=agent"));
        browser.click("connect");
        browser.await("the page registers", b -> b.state("signaling").equals("registered"));
    }

    @AfterEach
    void stop() {
        try (TestServer s = server; Agent a = agent; Browser b = browser) {
            // closed in reverse order: the browser, the agent, then the server
        }
    }

    @Test
    void pageCallsAListeningAgentAndTheAgentsHangUpClosesThePage() throws Exception {
        browser.click("call");

        assertThat(agentEvents.await("open:", Browser.WAIT)).isEqualTo("open:page:mvp");
        browser.await("the page's channel opens", b -> b.state("channel").equals("open"));
        browser.await("the page shows the route", b -> String.valueOf(b.script("return window.demo.route;"))
                .contains("\u2194"));
        assertThat(String.valueOf(browser.script("return window.demo.route;"))).doesNotContain("undefined")
                .doesNotContain(" :");
        browser.screenshot(java.nio.file.Path.of("target", "e2e", "demo-route-with-agent.png"));
        chatBothWays();
        assertPairInsideOnBothEnds();

        agent.hangUp();
        browser.await("the page closes on the agent's bye", b -> b.state("channel").equals("closed")
                && b.byes().stream().anyMatch(bye -> "agent".equals(bye.get("from"))));
        assertThat(agentEvents.await("closed:", Browser.WAIT)).isEqualTo("closed:page:hangup");
    }

    @Test
    void agentCallsThePageWhichAnswersAndThePagesByeClosesTheAgent() throws Exception {
        agent.connect("page");

        browser.await("the page answers and its channel opens", b -> b.state("channel").equals("open"));
        assertThat(agentEvents.await("open:", Browser.WAIT)).isEqualTo("open:page:mvp");
        assertThat(browser.state("peerId")).isEqualTo("agent");
        chatBothWays();
        assertPairInsideOnBothEnds();

        // A bye alone, with the page's connection left open, must make the agent end the session.
        browser.signal("{\"type\":\"bye\",\"to\":\"agent\"}");
        assertThat(agentEvents.await("closed:", Browser.WAIT)).isEqualTo("closed:page:bye");
        assertThat(agent.isOpen()).isFalse();
        browser.await("the page's channel closes once the agent closed its side",
                b -> b.state("channel").equals("closed"));
    }

    private void chatBothWays() throws InterruptedException {
        browser.typeMessage("hello agent");
        assertThat(agentEvents.await("message:", Browser.WAIT)).isEqualTo("message:page:hello agent");
        assertThat(agent.send("hello page")).isTrue();
        browser.await("the page receives the agent's message", b -> b.messages().contains("hello page"));
    }

    /**
     * Each side's view of the selected pair, on loopback or the namespace's TEST-NET-2 link. The page
     * may know the agent's end only as a peer-reflexive candidate, whose address Chromium hides from
     * getStats() (see docs/E2E.md); the agent's statistics show the page's end, and the ports match.
     * ICE may still switch pairs after the channel opened (one side reports the new pair before the other),
     * so the two views are awaited until they agree, then checked.
     */
    @SuppressWarnings("unchecked")
    private void assertPairInsideOnBothEnds() throws InterruptedException {
        browser.await("both ends report the same selected pair", b -> sameSelectedPair());
        Map<String, Object> pagePair = browser.selectedCandidatePair();
        assertThat(pagePair).as("the page's selected candidate pair").isNotNull();
        assertThat(pagePair.get("state")).isEqualTo("succeeded");
        assertThat((String) ((Map<String, Object>) pagePair.get("local")).get("address"))
                .matches(IsolatedNetwork::isInside, "loopback or " + IsolatedNetwork.TEST_NET + "0/24");

        CandidatePair agentPair = agent.selectedCandidatePair();
        assertThat(agentPair).as("the agent's selected candidate pair").isNotNull();
        assertThat(agentPair.remoteAddress())
                .matches(IsolatedNetwork::isInside, "loopback or " + IsolatedNetwork.TEST_NET + "0/24");
        assertThat(agentPair.remotePort()).isEqualTo(port(pagePair, "local"));
        assertThat(agentPair.localPort()).isEqualTo(port(pagePair, "remote"));
    }

    /** The port of one end ({@code local} or {@code remote}) of the page's pair, or null if not reported. */
    @SuppressWarnings("unchecked")
    private static Integer port(Map<String, Object> pagePair, String end) {
        Object port = ((Map<String, Object>) pagePair.get(end)).get("port");
        return port instanceof Number n ? n.intValue() : null;
    }

    private boolean sameSelectedPair() {
        try {
            Map<String, Object> pagePair = browser.selectedCandidatePair();
            CandidatePair agentPair = agent.selectedCandidatePair();
            return pagePair != null && agentPair != null
                    && Integer.valueOf(agentPair.remotePort()).equals(port(pagePair, "local"))
                    && Integer.valueOf(agentPair.localPort()).equals(port(pagePair, "remote"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
