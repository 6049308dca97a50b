package dev.mvp.signaling.bench;

import dev.mvp.signaling.bench.client.ClientLoop;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load tool: {@code java -jar signaling-bench-<version>-all.jar [scenario ...] [options]}.
 *
 * <p>For each scenario and each of {@code --runs} repetitions it starts each server of {@code --servers}
 * (our server on Java-WebSocket and on Netty, and a bare relay on each library: see {@link Servers}), each in a
 * fresh process of its own and interleaved (jws, baseline, netty, netty-baseline, jws, ...), drives it from this
 * process over loopback WebSockets, and prints one JSON line per run; after the runs, one summary line with the
 * medians and each of our servers' ratio to the bare relay on its library. Everything is bounded: each phase has a
 * deadline, and every child process is ended before the tool exits.
 */
public final class BenchMain {
    static final List<String> SCENARIOS = List.of("relay", "latency", "idle-relay", "connections", "churn",
            "cluster-relay");
    /** The two set-ups of {@code cluster-relay}, run interleaved in the same sitting. */
    static final List<String> CLUSTER_SETUPS = List.of("one-node", "two-nodes");
    /** Not part of {@code all}: a robustness run, not a performance figure (see docs/SECURITY.md). */
    static final String SOAK = "memory-soak";

    static final String USAGE = "usage: java -jar signaling-bench-all.jar [all|" + String.join("|", SCENARIOS)
            + " ...] [--runs N] [--warmup S] [--duration S] [--client-threads N] [--pairs P] [--window W]"
            + " [--latency-pairs P] [--idle N] [--connections N,N,...] [--connect-warmup S] [--churn-workers C]"
            + " [--servers jws,baseline,netty,netty-baseline] [--server-jvm \"OPTS\"] [--hostile N] [--soak-heap SIZE] [--help]"
            + "\n       java -jar signaling-bench-all.jar memory-soak [--servers netty,jws] [--duration S] [--hostile N] [--soak-kinds pings,...|none] [--soak-rounds N]";

    private BenchMain() {}

    static final class Options {
        List<String> scenarios = new ArrayList<>();
        int runs = 3;
        double warmupS = 3;
        /** Seconds of churn before {@code connections} measures: 0, a fresh server, unless asked. */
        double connectWarmupS = 0;
        double durationS = 8;
        int clientThreads = 1;
        int pairs = 100;
        int window = 4;
        int latencyPairs = 10;
        int idle = 5000;
        List<Integer> connections = List.of(1000, 5000, 10000);
        int churnWorkers = 4;
        List<String> kinds = Servers.DEFAULT;
        List<String> serverJvm = List.of("-Xms64m", "-Xmx1g", "-XX:+UseSerialGC");
        int hostile = 20;
        String soakHeap = "256m";
        List<String> soakKinds = SoakHostile.KINDS;
        int soakRounds = 1;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            while (!rest.isEmpty()) {
                String a = rest.remove(0);
                if (a.equals("-h") || a.equals("--help")) {
                    o.help = true;
                    return o;
                }
                if (!a.startsWith("--")) {
                    if (a.equals("all")) {
                        o.scenarios.addAll(SCENARIOS);
                    } else if (SCENARIOS.contains(a) || a.equals(SOAK)) {
                        o.scenarios.add(a);
                    } else {
                        throw new IllegalArgumentException("unknown scenario '" + a + "'; use " + SCENARIOS + " or all");
                    }
                    continue;
                }
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = rest.remove(0);
                switch (a) {
                    case "--runs" -> o.runs = positive(a, v);
                    case "--warmup" -> o.warmupS = Double.parseDouble(v);
                    case "--duration" -> o.durationS = Double.parseDouble(v);
                    case "--client-threads" -> o.clientThreads = positive(a, v);
                    case "--pairs" -> o.pairs = positive(a, v);
                    case "--window" -> o.window = positive(a, v);
                    case "--latency-pairs" -> o.latencyPairs = positive(a, v);
                    case "--idle" -> o.idle = positive(a, v);
                    case "--connections" -> o.connections = Arrays.stream(v.split(",")).map(s -> positive(a, s)).toList();
                    case "--connect-warmup" -> o.connectWarmupS = Double.parseDouble(v);
                    case "--churn-workers" -> o.churnWorkers = positive(a, v);
                    case "--servers" -> o.kinds = servers(v);
                    case "--server-jvm" -> o.serverJvm = List.of(v.trim().split("\\s+"));
                    case "--hostile" -> o.hostile = positive(a, v);
                    case "--soak-heap" -> o.soakHeap = v.trim();
                    case "--soak-kinds" -> o.soakKinds = soakKinds(v);
                    case "--soak-rounds" -> o.soakRounds = positive(a, v);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (o.durationS <= 0 || o.durationS > 60 || o.warmupS < 0 || o.warmupS > 30) {
                throw new IllegalArgumentException("--duration must be in (0, 60] s and --warmup in [0, 30] s");
            }
            if (!(o.connectWarmupS >= 0 && o.connectWarmupS <= 60)) {
                throw new IllegalArgumentException("--connect-warmup must be in [0, 60] s");
            }
            if (o.scenarios.isEmpty()) {
                o.scenarios.addAll(SCENARIOS);
            }
            return o;
        }

        private static List<String> servers(String v) {
            return oneOf("server", "--servers", "", Servers.KINDS, v);
        }

        /** The hostile kinds the soak runs ({@code none}: only the pairs, a baseline for their figures). */
        private static List<String> soakKinds(String v) {
            return v.equals("none") ? List.of() : oneOf("kind", "--soak-kinds", "none or ", SoakHostile.KINDS, v);
        }

        /** A comma-separated list whose every item is one of {@code known}. */
        private static List<String> oneOf(String what, String option, String also, List<String> known, String v) {
            List<String> items = List.of(v.split(","));
            for (String item : items) {
                if (!known.contains(item)) {
                    throw new IllegalArgumentException("unknown " + what + " '" + item + "' in " + option + "; use "
                            + also + String.join(", ", known));
                }
            }
            return items;
        }

        private static int positive(String name, String v) {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + n);
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.println(USAGE);
            System.out.println("Servers: jws (ours on Java-WebSocket), netty (ours on Netty), baseline (a bare"
                    + " Java-WebSocket relay), netty-baseline (a bare Netty relay). One JSON line per run on stdout, a table on stderr; see docs/BENCHMARKS.md.");
            System.exit(0);
            return;
        }
        PrintStream out = System.out;
        List<JsonLine> summaries = new ArrayList<>();
        for (String scenario : o.scenarios) {
            if (scenario.equals("connections")) {
                for (int n : o.connections) {
                    summaries.add(runScenario(o, scenario, n, out));
                }
            } else {
                summaries.add(runScenario(o, scenario, 0, out));
            }
        }
        System.err.println();
        System.err.println(Table.render(summaries));
        System.exit(0);
    }

    /** Runs one scenario {@code runs} times per server kind, interleaved; prints each line and the summary. */
    static JsonLine runScenario(Options o, String scenario, int size, PrintStream out) throws Exception {
        Map<String, List<JsonLine>> byKind = new LinkedHashMap<>();
        List<String> kinds = scenario.equals("cluster-relay") ? CLUSTER_SETUPS : o.kinds;
        for (int run = 1; run <= o.runs; run++) {
            for (String kind : kinds) {
                JsonLine line = runOnce(o, scenario, size, kind, run);
                out.println(line);
                out.flush();
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(line);
            }
        }
        JsonLine summary = Summary.of(scenario, byKind);
        if (scenario.equals("cluster-relay")) {
            summary.put("two_vs_one_msgs_per_s", Stats.ratio(Summary.median(byKind.get("two-nodes"), "msgs_per_s"),
                    Summary.median(byKind.get("one-node"), "msgs_per_s")));
        }
        out.println(summary);
        out.flush();
        return summary;
    }

    static JsonLine runOnce(Options o, String scenario, int size, String kind, int run) throws Exception {
        JsonLine line = new JsonLine()
                .put("scenario", scenario)
                .put("server", kind)
                .put("run", run)
                .put("load1_before", load1());
        List<ClientLoop> loops = new ArrayList<>();
        for (int i = 0; i < o.clientThreads; i++) {
            loops.add(new ClientLoop("bench-client-" + i));
        }
        if (scenario.equals("cluster-relay")) {
            try {
                clusterRelay(o, kind, loops, line);
            } catch (IllegalStateException e) {
                line.put("failure", e.getMessage());
            } finally {
                for (ClientLoop l : loops) {
                    l.close();
                }
            }
            line.put("load1_after", load1());
            return line;
        }
        boolean soak = scenario.equals(SOAK);
        List<String> jvm = o.serverJvm;
        if (soak) { // a small heap, the server's own default limits
            jvm = new ArrayList<>(o.serverJvm);
            jvm.add("-Xmx" + o.soakHeap);
            jvm.add("-Xms" + o.soakHeap);
            // A full GC may leave up to 5% of the old generation uncompacted, its dead objects kept as int[]
            // fillers that a class histogram counts as live: 6-8 MiB at 256 MiB, read as retained memory.
            jvm.add("-XX:MarkSweepDeadRatio=0");
        }
        try (ServerProcess server = ServerProcess.start(soak ? List.of(kind, "defaults") : List.of(kind), jvm)) {
            Thread.sleep(500); // let the server's start-up settle before taking its baseline figures
            switch (scenario) {
                case "relay" -> relay(o, o.pairs, o.window, 0, server, loops, line);
                case "latency" -> relay(o, o.latencyPairs, 1, 0, server, loops, line);
                case "idle-relay" -> relay(o, o.pairs, o.window, o.idle, server, loops, line);
                case "connections" -> {
                    if (o.connectWarmupS > 0) { // else the figure is half the JIT compiling the connect path
                        line.put("connect_warmup_s", o.connectWarmupS);
                        line.put("warmup_dropped", new ChurnScenario(o.churnWorkers).warmUp(loops, server, o.connectWarmupS));
                    }
                    connections(size, server, loops, line, o.connectWarmupS == 0);
                }
                case SOAK -> {
                    line.put("server_heap", o.soakHeap);
                    new MemorySoak(o.hostile, 10, o.durationS, o.soakRounds, o.soakKinds).run(server, line);
                }
                case "churn" -> {
                    line.put("workers", o.churnWorkers).put("duration_s", o.durationS);
                    new ChurnScenario(o.churnWorkers).measure(loops, server, o.warmupS, o.durationS, line);
                }
                default -> throw new IllegalArgumentException(scenario);
            }
        } catch (IllegalStateException e) {
            line.put("failure", e.getMessage());
        } finally {
            for (ClientLoop l : loops) {
                l.close();
            }
        }
        line.put("load1_after", load1());
        return line;
    }

    private static void relay(Options o, int pairs, int window, int idle, ServerProcess server, List<ClientLoop> loops,
                              JsonLine line) throws InterruptedException {
        line.put("pairs", pairs).put("window", window).put("duration_s", o.durationS);
        RelayScenario relay = new RelayScenario(pairs, window);
        List<?> sides = relay.connect(loops, server);
        if (idle == 0) {
            relay.measure(sides, server, o.warmupS, o.durationS, line, "");
            return;
        }
        // The phase without idle clients runs first, so it gets twice the warm-up: the JIT must not favour
        // the second phase.
        relay.measure(sides, server, 2 * o.warmupS, o.durationS, line, "");
        IdleClients crowd = new IdleClients("idle", idle);
        long nanos = crowd.connect(loops, server, 120_000);
        line.put("idle", idle).put("idle_connect_s", nanos / 1e9);
        relay.measure(sides, server, Math.min(o.warmupS, 2), o.durationS, line, "idle_");
        line.put("idle_vs_alone", Stats.ratio((Double) line.get("idle_msgs_per_s"), (Double) line.get("msgs_per_s")));
        line.put("idle_unexpected_frames", crowd.unexpected());
    }

    /** The engine the cluster scenario runs on: the first server of {@code --servers} that is ours. */
    static String clusterEngine(Options o) {
        return o.kinds.stream().filter(k -> !Servers.isBaseline(k)).findFirst()
                .map(k -> k.equals("jws") ? "java-websocket" : k).orElse("netty");
    }

    /**
     * The relay scenario on one node ({@code one-node}), or with every caller on node 1 and every callee
     * on node 2 of a cluster on a Redis this tool starts on loopback ({@code two-nodes}).
     */
    private static void clusterRelay(Options o, String setup, List<ClientLoop> loops, JsonLine line) throws Exception {
        String engine = clusterEngine(o);
        line.put("engine", engine).put("pairs", o.pairs).put("window", o.window).put("duration_s", o.durationS);
        RelayScenario relay = new RelayScenario(o.pairs, o.window);
        if (setup.equals("one-node")) {
            try (ServerProcess server = ServerProcess.start(engine.equals("java-websocket") ? "jws" : engine, o.serverJvm)) {
                Thread.sleep(500); // let the server's start-up settle before taking its baseline figures
                List<?> sides = relay.connect(loops, server);
                relay.measure(sides, server, o.warmupS, o.durationS, line, "");
            }
            return;
        }
        try (LocalRedis redis = LocalRedis.start();
             ServerProcess node1 = ServerProcess.start(List.of("cluster", redis.uri(), "node-1", engine), o.serverJvm);
             ServerProcess node2 = ServerProcess.start(List.of("cluster", redis.uri(), "node-2", engine), o.serverJvm)) {
            Thread.sleep(500);
            List<?> sides = relay.connect(loops, node1, node2);
            relay.measure(sides, () -> node1.cpuMicros() + node2.cpuMicros(), redis::totalCommandsOrMinusOne,
                    o.warmupS, o.durationS, line, "");
        }
    }

    /** @param cold whether the server is fresh: only then does its RSS growth say what a connection costs */
    private static void connections(int n, ServerProcess server, List<ClientLoop> loops, JsonLine line, boolean cold)
            throws InterruptedException {
        line.put("connections", n);
        long rss0 = server.rssKib();
        IdleClients crowd = new IdleClients("c", n);
        long nanos = crowd.connect(loops, server, 120_000);
        line.put("connect_register_s", nanos / 1e9);
        Thread.sleep(1000);
        long rss1 = server.rssKib();
        if (cold) { // after a warm-up the heap has grown already, and the growth says nothing
            line.put("rss_before_kib", rss0).put("rss_after_kib", rss1);
            line.put("rss_per_conn_kib", (double) (rss1 - rss0) / n);
        }
        line.put("probe_ms", crowd.probe());
        line.put("unexpected_frames", crowd.unexpected());
    }

    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
