package dev.mvp.signaling.netty;

import dev.mvp.signaling.core.Handshake;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the transport asks its host about plain HTTP: the response to a request that is not a WebSocket
 * upgrade, and whether an upgrade may proceed. The host renders complete responses (status line, headers,
 * body); the transport writes them as they are and closes the connection, so every response should say
 * {@code Connection: close}. Called on an I/O thread: keep it cheap and never block.
 */
public interface HttpFront {

    /**
     * One request head as it arrived.
     *
     * @param method e.g. {@code GET}
     * @param target the request target as sent, e.g. {@code /ws/alice?x=1}
     * @param version e.g. {@code HTTP/1.1}
     * @param headers header values by name, in arrival order
     * @param remoteAddress the client's socket address, or null if unknown
     */
    record Request(String method, String target, String version, Map<String, List<String>> headers,
                   InetSocketAddress remoteAddress) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(version, "version");
            headers = Map.copyOf(headers);
        }
    }

    /**
     * The answer to an upgrade request: either the claimed client id and the handshake the hub should
     * see, or the complete response that refuses it.
     */
    record Upgrade(String clientId, Handshake handshake, byte[] refusal) {
        /** The upgrade proceeds; the hub opens a session for {@code clientId}. */
        public static Upgrade accept(String clientId, Handshake handshake) {
            return new Upgrade(Objects.requireNonNull(clientId, "clientId"), Objects.requireNonNull(handshake, "handshake"), null);
        }

        /** The upgrade is refused with this response. */
        public static Upgrade refuse(byte[] response) {
            return new Upgrade(null, null, Objects.requireNonNull(response, "response"));
        }

        public boolean accepted() {
            return refusal == null;
        }
    }

    /** The complete response to a request that is not a WebSocket upgrade. */
    byte[] respond(Request request);

    /** Whether a {@code GET} with {@code Upgrade: websocket} may become a WebSocket. */
    Upgrade upgrade(Request request);

    /** The response to a request that could not be parsed; {@code problem} says why. */
    byte[] badRequest(String problem);

    /** The response to a request line or head longer than {@code limit} bytes. */
    byte[] headTooLarge(int limit);
}
