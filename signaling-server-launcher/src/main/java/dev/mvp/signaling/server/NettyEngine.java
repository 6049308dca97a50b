package dev.mvp.signaling.server;

import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.netty.HttpFront;
import dev.mvp.signaling.netty.NettyTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The server on the Netty transport ({@link Transport#NETTY}): the {@code signaling-transport-netty}
 * module's {@link NettyTransport}, answering plain HTTP with the same {@link HttpResponder} as the
 * Java-WebSocket engine. The only launcher class that names Netty types, so that a server on Java-WebSocket
 * runs in a project that excluded the Netty module.
 */
final class NettyEngine {
    private final NettyTransport transport;

    NettyEngine(ServerConfig config, SignalingHub hub, HttpResponder responder, SSLContext tls, String threadPrefix) {
        this.transport = NettyTransport.builder(hub, new Front(responder))
                .host(config.host())
                .port(config.port())
                .acceptBacklog(config.acceptBacklog())
                .maxFrameBytes(config.maxFrameBytes())
                .handshakeTimeout(config.handshakeTimeout())
                .closeTimeout(config.shutdownTimeout())
                .pingInterval(config.pingInterval())
                .tls(tls)
                .threadNamePrefix(threadPrefix)
                .build();
    }

    /** Binds; returns the bound address. */
    InetSocketAddress start() throws IOException {
        return transport.start().address();
    }

    void stopAccepting() {
        transport.stopAccepting();
    }

    void forEachWebSocket(Consumer<Connection> action) {
        transport.forEachWebSocket(action);
    }

    boolean awaitNoWebSockets(long deadlineNanos) throws InterruptedException {
        return transport.awaitNoWebSockets(deadlineNanos);
    }

    /** Closes every socket and stops the threads, waiting for them until the deadline ({@code System.nanoTime()}). */
    void close(long deadlineNanos) {
        transport.close(deadlineNanos);
    }

    int socketCount() {
        return transport.socketCount();
    }

    String ioKind() {
        return transport.ioKind();
    }

    /** The launcher's HTTP answers for the Netty transport. */
    private static final class Front implements HttpFront {
        private final HttpResponder responder;

        Front(HttpResponder responder) {
            this.responder = responder;
        }

        @Override
        public byte[] respond(Request request) {
            try {
                return responder.respond(head(request));
            } catch (IllegalArgumentException e) {
                return responder.badRequest(e.getMessage());
            }
        }

        @Override
        public Upgrade upgrade(Request request) {
            HttpHead head;
            try {
                head = head(request);
            } catch (IllegalArgumentException e) {
                return Upgrade.refuse(responder.badRequest(e.getMessage()));
            }
            byte[] refusal = responder.refuseUpgrade(head);
            if (refusal != null) {
                return Upgrade.refuse(refusal);
            }
            return Upgrade.accept(WsPaths.clientId(head.path),
                    new Handshake(head.path, head.query, head.headers, request.remoteAddress()));
        }

        @Override
        public byte[] badRequest(String problem) {
            return responder.badRequest(problem);
        }

        @Override
        public byte[] headTooLarge(int limit) {
            return responder.headTooLarge(limit);
        }

        private static HttpHead head(Request r) {
            return HttpHead.of(r.method(), r.target(), r.version(), r.headers());
        }
    }
}
