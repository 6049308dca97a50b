package dev.mvp.signaling.server.jws;

import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.engine.ConnectionRegistry;
import dev.mvp.signaling.server.engine.EngineContext;
import dev.mvp.signaling.server.http.HttpService;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket server, adapted: every accepted socket goes through a {@link FrontDoorChannel},
 * every open WebSocket becomes a {@link WsConnection} driving a hub session and is reported to the
 * server's registry. Internal; {@link JavaWebSocketEngine} drives it.
 *
 * <p>It runs on a server socket bound by {@link JavaWebSocketEngine} (so bind errors surface in
 * {@code start()} and the accept backlog is ours), with the library's lost-connection timer off (its
 * thread cannot be named; the server's liveness rule replaces it).
 */
final class WsEngine extends WebSocketServer {
    private static final Logger log = LoggerFactory.getLogger(WsEngine.class);

    private final SignalingHub hub;
    private final HttpService responder;
    private final ConnectionRegistry registry;
    private final ScheduledExecutorService timer;
    private final FlushGuard flushGuard;
    private final dev.mvp.signaling.server.engine.ByteBudget outbound;
    private final long handshakeTimeoutMs;
    private final String selectorName;
    private final List<Draft> drafts;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Set<FrontDoorChannel> channels = ConcurrentHashMap.newKeySet();

    private final javax.net.ssl.SSLContext sslContext;
    private final java.util.concurrent.ExecutorService tlsTasks;

    /**
     * @param context the server: hub, HTTP side, registry, timer, settings
     * @param tlsTasks runs the TLS engines' delegated tasks; null without TLS
     */
    WsEngine(ServerSocketChannel bound, EngineContext context, java.util.concurrent.ExecutorService tlsTasks) {
        super(bound);
        this.sslContext = context.tls();
        this.tlsTasks = tlsTasks;
        this.hub = context.hub();
        this.responder = context.http();
        this.registry = context.connections();
        this.timer = context.timer();
        this.flushGuard = new FlushGuard(timer);
        this.outbound = context.outboundBudget();
        dev.mvp.signaling.server.engine.ByteBudget inbound = context.inboundBudget();
        this.handshakeTimeoutMs = context.config().handshakeTimeout().toMillis();
        this.drafts = List.of(new StrictDraft(context.config().maxFrameBytes(), inbound));
        setConnectionLostTimeout(0);
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        for (int i = 0; i < decoders.size(); i++) {
            decoders.get(i).setName(context.threadName("worker-" + (i + 1)));
        }
        this.selectorName = context.threadName("selector");
        setWebSocketFactory(new Factory());
    }

    private volatile boolean stopping;

    /** The server is shutting down: errors about the closed listening socket are expected. */
    void stopping() {
        stopping = true;
    }

    CompletableFuture<Void> started() {
        return started;
    }

    FlushGuard flushGuard() {
        return flushGuard;
    }

    /** The server's total of bytes waiting for clients. */
    dev.mvp.signaling.server.engine.ByteBudget outboundBudget() {
        return outbound;
    }

    List<Thread> workerThreads() {
        return new ArrayList<>(decoders);
    }


    /** Sockets accepted and not closed yet that are not (yet) WebSockets, plus the WebSockets'. */
    Set<FrontDoorChannel> channels() {
        return channels;
    }

    // --- accepting --------------------------------------------------------------------------------

    private FrontDoorChannel accept(SocketChannel socket, SelectionKey key) throws java.io.IOException {
        org.java_websocket.WrappedByteChannel tls = null;
        if (sslContext != null) {
            javax.net.ssl.SSLEngine engine = sslContext.createSSLEngine();
            engine.setUseClientMode(false);
            tls = new org.java_websocket.SSLSocketChannel2(socket, engine, tlsTasks, key);
        }
        FrontDoorChannel channel = new FrontDoorChannel(socket, tls, key, responder, channels::remove, timer);
        channels.add(channel);
        ((WebSocketImpl) key.attachment()).setAttachment(channel);
        channel.closeUnlessOpenWithin(handshakeTimeoutMs);
        return channel;
    }

    // --- library callbacks ------------------------------------------------------------------------

    @Override
    public void onStart() {
        Thread.currentThread().setName(selectorName);
        started.complete(null);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake clientHandshake) {
        WebSocketImpl ws = (WebSocketImpl) conn;
        FrontDoorChannel channel = ws.getAttachment();
        HttpService.Upgrade upgrade = channel.upgrade();
        WsConnection c = new WsConnection(this, ws, channel, upgrade.handshake());
        channel.attach(c);
        channel.chargeTo(outbound, c);
        if (ws.getDraft() instanceof StrictDraft draft) {
            draft.opened(c);
        }
        registry.opened(c, channel.acceptedNanos());
        c.opened(hub, upgrade.clientId());
    }

    @Override
    public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
        WsConnection c = connectionOf(conn);
        if (c != null && remote) {
            c.clientSentClose(code, reason);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        WsConnection c = connectionOf(conn);
        if (c != null) {
            registry.closed(c);
            c.closed(code, reason);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        WsConnection c = connectionOf(conn);
        if (c != null) {
            c.text(message);
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        WsConnection c = connectionOf(conn);
        if (c != null) {
            c.binary(message.remaining());
        }
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        WsConnection c = connectionOf(conn);
        if (c != null) {
            c.controlFrame();
        }
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        WsConnection c = connectionOf(conn);
        if (c == null) {
            super.onWebsocketPing(conn, f);
            return;
        }
        c.pong(f.getPayloadData()); // the pong is sent first: once a ping counts as heard, it is answered
        c.controlFrame();
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            if (!started.completeExceptionally(ex)) {
                if (stopping) { // the listening socket was closed under the selector on purpose
                    log.debug("The WebSocket server reported an error while stopping", ex);
                } else {
                    log.error("The WebSocket server failed", ex);
                }
            }
        } else {
            log.debug("Connection error on {}", connectionOf(conn), ex);
        }
    }

    private static WsConnection connectionOf(WebSocket conn) {
        Object attachment = conn.getAttachment();
        return attachment instanceof FrontDoorChannel channel ? channel.connection() : null;
    }

    private final class Factory implements WebSocketServerFactory {
        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
            return new WebSocketImpl(a, drafts);
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> ignored) {
            return new WebSocketImpl(a, drafts);
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws java.io.IOException {
            return accept(channel, key);
        }

        @Override
        public void close() {
            // nothing of its own to release
        }
    }

    @Override
    public String toString() {
        InetSocketAddress a = getAddress();
        return "WsEngine[" + a + ", " + channels.size() + " sockets]";
    }
}
