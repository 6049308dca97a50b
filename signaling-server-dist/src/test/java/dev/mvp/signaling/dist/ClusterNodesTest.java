package dev.mvp.signaling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@code java -jar} nodes sharing a Redis the test starts: Alice on node 1 and Bob on node 2 signal as
 * on one node; a killed node's peers are reported gone to their contacts, a drained node's entries go at
 * once. No process outlives its test.
 */
class ClusterNodesTest {
    private static final Path JAR = Path.of(System.getProperty("runnable.jar",
            "../signaling-server-launcher/target/signaling-server-launcher-0.1.0-SNAPSHOT-all.jar"));
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) ");
    private static final long WAIT_SECONDS = 30;

    private RedisProcess redis;
    private final List<Process> nodes = new ArrayList<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        for (Process p : nodes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aliceOnOneNodeAndBobOnAnotherExchangeOfferAnswerCandidatesAndBye() throws Exception {
        int node1 = startNode("node-1", "4s");
        int node2 = startNode("node-2", "4s");
        Client alice = connect(node1, "alice");
        Client bob = connect(node2, "bob");

        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 offer\"}");
        JsonObject offer = bob.next(f -> type(f).equals("offer"));
        assertThat(offer.get("from").getAsString()).isEqualTo("alice");
        assertThat(offer.get("sdp").getAsString()).isEqualTo("v=0 offer");

        bob.send("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0 answer\"}");
        JsonObject answer = alice.next(f -> type(f).equals("answer"));
        assertThat(answer.get("from").getAsString()).isEqualTo("bob");
        assertThat(answer.get("sdp").getAsString()).isEqualTo("v=0 answer");

        for (int i = 0; i < 3; i++) {
            alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"candidate:" + i
                    + " 1 udp 1 198.51.100.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        }
        for (int i = 0; i < 3; i++) { // in the order sent
            JsonObject c = bob.next(f -> type(f).equals("candidate"));
            assertThat(c.get("from").getAsString()).isEqualTo("alice");
            assertThat(c.getAsJsonObject("candidate").get("candidate").getAsString()).startsWith("candidate:" + i + " ");
        }

        alice.send("{\"type\":\"bye\",\"to\":\"bob\"}");
        assertThat(bob.next(f -> type(f).equals("bye")).get("from").getAsString()).isEqualTo("alice");
        assertThat(alice.errors()).isEmpty();
        assertThat(bob.errors()).isEmpty();
    }

    @Test
    void theContactsOfAKilledNodesPeerAreToldByeDisconnected() throws Exception {
        int node1 = startNode("node-1", "2s");
        int node2 = startNode("node-2", "2s");
        Client alice = connect(node1, "alice");
        Client bob = connect(node2, "bob");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 offer\"}");
        bob.next(f -> type(f).equals("offer"));

        Process second = nodes.get(1);
        second.destroyForcibly(); // SIGKILL: no drain, no bye from the node itself
        assertThat(second.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        JsonObject bye = alice.next(f -> type(f).equals("bye"));
        assertThat(bye.get("from").getAsString()).isEqualTo("bob");
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
        awaitRedis("EXISTS signaling:peer:bob", "0"); // expired with the lease, not removed by node 1
    }

    @Test
    void aDrainedNodeTellsItsClientsServerShutdownAndItsEntriesGoAtOnce() throws Exception {
        // A lease far longer than the test: an entry gone after the exit was deleted by the drain.
        int node1 = startNode("node-1", "120s");
        int node2 = startNode("node-2", "120s");
        Client alice = connect(node1, "alice");
        Client bob = connect(node2, "bob");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 offer\"}");
        bob.next(f -> type(f).equals("offer"));
        assertThat(redis.command("EXISTS signaling:peer:bob")).isEqualTo("1");

        Process second = nodes.get(1);
        second.destroy(); // SIGTERM
        assertThat(bob.next(f -> type(f).equals("server-shutdown")).get("reconnect").getAsBoolean()).isTrue();
        assertThat(second.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(redis.command("EXISTS signaling:peer:bob")).isEqualTo("0");
        assertThat(redis.command("KEYS signaling:node:node-2*")).isEqualTo("0"); // an empty array: *0

        JsonObject bye = alice.next(f -> type(f).equals("bye"));
        assertThat(bye.get("from").getAsString()).isEqualTo("bob");
        assertThat(bye.get("reason").getAsString()).isEqualTo("disconnected");
    }

    @Test
    void aRedisOutageTakesTheNodeOutOfReadinessButNeverOutOfLivenessAndLocalPeersStillTalk() throws Exception {
        int node = startNode("node-1", "2s");
        assertThat(get(node, "/readyz").statusCode()).isEqualTo(200);
        Client alice = connect(node, "alice");
        Client bob = connect(node, "bob");

        JsonObject cluster = clusterStatus(node);
        assertThat(cluster.get("nodeId").getAsString()).isEqualTo("node-1");
        assertThat(cluster.get("instance").getAsString()).startsWith("node-1-");
        assertThat(cluster.get("status").getAsString()).isEqualTo("connected");
        assertThat(cluster.get("redisConnected").getAsBoolean()).isTrue();

        redis.close(); // the backplane goes away under a running node
        awaitStatus(node, "/readyz", 503);
        HttpResponse<String> ready = get(node, "/readyz");
        assertThat(ready.body()).contains("cut off from Redis");
        assertThat(get(node, "/livez").statusCode()).as("a Redis outage must not get the node restarted").isEqualTo(200);
        cluster = clusterStatus(node);
        assertThat(cluster.get("status").getAsString()).isEqualTo("degraded");
        assertThat(cluster.get("redisConnected").getAsBoolean()).isFalse();
        assertThat(get(node, "/status").statusCode()).isEqualTo(200);

        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 offer\"}");
        assertThat(bob.next(f -> type(f).equals("offer")).get("from").getAsString()).isEqualTo("alice");
    }

    @Test
    void crossNodeMessagesAndTheRedisConnectionShowInTheMetricsOfEachNode() throws Exception {
        int node1 = startNode("node-1", "2s");
        int node2 = startNode("node-2", "2s");
        assertThat(metric(node1, "signaling_cluster_redis_connected")).isEqualTo(1);
        Client alice = connect(node1, "alice");
        Client bob = connect(node2, "bob");
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 offer\"}");
        bob.next(f -> type(f).equals("offer"));
        bob.send("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0 answer\"}");
        alice.next(f -> type(f).equals("answer"));
        alice.send("{\"type\":\"candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"c0\"}}");
        bob.next(f -> type(f).equals("candidate"));

        assertThat(metric(node1, "signaling_cluster_messages_sent_total")).isEqualTo(2);
        assertThat(metric(node1, "signaling_cluster_messages_received_total")).isEqualTo(1);
        assertThat(metric(node2, "signaling_cluster_messages_sent_total")).isEqualTo(1);
        assertThat(metric(node2, "signaling_cluster_messages_received_total")).isEqualTo(2);
        assertThat(metric(node1, "signaling_cluster_messages_bounced_total{code=\"cluster-unavailable\"}")).isEqualTo(0);
        assertThat(metric(node1, "signaling_handshake_seconds_count")).isEqualTo(1);
        JsonObject cluster = clusterStatus(node1);
        assertThat(cluster.get("messagesSent").getAsLong()).isEqualTo(2);
        assertThat(cluster.getAsJsonObject("messagesBounced").get("cluster-unavailable").getAsLong()).isEqualTo(0);

        redis.close();
        awaitStatus(node1, "/readyz", 503);
        alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 again\"}");
        assertThat(alice.next(f -> type(f).equals("error")).get("code").getAsString()).isEqualTo("cluster-unavailable");
        assertThat(metric(node1, "signaling_cluster_messages_bounced_total{code=\"cluster-unavailable\"}")).isEqualTo(1);
        assertThat(metric(node1, "signaling_cluster_redis_connected")).isEqualTo(0);
        assertThat(clusterStatus(node1).getAsJsonObject("messagesBounced").get("cluster-unavailable").getAsLong())
                .isEqualTo(1);
    }

    /** The {@code cluster} object of the node's {@code /status}. */
    private JsonObject clusterStatus(int port) throws Exception {
        HttpResponse<String> status = get(port, "/status");
        assertThat(status.statusCode()).isEqualTo(200);
        JsonObject body = JsonParser.parseString(status.body()).getAsJsonObject();
        assertThat(body.get("status").getAsString()).isEqualTo("ok");
        assertThat(body.has("cluster")).as(status.body()).isTrue();
        return body.getAsJsonObject("cluster");
    }

    /** The value of one series of the node's {@code /metrics}, e.g. {@code name{code="x"}}; fails if absent. */
    private double metric(int port, String series) throws Exception {
        HttpResponse<String> metrics = get(port, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics.body());
        assertThat(m.find()).as("series %s in%n%s", series, metrics.body()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until it answers {@code status}, within the test's wait. */
    private void awaitStatus(int port, String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = get(port, path).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(100); // a poll interval, not a synchronisation: the loop waits for the state itself
        }
        throw new AssertionError(path + " answered " + last + ", not " + status + ", within " + WAIT_SECONDS + " s");
    }

    @Test
    void aNodeWhoseRedisIsUnreachableDoesNotStartAndNeverPrintsThePassword() throws Exception {
        String port = redis.uri().substring(redis.uri().lastIndexOf(':') + 1);
        redis.close(); // nothing listens there any more
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--host", "127.0.0.1", "--port", "0");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME") && !name.equals("LANG"));
        pb.environment().put("REDIS_URL", "redis://:secret-password@127.0.0.1:" + port);
        Process p = pb.start();
        nodes.add(p);
        assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("error: cannot join the cluster").doesNotContain("secret-password")
                .doesNotContain("listening on");
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** Starts a node on a free port and returns the port once it listens. */
    private int startNode(String nodeId, String lease) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--host", "127.0.0.1", "--port", "0", "--cluster-lease", lease);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME") && !name.equals("LANG"));
        pb.environment().put("REDIS_URL", redis.uri());
        pb.environment().put("NODE_ID", nodeId);
        Process p = pb.start();
        nodes.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process is gone
            }
        }, "test-node-output");
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!p.isAlive() && lines.isEmpty()) {
                    break;
                }
                continue;
            }
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                assertThat(seen).anyMatch(l -> l.contains("joined the cluster") && l.contains(nodeId));
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("node " + nodeId + " did not start listening: " + seen);
    }

    private void awaitRedis(String command, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String reply = redis.command(command);
        while (!expected.equals(reply) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50); // polling Redis, bounded by the deadline
            reply = redis.command(command);
        }
        assertThat(reply).as(command).isEqualTo(expected);
    }

    private static String type(JsonObject frame) {
        return frame.has("type") ? frame.get("type").getAsString() : "";
    }

    private Client connect(int port, String id) throws Exception {
        Client client = new Client();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/" + id), client)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        sockets.add(ws);
        client.ws = ws;
        client.send("{\"type\":\"register\",\"id\":\"" + id + "\"}");
        assertThat(client.next(f -> type(f).equals("registered")).get("id").getAsString()).isEqualTo(id);
        return client;
    }

    /** A WebSocket client that keeps every frame it receives, in order. */
    private static final class Client implements WebSocket.Listener {
        private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        private final List<JsonObject> skipped = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket ws;

        void send(String text) throws Exception {
            ws.sendText(text, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        /** The next frame that matches, waiting up to the test's bound; frames skipped are kept. */
        JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                JsonObject f = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new AssertionError("no such frame within " + WAIT_SECONDS + " s; other frames: " + skipped);
                }
                if (wanted.test(f)) {
                    return f;
                }
                skipped.add(f);
            }
        }

        /** The error frames received so far. */
        List<JsonObject> errors() {
            List<JsonObject> all = new ArrayList<>(skipped);
            all.addAll(frames);
            return all.stream().filter(f -> type(f).equals("error")).toList();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(JsonParser.parseString(partial.toString()).getAsJsonObject());
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
