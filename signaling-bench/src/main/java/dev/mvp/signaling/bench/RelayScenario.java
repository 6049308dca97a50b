package dev.mvp.signaling.bench;

import dev.mvp.signaling.bench.client.ClientConn;
import dev.mvp.signaling.bench.client.ClientHandler;
import dev.mvp.signaling.bench.client.ClientLoop;
import dev.mvp.signaling.bench.client.WsFrames;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * P pairs ping-pong: the caller of each pair keeps W messages in flight, alternating an SDP offer
 * (answered by an SDP answer) and a candidate (answered by a candidate); each answer completes one round
 * trip and sends the next message. After a warm-up, relayed messages per second (both directions) and
 * round-trip percentiles are taken over the measured window, with the server's CPU time per message.
 */
final class RelayScenario {
    private final int pairs;
    private final int window;

    private final ByteBuffer[] offers;
    private final ByteBuffer[] callerCandidates;
    private final ByteBuffer[] answers;
    private final ByteBuffer[] calleeCandidates;
    private final Recorder rtt = new Recorder(1, 60_000_000L, 3);
    private final LongAdder relayed = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private volatile boolean recording;
    private volatile boolean running = true;

    RelayScenario(int pairs, int window) {
        this.pairs = pairs;
        this.window = window;
        offers = new ByteBuffer[pairs];
        callerCandidates = new ByteBuffer[pairs];
        answers = new ByteBuffer[pairs];
        calleeCandidates = new ByteBuffer[pairs];
        for (int i = 0; i < pairs; i++) {
            String a = "a" + i;
            String b = "b" + i;
            offers[i] = WsFrames.text(Messages.description("offer", a, b));
            callerCandidates[i] = WsFrames.text(Messages.candidate(a, b));
            answers[i] = WsFrames.text(Messages.description("answer", b, a));
            calleeCandidates[i] = WsFrames.text(Messages.candidate(b, a));
        }
    }

    private static final class Side extends Registrar.Peer {
        final int pair;
        final boolean caller;
        /** Caller only: send times of the messages in flight, oldest first. */
        final ArrayDeque<Long> inFlight = new ArrayDeque<>();
        long sent;

        Side(String id, int pair, boolean caller) {
            super(id);
            this.pair = pair;
            this.caller = caller;
        }
    }

    private final ClientHandler handler = new ClientHandler() {
        @Override
        public void onText(ClientConn c, ByteBuffer payload) {
            Side s = (Side) c.attachment;
            int length = payload.remaining();
            if (length > 9 && payload.get(payload.position() + 9) == 'e' && ClientConn.text(payload).startsWith("{\"type\":\"error\"")) {
                unexpected.increment();
                return;
            }
            if (recording) {
                relayed.increment();
            }
            if (!s.caller) {
                c.send(length > 1000 ? answers[s.pair] : calleeCandidates[s.pair]);
                return;
            }
            Long sentAt = s.inFlight.poll();
            if (sentAt == null) {
                unexpected.increment();
                return;
            }
            if (recording) {
                rtt.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
            }
            if (running) {
                sendNext(c, s);
            }
        }
    };

    private void sendNext(ClientConn c, Side s) {
        s.inFlight.add(System.nanoTime());
        c.send((s.sent++ & 1) == 0 ? offers[s.pair] : callerCandidates[s.pair]);
    }

    /** Registers the pairs (to be called after any idle clients are in). */
    List<Side> connect(List<ClientLoop> loops, ServerProcess server) throws InterruptedException {
        return connect(loops, server, server);
    }

    /** Registers the pairs: each caller on {@code callers}, each callee on {@code callees}. */
    List<Side> connect(List<ClientLoop> loops, ServerProcess callers, ServerProcess callees) throws InterruptedException {
        List<Side> sides = new ArrayList<>();
        List<Side> callerSides = new ArrayList<>();
        List<Side> calleeSides = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Side a = new Side("a" + i, i, true);
            Side b = new Side("b" + i, i, false);
            sides.add(a);
            sides.add(b);
            callerSides.add(a);
            calleeSides.add(b);
        }
        Registrar.connectAll(calleeSides, loops, callees.address(), s -> handler, 60_000);
        Registrar.connectAll(callerSides, loops, callers.address(), s -> handler, 60_000);
        return sides;
    }

    /** Runs the load on registered pairs; returns the window's figures into {@code out}, names prefixed. */
    void measure(List<?> sides, ServerProcess server, double warmupS, double durationS, JsonLine out, String prefix)
            throws InterruptedException {
        measure(sides, server::cpuMicros, null, warmupS, durationS, out, prefix);
    }

    /**
     * Runs the load on registered pairs, the servers' CPU time read from {@code cpuMicros}; with a
     * {@code redisCommands} counter, also the Redis commands per relayed message over the window.
     */
    void measure(List<?> sides, LongSupplier cpuMicros, LongSupplier redisCommands, double warmupS, double durationS,
                 JsonLine out, String prefix) throws InterruptedException {
        for (Object o : sides) {
            Side s = (Side) o;
            if (s.caller) {
                s.conn.loop().execute(() -> {
                    for (int w = 0; w < window; w++) {
                        sendNext(s.conn, s);
                    }
                });
            }
        }
        Thread.sleep((long) (warmupS * 1000));
        rtt.reset();
        relayed.reset();
        long commands0 = redisCommands == null ? 0 : redisCommands.getAsLong();
        long cpu0 = cpuMicros.getAsLong();
        long t0 = System.nanoTime();
        recording = true;
        Thread.sleep((long) (durationS * 1000));
        recording = false;
        long t1 = System.nanoTime();
        long cpu1 = cpuMicros.getAsLong();
        long commands1 = redisCommands == null ? 0 : redisCommands.getAsLong();
        running = false;
        Histogram h = rtt.getIntervalHistogram();
        long n = relayed.sum();
        double seconds = (t1 - t0) / 1e9;
        out.put(prefix + "msgs_per_s", n / seconds);
        out.put(prefix + "rtt_p50_us", Stats.percentile(h, 50));
        out.put(prefix + "rtt_p99_us", Stats.percentile(h, 99));
        out.put(prefix + "rtt_p999_us", Stats.percentile(h, 99.9));
        out.put(prefix + "server_cpu_us_per_msg", n == 0 ? Double.NaN : (double) (cpu1 - cpu0) / n);
        out.put(prefix + "errors", (double) unexpected.sum());
        if (redisCommands != null) {
            out.put(prefix + "redis_commands_per_msg", n == 0 ? Double.NaN : (double) (commands1 - commands0) / n);
        }
        // let the last round trips drain before the next phase reuses the server
        Thread.sleep(300);
        running = true;
    }
}
