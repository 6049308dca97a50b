package dev.mvp.signaling.bench.server;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The benchmark's yardstick: the least a relay on Java-WebSocket can do. A client at {@code /ws/{id}}
 * is known by that id at once; a {@code register} frame is answered with {@code registered}; any other
 * frame is forwarded as it is to the id that follows its first {@code "to":"}, found by a plain text
 * search. No JSON is parsed, nothing is validated, no limit is kept, nobody is told of a departure.
 *
 * <p>Same thread and socket settings as the launcher's engine: one decoder thread per CPU, TCP_NODELAY,
 * SO_REUSEADDR, the library's lost-connection timer off, and the same accept backlog.
 */
public final class BaselineRelay extends WebSocketServer {

    private final Map<String, WebSocket> byId = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    public BaselineRelay(InetSocketAddress address, int acceptBacklog) {
        super(address);
        setConnectionLostTimeout(0);
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        setMaxPendingConnections(acceptBacklog);
    }

    /** Starts and waits until the port is bound. */
    public void startAndWait() throws Exception {
        start();
        started.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onStart() {
        started.complete(null);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        String path = handshake.getResourceDescriptor();
        String id = path.startsWith("/ws/") ? path.substring(4) : path;
        conn.setAttachment(id);
        byId.put(id, conn);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (RelayRule.isRegister(message)) {
            conn.send(RelayRule.registered(conn.getAttachment()));
            return;
        }
        String to = RelayRule.recipient(message);
        WebSocket target = to == null ? null : byId.get(to);
        if (target != null) {
            target.send(message);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Object id = conn.getAttachment();
        if (id != null) {
            byId.remove(id, conn);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            started.completeExceptionally(ex);
        }
    }
}
