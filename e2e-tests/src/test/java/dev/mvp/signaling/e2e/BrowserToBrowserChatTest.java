package dev.mvp.signaling.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two headless Chromium pages open a data channel through our server and chat over it. */
class BrowserToBrowserChatTest {

    private TestServer server;
    private Browser alice;
    private Browser bob;

    @BeforeEach
    void start() throws Exception {
        IsolatedNetwork.assume();
        server = TestServer.start();
        alice = Browser.open(server.demoPage("id=alice&peer=bob"));
        bob = Browser.open(server.demoPage("id=bob&peer=alice"));
    }

    @AfterEach
    void stop() {
        try (TestServer s = server; Browser a = alice; Browser b = bob) {
            // closed in reverse order: bob, alice, then the server
        }
    }

    @Test
    void twoPagesChatOverADataChannelAndByeClosesTheOtherSide() throws Exception {
        alice.click("connect");
        bob.click("connect");
        alice.await("alice registers", b -> b.state("signaling").equals("registered"));
        bob.await("bob registers", b -> b.state("signaling").equals("registered"));

        alice.click("call");
        awaitOpen();
        assertThat(bob.state("peerId")).isEqualTo("alice");

        alice.typeMessage("hello bob");
        bob.await("bob receives alice's message", b -> b.messages().contains("hello bob"));
        assertThat(bob.send("hi alice")).isTrue();
        alice.await("alice receives bob's message", b -> b.messages().contains("hi alice"));

        assertPairInside(alice.selectedCandidatePair());
        assertPairInside(bob.selectedCandidatePair());
        alice.screenshot(Path.of("target", "e2e", "demo-alice-chatting.png"));

        // A bye alone, with bob's connection left open, must make alice end the session.
        bob.signal("{\"type\":\"bye\",\"to\":\"alice\"}");
        alice.await("alice ends the session on bob's bye", b -> "bob hung up".equals(b.state("closeReason")));
        assertThat(alice.state("channel")).isEqualTo("closed");
        bob.await("bob's channel closes once alice closed hers", b -> b.state("channel").equals("closed"));
    }

    @Test
    void hangUpButtonSendsByeAndTheOtherPageCanCallAgain() throws Exception {
        alice.click("connect");
        bob.click("connect");
        bob.await("bob registers", b -> b.state("signaling").equals("registered"));
        alice.await("alice registers", b -> b.state("signaling").equals("registered"));

        bob.click("call");
        awaitOpen();
        alice.click("hangup");
        bob.await("bob's side closes after alice hangs up", b -> b.state("channel").equals("closed")
                && b.byes().stream().anyMatch(bye -> "alice".equals(bye.get("from"))));
        assertThat(alice.state("closeReason")).isEqualTo("you hung up");

        bob.await("bob can call again", b -> b.script("return document.getElementById('call').disabled;")
                .equals(Boolean.FALSE));
        bob.click("call");
        awaitOpen();
        assertThat(alice.send("again")).isTrue();
        bob.await("bob receives on the second session", b -> b.messages().contains("again"));
    }

    private void awaitOpen() {
        alice.await("alice's channel opens", b -> b.state("channel").equals("open"));
        bob.await("bob's channel opens", b -> b.state("channel").equals("open"));
    }

    @SuppressWarnings("unchecked")
    static void assertPairInside(Map<String, Object> pair) {
        assertThat(pair).as("selected candidate pair").isNotNull();
        assertThat(pair.get("state")).isEqualTo("succeeded");
        assertThat((String) ((Map<String, Object>) pair.get("local")).get("address"))
                .matches(IsolatedNetwork::isInside, "loopback or " + IsolatedNetwork.TEST_NET + "0/24");
        // Chromium hides the address of a peer-reflexive remote candidate (the peer's check arrived
        // before its candidate did); the other page's own local address covers that end.
        Map<String, Object> remote = (Map<String, Object>) pair.get("remote");
        if (!"prflx".equals(remote.get("candidateType"))) {
            assertThat((String) remote.get("address"))
                    .matches(IsolatedNetwork::isInside, "loopback or " + IsolatedNetwork.TEST_NET + "0/24");
        }
    }
}
