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
final class WsClient implements AutoCloseable {
    static final long TIMEOUT_MS = 5_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    /** The close code and reason the server sent, "code reason". */
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri) throws Exception {
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    static WsClient connect(URI uri) throws Exception {
        return new WsClient(uri);
    }

    /** Connects to /ws/{id}, registers and checks the confirmation. */
    static WsClient register(SignalingServer server, String id) throws Exception {
        WsClient c = connect(server.webSocketUri(id));
        c.send("{\"type\":\"register\",\"id\":\"" + id + "\"}");
        assertThat(c.nextJson().get("type").getAsString()).isEqualTo("registered");
        return c;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** The next text frame; fails the test if none arrives in time. */
    String next() throws InterruptedException {
        String m = messages.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(m).as("a frame within %d ms", TIMEOUT_MS).isNotNull();
        return m;
    }

    JsonObject nextJson() throws InterruptedException {
        return JsonParser.parseString(next()).getAsJsonObject();
    }

    /** The next frame if one comes within {@code ms}, else null. */
    String poll(long ms) throws InterruptedException {
        return messages.poll(ms, TimeUnit.MILLISECONDS);
    }

    /** The server's close, "code reason"; fails if it does not come in time. */
    String awaitClose() throws Exception {
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
