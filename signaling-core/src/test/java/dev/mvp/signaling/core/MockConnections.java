package dev.mvp.signaling.core;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import org.mockito.invocation.Invocation;

/** Mockito stand-ins for a transport's {@link Connection}, and what the hub sent through them. */
final class MockConnections {
    private MockConnections() {}

    /** A mock connection whose handshake is that of {@code /ws/{id}}; it reports nothing buffered. */
    static Connection connection(String id) {
        Connection c = mock(Connection.class, "connection " + id);
        when(c.handshake()).thenReturn(handshake(id));
        return c;
    }

    static Handshake handshake(String id) {
        return new Handshake("/ws/" + id, "room=1", Map.of("User-Agent", List.of("contract-test")), null);
    }

    /** The frames the hub passed to {@code c.send}, in order. */
    static List<String> sent(Connection c) {
        return mockingDetails(c).getInvocations().stream()
                .filter(i -> i.getMethod().getName().equals("send"))
                .map(i -> (String) i.getArgument(0))
                .toList();
    }

    /** The {@code type} of each frame sent to {@code c}. */
    static List<String> sentTypes(Connection c) {
        return sent(c).stream().map(TestFrames::type).toList();
    }

    /** The error codes sent to {@code c}, in order. */
    static List<String> errorCodes(Connection c) {
        return sent(c).stream().map(TestFrames::json)
                .filter(f -> f.get("type").getAsString().equals("error"))
                .map(f -> f.get("code").getAsString())
                .toList();
    }

    /** How many times the hub called {@code c.close}. */
    static long closes(Connection c) {
        return mockingDetails(c).getInvocations().stream()
                .map(Invocation::getMethod)
                .filter(m -> m.getName().equals("close"))
                .count();
    }

    static String register(String id) {
        return "{\"type\":\"register\",\"id\":\"" + id + "\"}";
    }

    static String register(String id, String token) {
        return "{\"type\":\"register\",\"id\":\"" + id + "\",\"token\":\"" + token + "\"}";
    }

    static String offer(String to) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"v=0\"}";
    }
}
