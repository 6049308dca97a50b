package dev.mvp.signaling.bench.jmh;

import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.Session;
import dev.mvp.signaling.core.SignalingHub;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The hub's whole per-message path on a no-op transport: one client frame in, parsed once, validated,
 * routed to the registered recipient, handed to its connection. Run with
 * {@code java -cp signaling-bench-<version>-all.jar org.openjdk.jmh.Main HubPathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class HubPathBenchmark {
    static final String CANDIDATE = "{\"type\":\"candidate\",\"from\":\"alice\",\"to\":\"bob\",\"candidate\":{\"candidate\":"
            + "\"candidate:3110102923 1 udp 2122260223 127.0.0.1 36322 typ host generation 0 ufrag LJ/+ network-id 1 "
            + "network-cost 50\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"LJ/+\"}}";
    static final String CANDIDATE_NO_FROM = CANDIDATE.replace("\"from\":\"alice\",", "");

    /** A transport that drops what it is given into a blackhole. */
    static final class NoOpConnection implements Connection {
        Blackhole sink;

        @Override
        public Handshake handshake() {
            return new Handshake("/ws/x", "", Map.of(), null);
        }

        @Override
        public void send(String text) {
            sink.consume(text);
        }

        @Override
        public void close(int code, String reason) {
            // never closed during the benchmark
        }

        @Override
        public long bufferedBytes() {
            return 0;
        }
    }

    private SignalingHub hub;
    private Session alice;
    private final NoOpConnection aliceConn = new NoOpConnection();
    private final NoOpConnection bobConn = new NoOpConnection();
    private String offer;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        aliceConn.sink = bh;
        bobConn.sink = bh;
        hub = new SignalingHub(HubConfig.builder().rateLimit(RateLimit.UNLIMITED).build());
        alice = hub.open(aliceConn, "alice");
        Session bob = hub.open(bobConn, "bob");
        alice.onText("{\"type\":\"register\",\"id\":\"alice\"}");
        bob.onText("{\"type\":\"register\",\"id\":\"bob\"}");
        StringBuilder sdp = new StringBuilder("v=0\\r\\no=- 1257395794361390534 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n");
        while (sdp.length() < 2500) {
            sdp.append("a=ssrc:1001 msid:- 5b1e9c44-7f0d-4a8e-9a51-0d5a2f0c6b71\\r\\n");
        }
        offer = "{\"type\":\"offer\",\"from\":\"alice\",\"to\":\"bob\",\"sdp\":\"" + sdp + "\"}";
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    /** A candidate as browsers send it, with {@code from}: relayed as it is. */
    @Benchmark
    public void candidate() {
        alice.onText(CANDIDATE);
    }

    /** A candidate without {@code from}: the hub stamps it, one copy of the frame. */
    @Benchmark
    public void candidateStamped() {
        alice.onText(CANDIDATE_NO_FROM);
    }

    /** A 2.5 KB SDP offer. */
    @Benchmark
    public void offer() {
        alice.onText(offer);
    }
}
