package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that collects what the server sends, for tests. */
public final class WsClient implements AutoCloseable {
    public static final long TIMEOUT_MS = 5_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    /** The close code and reason the server sent, "code reason". */
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(HttpClient http, URI uri, String origin) throws Exception {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            b.header("Origin", origin);
        }
        socket = b.buildAsync(uri, new Listener()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    public static WsClient connect(URI uri) throws Exception {
        return new WsClient(HTTP, uri, null);
    }

    /** Connects with a client of the test's choosing (e.g. one that trusts a test certificate). */
    public static WsClient connect(HttpClient http, URI uri) throws Exception {
        return new WsClient(http, uri, null);
    }

    /** Connects sending this {@code Origin}, as a browser page would. */
    public static WsClient connectFrom(String origin, URI uri) throws Exception {
        return new WsClient(HTTP, uri, origin);
    }

    /** The number of frames received and not yet taken. */
    public int pending() {
        return messages.size();
    }

    /** Drops the TCP connection without a close frame, as a crashed client or a lost network would. */
    public void abort() {
        socket.abort();
    }

    /** Closes politely with 1000 and waits for the send to go out. */
    public void closeNormally() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Connects to /ws/{id}, registers and checks the confirmation. */
    public static WsClient register(SignalingServer server, String id) throws Exception {
        WsClient c = connect(server.webSocketUri(id));
        c.send("{\"type\":\"register\",\"id\":\"" + id + "\"}");
        assertThat(c.nextJson().get("type").getAsString()).isEqualTo("registered");
        return c;
    }

    public void send(String text) throws Exception {
        socket.sendText(text, true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    public void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** The next text frame; fails the test if none arrives in time. */
    public String next() throws InterruptedException {
        String m = messages.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(m).as("a frame within %d ms", TIMEOUT_MS).isNotNull();
        return m;
    }

    public JsonObject nextJson() throws InterruptedException {
        return JsonParser.parseString(next()).getAsJsonObject();
    }

    /** The next frame if one comes within {@code ms}, else null. */
    public String poll(long ms) throws InterruptedException {
        return messages.poll(ms, TimeUnit.MILLISECONDS);
    }

    /** The server's close, "code reason"; fails if it does not come in time. */
    public String awaitClose() throws Exception {
        return closed.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
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
    }
}
