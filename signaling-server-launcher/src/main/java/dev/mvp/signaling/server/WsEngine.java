package dev.mvp.signaling.server;

import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.SignalingHub;
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
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket server, adapted: every accepted socket goes through a {@link FrontDoorChannel},
 * every open WebSocket becomes a {@link WsConnection} driving a hub session. Internal; the public face
 * is {@link SignalingServer}.
 *
 * <p>It runs on a server socket bound by {@link SignalingServer} (so bind errors surface in
 * {@code start()} and the accept backlog is ours), with the library's lost-connection timer off (its
 * thread cannot be named; {@link #pingIdle} replaces it on the server's timer).
 */
final class WsEngine extends WebSocketServer {
    private static final Logger log = LoggerFactory.getLogger(WsEngine.class);

    private final SignalingHub hub;
    private final HttpResponder responder;
    private final ScheduledExecutorService timer;
    private final FlushGuard flushGuard;
    private final long handshakeTimeoutMs;
    private final String threadPrefix;
    private final List<Draft> drafts;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Set<FrontDoorChannel> channels = ConcurrentHashMap.newKeySet();
    private final Set<WsConnection> connections = ConcurrentHashMap.newKeySet();
    /** Notified whenever a WebSocket has closed; see {@link #awaitNoConnections}. */
    private final Object drained = new Object();

    private final javax.net.ssl.SSLContext sslContext;
    private final java.util.concurrent.ExecutorService tlsTasks;

    /**
     * @param sslContext the server's TLS context, or null for plain connections
     * @param tlsTasks runs the TLS engines' delegated tasks; null without TLS
     */
    WsEngine(ServerSocketChannel bound, SignalingHub hub, HttpResponder responder, ScheduledExecutorService timer,
             long handshakeTimeoutMs, int maxFrameBytes, String threadPrefix, javax.net.ssl.SSLContext sslContext,
             java.util.concurrent.ExecutorService tlsTasks) {
        super(bound);
        this.sslContext = sslContext;
        this.tlsTasks = tlsTasks;
        this.hub = hub;
        this.responder = responder;
        this.timer = timer;
        this.flushGuard = new FlushGuard(timer);
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.threadPrefix = threadPrefix;
        this.drafts = List.of(new Draft_6455(List.of(), maxFrameBytes));
        setConnectionLostTimeout(0);
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        for (int i = 0; i < decoders.size(); i++) {
            decoders.get(i).setName(threadPrefix + "worker-" + (i + 1));
        }
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

    List<Thread> workerThreads() {
        return new ArrayList<>(decoders);
    }

    /** The open WebSocket connections. */
    Set<WsConnection> openConnections() {
        return connections;
    }

    /**
     * Waits until every WebSocket has finished closing, or the deadline passes.
     *
     * @return whether none is left
     */
    boolean awaitNoConnections(long deadlineNanos) throws InterruptedException {
        synchronized (drained) {
            while (!connections.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
            return true;
        }
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
        FrontDoorChannel channel = new FrontDoorChannel(socket, tls, key, responder, channels::remove);
        channels.add(channel);
        ((WebSocketImpl) key.attachment()).setAttachment(channel);
        try {
            timer.schedule(channel::abortUnlessOpen, handshakeTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            channel.abortUnlessOpen(); // shutting down
        }
        return channel;
    }

    // --- library callbacks ------------------------------------------------------------------------

    @Override
    public void onStart() {
        Thread.currentThread().setName(threadPrefix + "selector");
        started.complete(null);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake clientHandshake) {
        WebSocketImpl ws = (WebSocketImpl) conn;
        FrontDoorChannel channel = ws.getAttachment();
        HttpHead req = channel.request();
        WsConnection c = new WsConnection(this, ws, channel, new Handshake(req.path, req.query, req.headers, channel.remoteAddress()));
        channel.attach(c);
        connections.add(c);
        c.opened(hub, channel.clientId());
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
            connections.remove(c);
            synchronized (drained) {
                drained.notifyAll();
            }
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
        super.onWebsocketPing(conn, f); // the pong is queued first: once a ping counts as heard, it is answered
        WsConnection c = connectionOf(conn);
        if (c != null) {
            c.controlFrame();
        }
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

    // --- keep-alive -------------------------------------------------------------------------------

    /**
     * Runs every half interval on the server's timer: pings the connections nothing was heard from for
     * half an interval or more, and drops those silent (not even a pong) for more than two intervals,
     * so a dead peer is noticed between two and two and a half intervals after it last spoke. Clients
     * that talk are never pinged.
     */
    void pingIdle(long intervalNanos) {
        long now = System.nanoTime();
        for (WsConnection c : connections) {
            WebSocketImpl ws = c.socket();
            long silent = now - c.lastHeardNanos();
            if (silent > 2 * intervalNanos) {
                log.debug("Dropping {}: no pong for {} ms", c, TimeUnit.NANOSECONDS.toMillis(silent));
                ws.closeConnection(CloseFrame.ABNORMAL_CLOSE, "no pong received in time");
            } else if (silent >= intervalNanos / 2 && ws.isOpen()) {
                try {
                    ws.sendPing();
                    flushGuard.watch(c);
                } catch (RuntimeException e) {
                    log.debug("Could not ping {}", c, e);
                }
            }
        }
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
        return "WsEngine[" + a + ", " + connections.size() + " WebSockets, " + channels.size() + " sockets]";
    }
}
