package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.connection;
import static dev.mvp.signaling.core.MockConnections.errorCodes;
import static dev.mvp.signaling.core.MockConnections.offer;
import static dev.mvp.signaling.core.MockConnections.register;
import static dev.mvp.signaling.core.MockConnections.sent;
import static dev.mvp.signaling.core.MockConnections.sentTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mockito.stubbing.Answer;

/**
 * What the hub asks of its {@link PeerDirectory}: it claims an id with {@code putIfAbsent}, takes one over
 * with {@code replace} and gives it up with {@code remove}, each only for an entry it put itself, and
 * trusts their atomic answers; entries of others (a peer on another node) it only reads and routes to.
 */
class PeerDirectoryContractTest {
    private static final String TOKEN = "s3cret";
    private static final Map<String, String> TOKENS = Map.of("alice", TOKEN, "bob", TOKEN, "carol", TOKEN);

    @Test
    void theHubRemovesAndReplacesOnlyEntriesItPutAndRoutesToOthersEntries() {
        PeerDirectory real = PeerDirectory.inMemory();
        Peer carol = mock(Peer.class);
        when(carol.id()).thenReturn("carol");
        when(carol.deliver(any())).thenReturn(true);
        real.putIfAbsent("carol", carol); // registered through another node
        List<Call> calls = new CopyOnWriteArrayList<>();
        Answer<Object> toReal = delegatesTo(real);
        PeerDirectory directory = mock(PeerDirectory.class, inv -> {
            Object result = toReal.answer(inv);
            calls.add(new Call(inv.getMethod().getName(), inv.getArguments(), result));
            return result;
        });
        ManualScheduler time = new ManualScheduler();
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().directory(directory).scheduler(time)
                .authenticator(Authenticator.staticTokens(TOKENS))
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN).build())) {
            Session alice = hub.open(connection("alice"), "alice");
            alice.onText(register("alice", TOKEN));
            hub.open(connection("bob"), "bob").onText(register("bob", TOKEN));
            alice.onText(offer("carol"));
            verify(carol).deliver(argThat(e -> e.type().equals("offer") && e.from().equals("alice")));

            Connection localCarol = connection("carol");
            hub.open(localCarol, "carol").onText(register("carol", TOKEN));
            assertThat(errorCodes(localCarol)).as("another node's entry is not taken over").containsExactly(ErrorCodes.ID_TAKEN);

            hub.open(connection("bob"), "bob").onText(register("bob", TOKEN)); // replaces bob
            alice.onClose(CloseCodes.ABNORMAL, ""); // kept for a resume...
            hub.open(connection("alice"), "alice").onText(register("alice", TOKEN)); // ...and resumed
            hub.disconnect("bob", CloseCodes.NORMAL, "");
        }

        Set<String> own = new HashSet<>(); // "id -> peer" pairs the hub itself put
        List<String> misuse = new ArrayList<>();
        for (Call call : calls) {
            switch (call.method()) {
                case "putIfAbsent" -> {
                    if (call.result() == null) {
                        own.add(call.entry(1));
                    }
                }
                case "replace" -> {
                    if (!own.contains(call.entry(1))) {
                        misuse.add(call.toString());
                    }
                    if (Boolean.TRUE.equals(call.result())) {
                        own.add(call.entry(2));
                    }
                }
                case "remove" -> {
                    if (!own.contains(call.entry(1))) {
                        misuse.add(call.toString());
                    }
                }
                default -> { }
            }
        }
        assertThat(misuse).as("removals and replacements of entries the hub did not put").isEmpty();
        assertThat(own).hasSizeGreaterThanOrEqualTo(4); // alice, bob, bob's replacement, alice's resume
        verify(directory, never()).remove(eq("carol"), any());
        verify(directory, never()).replace(eq("carol"), any(), any());
        assertThat(real.get("carol")).as("only the other node's entry is left").isSameAs(carol);
        assertThat(real.get("alice")).isNull();
        assertThat(real.get("bob")).isNull();
    }

    /** One call the hub made on the directory and what the directory answered. */
    private record Call(String method, Object[] args, Object result) {
        /** "id -> peer" for the peer argument at {@code index}, by identity. */
        String entry(int index) {
            return args[0] + " -> " + System.identityHashCode(args[index]);
        }

        @Override
        public String toString() {
            return method + Arrays.toString(args) + " = " + result;
        }
    }

    @Test
    void aReplaceTheDirectoryRefusesLeavesTheHolderInPlaceAndTheNewcomerIsRefused() {
        PeerDirectory directory = mock(PeerDirectory.class, delegatesTo(PeerDirectory.inMemory()));
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().directory(directory)
                .authenticator(Authenticator.staticTokens(TOKENS))
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN).build())) {
            Connection holder = connection("alice");
            hub.open(holder, "alice").onText(register("alice", TOKEN));
            doReturn(false).when(directory).replace(eq("alice"), any(), any()); // someone changed the entry meanwhile
            Connection newcomer = connection("alice");
            hub.open(newcomer, "alice").onText(register("alice", TOKEN));

            assertThat(errorCodes(newcomer)).containsExactly(ErrorCodes.ID_TAKEN);
            verify(holder, never()).close(anyInt(), anyString());
            verify(directory, never()).remove(eq("alice"), any());
            assertThat(hub.isRegistered("alice")).isTrue();

            Session bob = hub.open(connection("bob"), "bob");
            bob.onText(register("bob", TOKEN));
            bob.onText(offer("alice"));
            assertThat(sentTypes(holder)).as("the holder is still reachable").containsExactly("registered", "offer");
            assertThat(hub.peerIds()).containsExactly("alice", "bob");
        }
    }

    @Test
    void aRecipientThatRegistersWhileAMessageIsBeingHeldReceivesIt() {
        HookedDirectory directory = new HookedDirectory();
        ManualScheduler time = new ManualScheduler();
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().directory(directory).scheduler(time).build())) {
            Connection alice = connection("alice");
            Connection carol = connection("carol");
            Session a = hub.open(alice, "alice");
            a.onText(register("alice"));
            Session c = hub.open(carol, "carol");
            // The router finds no carol; the queue looks again, finds none, and right then carol registers.
            directory.afterNextGet("carol", () -> directory.afterNextGet("carol", () -> c.onText(register("carol"))));
            a.onText(offer("carol"));

            assertThat(sentTypes(carol)).containsExactly("registered", "offer");
            assertThat(sent(carol).get(1)).isEqualTo("{\"from\":\"alice\",\"type\":\"offer\",\"to\":\"carol\",\"sdp\":\"v=0\"}");
            assertThat(hub.stats().heldMessages()).isZero();
            time.advance(Duration.ofMinutes(1));
            assertThat(sentTypes(alice)).as("no delivery-expired").containsExactly("registered");
        }
    }
}
