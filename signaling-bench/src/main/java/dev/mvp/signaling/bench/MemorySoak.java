package dev.mvp.signaling.bench;

import dev.mvp.signaling.core.OfflineQueuePolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The memory soak ({@code memory-soak}): hostile clients of every kind that once made a server hold memory
 * without bound, all at once, against a server with a small heap, while well-behaved pairs keep exchanging
 * offers and answers (in a process of their own: {@link SoakPairs}). It reports whether the server stayed up
 * and answering, the pairs' round trips, how the server ended each kind of hostile connection (close code or
 * a drop), the live heap before the attack, at its end and once the server has settled after each round,
 * and the peak resident memory. Several rounds ({@code --soak-rounds}) tell state kept once from state that
 * grows with each attack.
 *
 * <p>Every hostile client reconnects when the server cuts it off, so the pressure lasts the whole round. All
 * traffic is on loopback; every thread ends at the round's deadline, and every socket with it.
 */
final class MemorySoak {
    private final int perKind;
    private final int pairs;
    private final double durationS;
    private final int rounds;
    private final List<String> kinds;

    MemorySoak(int perKind, int pairs, double durationS, int rounds, List<String> kinds) {
        this.perKind = perKind;
        this.rounds = rounds;
        this.kinds = List.copyOf(kinds);
        this.pairs = pairs;
        this.durationS = durationS;
    }

    void run(ServerProcess server, JsonLine line) throws Exception {
        InetSocketAddress address = server.address();
        line.put("hostile_kinds", String.join(",", kinds)).put("hostile_per_kind", perKind)
                .put("partial_connections", kinds.contains("partial") ? SoakHostile.clients("partial", perKind) : 0)
                .put("pairs", pairs).put("duration_s", durationS).put("rounds", rounds);
        LiveHeap baseline = liveHeap(server.pid());
        line.put("heap_baseline_kib", baseline.kib()).put("heap_baseline_largest_kib", baseline.largest())
                .put("hostile_priority", SoakChild.LOW_PRIORITY ? "nice 19" : "normal (no nice command)");
        long rssPeak = server.rssKib();
        line.put("rss_baseline_kib", rssPeak);
        Map<String, SoakHostile.Tally> tallies = new TreeMap<>();
        Histogram roundTrips = Stats.microsHistogram();
        Histogram pairConnects = Stats.microsHistogram();
        long pairErrors = 0;
        String firstPairError = "";
        long statusMaxMs = 0;
        int statusFailures = 0;
        List<Long> settled = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long deadline = System.nanoTime() + (long) (durationS * 1e9);
            CompletableFuture<SoakPairs.Result> pairsDone = inBackground(() -> SoakPairs.run(address, pairs, durationS));
            CompletableFuture<Void> hostileDone = kinds.isEmpty() ? CompletableFuture.completedFuture(null)
                    : inBackground(() -> {
                        SoakHostile.run(address, kinds, perKind, durationS, tallies);
                        return null;
                    });
            while (System.nanoTime() < deadline) {
                Thread.sleep(1000);
                rssPeak = Math.max(rssPeak, server.rssKib());
                long t0 = System.nanoTime();
                if (statusOk(address)) {
                    statusMaxMs = Math.max(statusMaxMs, (System.nanoTime() - t0) / 1_000_000);
                } else {
                    statusFailures++;
                }
            }
            finish(hostileDone, durationS + 90);
            SoakPairs.Result pairResult = finish(pairsDone, durationS + 60);
            roundTrips.add(pairResult.roundTrips());
            pairConnects.add(pairResult.connects());
            if (pairErrors == 0) {
                firstPairError = pairResult.firstError();
            }
            pairErrors += pairResult.errors();
            if (round == rounds) {
                line.put("alive_after", statusOk(address));
                line.put("heap_after_kib", heapAfterGcKib(server.pid()));
            }
            // The server may still be ending the connections the hostile clients just closed (a socket's end
            // is heard after its last bytes are processed, within a second), and it rightly keeps the last held
            // offers until their hold expires: the heap once both are gone says whether anything stays.
            Thread.sleep(OfflineQueuePolicy.DEFAULT.holdFor().toMillis() + 3000);
            LiveHeap after = liveHeap(server.pid());
            settled.add(after.kib());
            if (round == rounds) {
                line.put("heap_settled_largest_kib", after.largest());
            }
        }
        line.put("status_failures", statusFailures).put("status_max_ms", statusMaxMs);
        line.put("pair_round_trips", roundTrips.getTotalCount()).put("pair_errors", pairErrors)
                .put("pair_first_error", firstPairError)
                .put("pair_p50_us", Stats.percentile(roundTrips, 50)).put("pair_p99_us", Stats.percentile(roundTrips, 99))
                .put("pair_max_us", (double) roundTrips.getMaxValue())
                .put("pair_connects", pairConnects.getTotalCount())
                .put("pair_connect_p50_us", Stats.percentile(pairConnects, 50))
                .put("pair_connect_max_us", (double) pairConnects.getMaxValue());
        line.put("rss_peak_kib", rssPeak);
        line.put("heap_settled_kib", settled.get(settled.size() - 1));
        line.put("heap_settled_by_round_kib", settled.toString());
        tallies.forEach((kind, t) -> line.put(kind + "_connects", t.connects.get())
                .put(kind + "_mib_sent", t.bytesSent.get() / 1048576.0)
                .put(kind + "_endings", t.endingsSorted().toString()).put(kind + "_first_failure", t.firstFailure));
    }

    /** What a part of the soak returned; its failure as an {@link IllegalStateException}, which the tool reports. */
    private static <T> T finish(CompletableFuture<T> part, double timeoutS) throws InterruptedException {
        try {
            return part.get((long) timeoutS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a part of the soak failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a part of the soak did not end within " + (long) timeoutS + " s");
        }
    }

    /** A part of the soak that runs in a child process, waited for on a thread of the common pool. */
    private interface Part<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> CompletableFuture<T> inBackground(Part<T> part) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return part.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    // --- measuring the server ----------------------------------------------------------------------

    private static boolean statusOk(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /status HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = s.getInputStream().readNBytes(12);
            return new String(head, StandardCharsets.ISO_8859_1).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static final Pattern LIVE_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    /**
     * The bytes of live objects in the server's heap, in KiB: {@code jcmd GC.class_histogram} collects
     * the whole heap first and counts only what is still reachable. (A generation's "used" after
     * {@code GC.run} also counted what the server, and the attach itself, allocated in between: a few
     * MiB of garbage read as retained memory.)
     */
    static long heapAfterGcKib(long pid) {
        return liveHeap(pid).kib();
    }

    /** The live heap in KiB and its three largest classes ({@code name=KiB,...}); -1 when it cannot be read. */
    record LiveHeap(long kib, String largest) {}

    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

    static LiveHeap liveHeap(long pid) {
        try {
            String histogram = jcmd(pid, "GC.class_histogram");
            Matcher m = LIVE_TOTAL.matcher(histogram);
            if (!m.find()) {
                return new LiveHeap(-1, "");
            }
            List<String> largest = new ArrayList<>();
            Matcher row = HISTOGRAM_ROW.matcher(histogram);
            while (largest.size() < 3 && row.find()) { // the rows come largest first
                largest.add(row.group(2) + "=" + Long.parseLong(row.group(1)) / 1024);
            }
            return new LiveHeap(Long.parseLong(m.group(1)) / 1024, String.join(",", largest));
        } catch (IOException | RuntimeException e) {
            return new LiveHeap(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LiveHeap(-1, "");
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Path out = java.nio.file.Files.createTempFile("soak-jcmd", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) { // a hung attach does not hang the tool
                p.destroyForcibly();
                return "";
            }
            return java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}
