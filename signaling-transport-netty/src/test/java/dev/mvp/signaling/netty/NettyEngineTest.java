package dev.mvp.signaling.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.RecordingEngine;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.ServerStartException;
import dev.mvp.signaling.server.SignalingServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty engine under a server, seen through real sockets on loopback: what only this engine does (its
 * handshake checks, its UTF-8 decoder, its threads). The launcher's wire suite covers the rest, on this engine too.
 */
class NettyEngineTest {
    private static final long TIMEOUT_S = 10;
    private static final String PREFIX = "signaling-netty-";

    private final SignalingHub hub = new SignalingHub(HubConfig.defaults());
    private final List<AutoCloseable> open = new ArrayList<>();
    private SignalingServer server;

    /** A server on this engine (recorded, so tests can reach its connections) around the test's hub. */
    static SignalingServer start(SignalingHub hub, int port) {
        return new SignalingServer(ServerConfig.builder().host("127.0.0.1").port(port).engine(RecordingEngine.NAME)
                .hub(hub).shutdownTimeout(Duration.ofSeconds(1)).build()).start();
    }

    private SignalingServer start() {
        server = start(hub, 0);
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
        hub.close();
    }

    @Test
    void theAcceptKeyIsTheOneOfRfc6455() {
        // keys that are not 16 bytes of base64 are refused before this, by the HTTP side (HttpParityTest)
        assertThat(dev.mvp.signaling.server.http.HttpService.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
                .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void textIsDecodedStrictlyEvenWhenItHoldsTheReplacementCharacter() {
        java.util.function.Function<byte[], String> decode = b -> NettyConnection.strictUtf8(io.netty.buffer.Unpooled.wrappedBuffer(b));
        assertThat(decode.apply("{\"sdp\":\"v=0\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"sdp\":\"v=0\"}");
        assertThat(decode.apply("é € \uD83D\uDE00 \uFFFD".getBytes(StandardCharsets.UTF_8))).isEqualTo("é € \uD83D\uDE00 \uFFFD");
        assertThat(decode.apply(new byte[] {'a', (byte) 0xC3})).isNull();               // truncated sequence
        assertThat(decode.apply(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isNull(); // a lone surrogate
        assertThat(decode.apply(new byte[] {(byte) 0xC0, (byte) 0xAF})).isNull();      // overlong '/'
    }

    @Test
    void aWebSocketReachesTheHubAndPlainHttpTheServersHttpSide() throws Exception {
        int port = start().port();
        Client alice = Client.connect(port, "alice", open);
        alice.ws.sendText("{\"type\":\"register\",\"id\":\"alice\"}", true).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(alice.next()).isEqualTo("{\"type\":\"registered\",\"id\":\"alice\"}");
        assertThat(server.webSocketCount()).isEqualTo(1);

        assertThat(exchange(port, "GET /anything?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 404")
                .contains("no resource at /anything");
        assertThat(exchange(port, "GET /" + "x".repeat(NettyEngine.MAX_HEAD) + " HTTP/1.1\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
        assertThat(exchange(port, "GET /ws/bob HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n")).startsWith("HTTP/1.1 400").contains("Sec-WebSocket-Key");
    }

    @Test
    void framesSentFromManyThreadsArriveWholeAndTheCloseFrameComesLast() throws Exception {
        int port = start().port();
        Client bob = Client.connect(port, "bob", open);
        bob.ws.sendText("{\"type\":\"register\",\"id\":\"bob\"}", true).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(bob.next()).contains("registered");
        Connection c = RecordingEngine.open().get(0);
        int threads = 4;
        int each = 200;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    c.send("{\"t\":" + id + ",\"i\":" + i + ",\"pad\":\"" + "p".repeat(i * 7 % 3000) + "\"}");
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread s : senders) {
            s.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        }
        c.close(4321, "done");
        c.send("{\"after\":\"close\"}"); // dropped: nothing may follow the close frame
        int[] nextPerThread = new int[threads];
        for (int n = 0; n < threads * each; n++) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(bob.next()).getAsJsonObject();
            int t = o.get("t").getAsInt();
            assertThat(o.get("i").getAsInt()).isEqualTo(nextPerThread[t]++);
        }
        assertThat(bob.closed.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("4321 done");
        assertThat(bob.texts).isEmpty();
    }

    @Test
    void aBusyPortFailsTheStartAndNoThreadOutlivesClose() throws Exception {
        int port = start().port();
        assertThatThrownBy(() -> start(hub, port)).isInstanceOf(ServerStartException.class)
                .hasCauseInstanceOf(BindException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + port);
        Client.connect(port, "carol", open);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)).anyMatch(n -> n.startsWith(PREFIX));
        server.close();
        // a thread told to stop may still be finishing its last task: wait for it, with a timeout
        dev.mvp.signaling.server.Await.until("no engine thread left", () -> Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).noneMatch(n -> n.startsWith(PREFIX)));
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // the server closes after answering
        }
    }

    /** A JDK WebSocket client that queues what it receives. */
    static final class Client implements WebSocket.Listener, AutoCloseable {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static Client connect(int port, String id, List<AutoCloseable> open) throws Exception {
            Client c = new Client();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/" + id), c).get(TIMEOUT_S, TimeUnit.SECONDS);
            open.add(c);
            return c;
        }

        String next() throws InterruptedException {
            String t = texts.poll(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(t).as("a text frame within %d s", TIMEOUT_S).isNotNull();
            return t;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}
