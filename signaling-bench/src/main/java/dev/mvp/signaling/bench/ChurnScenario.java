package dev.mvp.signaling.bench;

import dev.mvp.signaling.bench.client.ClientConn;
import dev.mvp.signaling.bench.client.ClientHandler;
import dev.mvp.signaling.bench.client.ClientLoop;
import dev.mvp.signaling.bench.client.WsFrames;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * C workers, each looping one whole WebRTC handshake: connect two clients, register both, offer,
 * answer, a candidate each way, bye, close both. A handshake's time runs from the first connect to the
 * second close.
 */
final class ChurnScenario {
    private final int workers;
    private final Recorder times = new Recorder(1, 60_000_000L, 3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** Rounds begun and not yet ended (both clients closed). */
    private final java.util.Set<Round> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean recording;
    private volatile boolean running = true;
    private InetSocketAddress server;

    ChurnScenario(int workers) {
        this.workers = workers;
    }

    /** One handshake in progress: both ends share it. */
    private final class Round {
        final int worker;
        final long serial;
        final String a;
        final String b;
        final long startNanos = System.nanoTime();
        ClientConn ca;
        ClientConn cb;
        int registered;
        int closed;
        boolean broken;

        Round(int worker, long serial) {
            this.worker = worker;
            this.serial = serial;
            this.a = "w" + worker + "n" + serial + "a";
            this.b = "w" + worker + "n" + serial + "b";
        }
    }

    private record End(Round round, boolean caller) {}

    private final ClientHandler handler = new ClientHandler() {
        @Override
        public void onOpen(ClientConn c) {
            End e = (End) c.attachment;
            c.send(WsFrames.text(Messages.register(e.caller ? e.round.a : e.round.b)));
        }

        @Override
        public void onText(ClientConn c, ByteBuffer payload) {
            End e = (End) c.attachment;
            Round r = e.round;
            String text = ClientConn.text(payload);
            String type = typeOf(text);
            switch (type) {
                case "registered" -> {
                    if (++r.registered == 2) {
                        r.ca.send(WsFrames.text(Messages.description("offer", r.a, r.b)));
                    }
                }
                case "offer" -> r.cb.send(WsFrames.text(Messages.description("answer", r.b, r.a)));
                case "answer" -> r.ca.send(WsFrames.text(Messages.candidate(r.a, r.b)));
                case "candidate" -> {
                    if (e.caller) {
                        r.ca.send(WsFrames.text(Messages.bye(r.a, r.b)));
                    } else {
                        r.cb.send(WsFrames.text(Messages.candidate(r.b, r.a)));
                    }
                }
                case "bye" -> {
                    r.ca.close();
                    r.cb.close();
                }
                default -> {
                    r.broken = true;
                    r.ca.abort();
                    r.cb.abort();
                }
            }
        }

        @Override
        public void onClose(ClientConn c, int code) {
            End e = (End) c.attachment;
            Round r = e.round;
            if (++r.closed < 2) {
                return;
            }
            live.remove(r);
            if (r.broken || code != 1000) {
                failed.increment();
            } else if (recording) {
                completed.increment();
                times.recordValue(Math.max(1, (System.nanoTime() - r.startNanos) / 1000));
            }
            if (running) {
                begin(c.loop(), r.worker, r.serial + 1);
            }
        }
    };

    /** The value of the leading {@code "type"} of a frame; the stamped {@code from} may come first. */
    static String typeOf(String frame) {
        int at = frame.indexOf("\"type\":\"");
        if (at < 0) {
            return "";
        }
        int start = at + 8;
        int end = frame.indexOf('"', start);
        return end < 0 ? "" : frame.substring(start, end);
    }

    private void begin(ClientLoop loop, int worker, long serial) {
        Round r = new Round(worker, serial);
        live.add(r);
        r.ca = loop.connect(server, "/ws/" + r.a, handler, new End(r, true));
        r.cb = loop.connect(server, "/ws/" + r.b, handler, new End(r, false));
    }

    /**
     * Churns for {@code seconds}, then lets the rounds under way end: a server's connect, register and
     * close paths are compiled afterwards, as in a server that has been up a while. Measures nothing.
     * Rounds not ended 10 s after the end are dropped (both clients aborted).
     *
     * @return how many rounds had to be dropped
     * @throws IllegalStateException if dropped rounds are still under way 10 s later
     */
    int warmUp(List<ClientLoop> loops, ServerProcess process, double seconds) throws InterruptedException {
        start(loops, process);
        Thread.sleep((long) (seconds * 1000));
        running = false;
        if (awaitEnded(10)) {
            return 0;
        }
        List<Round> stuck = List.copyOf(live);
        for (Round r : stuck) {
            r.ca.loop().execute(() -> { // both ends of a round share their worker's loop
                r.ca.abort();
                r.cb.abort();
            });
        }
        if (!awaitEnded(10)) {
            throw new IllegalStateException(live.size() + " warm-up handshakes did not end, even aborted");
        }
        return stuck.size();
    }

    private boolean awaitEnded(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!live.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private void start(List<ClientLoop> loops, ServerProcess process) {
        server = process.address();
        for (int w = 0; w < workers; w++) {
            ClientLoop loop = loops.get(w % loops.size());
            int worker = w;
            loop.execute(() -> begin(loop, worker, 0));
        }
    }

    void measure(List<ClientLoop> loops, ServerProcess process, double warmupS, double durationS, JsonLine out)
            throws InterruptedException {
        start(loops, process);
        Thread.sleep((long) (warmupS * 1000));
        times.reset();
        completed.reset();
        long failedBefore = failed.sum();
        long cpu0 = process.cpuMicros();
        long t0 = System.nanoTime();
        recording = true;
        Thread.sleep((long) (durationS * 1000));
        recording = false;
        long t1 = System.nanoTime();
        long cpu1 = process.cpuMicros();
        running = false;
        Histogram h = times.getIntervalHistogram();
        long n = completed.sum();
        out.put("handshakes_per_s", n / ((t1 - t0) / 1e9));
        out.put("handshake_p50_ms", Stats.percentile(h, 50) / 1000);
        out.put("handshake_p99_ms", Stats.percentile(h, 99) / 1000);
        out.put("server_cpu_us_per_handshake", n == 0 ? Double.NaN : (double) (cpu1 - cpu0) / n);
        out.put("errors", (double) (failed.sum() - failedBefore));
    }
}
