package dev.mvp.signaling.bench;

import dev.mvp.signaling.core.OfflineQueuePolicy;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The memory soak ({@code memory-soak}): hostile clients of every kind that once made a server hold memory
 * without bound, all at once, against a server with a small heap, while well-behaved pairs keep exchanging
 * offers and answers. It reports whether the server stayed up and answering, the pairs' round trips, how
 * the server ended each kind of hostile connection (close code or a drop), the heap after a full GC before
 * and after the attack, and the peak resident memory.
 *
 * <p>Every hostile client reconnects when the server cuts it off, so the pressure lasts the whole run. All
 * traffic is on loopback; every thread ends at the deadline, and every socket with it.
 */
final class MemorySoak {
    /** The kinds of hostile client, each a way to make a server hold memory. */
    static final List<String> KINDS = List.of("pings", "fragments", "partial", "held", "slow", "binary", "pongs");

    private final int perKind;
    private final int pairs;
    private final double durationS;
    private final List<String> kinds;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final Histogram roundTrips = Stats.microsHistogram();
    private final AtomicLong pairErrors = new AtomicLong();
    private volatile String firstPairError = "";
    /** Every hostile connection still open, so the end of the run can unblock a write the server stopped reading. */
    private final java.util.Set<Conn> open = ConcurrentHashMap.newKeySet();
    private volatile long deadline;

    /** What happened to one kind's connections. */
    static final class Tally {
        final AtomicLong connects = new AtomicLong();
        final AtomicLong bytesSent = new AtomicLong();
        final Map<String, AtomicLong> endings = new ConcurrentHashMap<>();
        volatile String firstFailure = "";

        void ended(String how) {
            endings.computeIfAbsent(how, k -> new AtomicLong()).incrementAndGet();
        }

        Map<String, Long> endingsSorted() {
            Map<String, Long> m = new TreeMap<>();
            endings.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }
    }

    MemorySoak(int perKind, int pairs, double durationS, List<String> kinds) {
        this.perKind = perKind;
        this.kinds = List.copyOf(kinds);
        this.pairs = pairs;
        this.durationS = durationS;
    }

    void run(ServerProcess server, JsonLine line) throws Exception {
        InetSocketAddress address = server.address();
        line.put("hostile_kinds", String.join(",", kinds)).put("hostile_per_kind", perKind)
                .put("partial_connections", kinds.contains("partial") ? clients("partial") : 0).put("pairs", pairs)
                .put("duration_s", durationS);
        line.put("heap_baseline_kib", heapAfterGcKib(server.pid()));
        long rssPeak = server.rssKib();
        line.put("rss_baseline_kib", rssPeak);
        deadline = System.nanoTime() + (long) (durationS * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            threads.add(start("soak-pair-" + p, pairLoop(address, p)));
        }
        for (String kind : kinds) {
            for (int i = 0; i < clients(kind); i++) {
                threads.add(start("soak-" + kind + "-" + i, hostileLoop(address, kind, i)));
            }
        }
        long statusMaxMs = 0;
        int statusFailures = 0;
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
        for (Conn c : open) {
            c.close(); // unblocks a writer whose socket the server stopped reading
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        line.put("alive_after", statusOk(address)).put("status_failures", statusFailures)
                .put("status_max_ms", statusMaxMs);
        line.put("pair_round_trips", roundTrips.getTotalCount()).put("pair_errors", pairErrors.get()).put("pair_first_error", firstPairError)
                .put("pair_p50_us", Stats.percentile(roundTrips, 50)).put("pair_p99_us", Stats.percentile(roundTrips, 99))
                .put("pair_max_us", (double) roundTrips.getMaxValue());
        line.put("rss_peak_kib", rssPeak);
        line.put("heap_after_kib", heapAfterGcKib(server.pid()));
        // The server may still be ending the connections the tool just closed (a socket's end is heard after
        // its last bytes are processed, within a second), and it rightly keeps the last held offers until
        // their hold expires: the heap once both are gone is the one that says whether anything stays.
        Thread.sleep(OfflineQueuePolicy.DEFAULT.holdFor().toMillis() + 3000);
        line.put("heap_settled_kib", heapAfterGcKib(server.pid()));
        for (String kind : kinds) {
            Tally t = tallies.get(kind);
            line.put(kind + "_connects", t.connects.get()).put(kind + "_mib_sent", t.bytesSent.get() / 1048576.0)
                    .put(kind + "_endings", t.endingsSorted().toString()).put(kind + "_first_failure", t.firstFailure);
        }
    }

    /** How many hostile clients of {@code kind} run: eight times as many of the cheap {@code partial} ones. */
    private int clients(String kind) {
        return kind.equals("partial") ? 8 * perKind : perKind;
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private boolean running() {
        return System.nanoTime() < deadline;
    }

    // --- well-behaved pairs ------------------------------------------------------------------------

    /**
     * A pair: alice offers to bob every 20 ms (under the default rate limit), bob answers, alice times it.
     * A pair that fails (a timeout, a close) counts an error and connects again, so one bad moment does
     * not end its measurements for the rest of the run.
     */
    private Runnable pairLoop(InetSocketAddress address, int index) {
        return () -> {
            String a = "pair-a" + index;
            String b = "pair-b" + index;
            while (running()) {
                try (Conn alice = Conn.open(address, a, 0, deadline); Conn bob = Conn.open(address, b, 0, deadline)) {
                    alice.register(a);
                    bob.register(b);
                    String offer = Messages.description("offer", a, b);
                    String answer = Messages.description("answer", b, a);
                    while (running()) {
                        long t0 = System.nanoTime();
                        alice.sendText(offer);
                        bob.awaitType("offer");
                        bob.sendText(answer);
                        alice.awaitType("answer");
                        synchronized (roundTrips) {
                            roundTrips.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        }
                        Thread.sleep(20);
                    }
                } catch (IOException | RuntimeException e) {
                    if (running() && pairErrors.getAndIncrement() == 0) {
                        firstPairError = e.toString();
                    }
                    pause(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        };
    }

    // --- hostile clients ---------------------------------------------------------------------------

    private Runnable hostileLoop(InetSocketAddress address, String kind, int index) {
        Tally tally = tallies.computeIfAbsent(kind, k -> new Tally());
        return () -> {
            while (running()) {
                String id = kind + "-" + index;
                try (Conn c = Conn.open(address, id, 4096, deadline)) {
                    open.add(c);
                    tally.connects.incrementAndGet();
                    tally.ended(running() ? abuse(kind, c, id, tally) : "still-open-at-end");
                    open.remove(c);
                } catch (IOException | RuntimeException e) {
                    tally.ended("connect-failed");
                    if (tally.firstFailure.isEmpty()) {
                        tally.firstFailure = e.toString();
                    }
                }
                pause(50);
            }
        };
    }

    /** Abuses one connection until the server ends it or time is up; says how it ended. */
    private String abuse(String kind, Conn c, String id, Tally tally) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        try {
            switch (kind) {
                case "pings" -> { // never reads the pongs
                    byte[] ping = new byte[125];
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendFrame(0x89, ping));
                        pace(k, 10, 1);
                    }
                }
                case "fragments" -> { // a text message that never ends
                    tally.bytesSent.addAndGet(c.sendFrame(0x01, chunk));
                    while (running()) {
                        pause(FRAGMENT_PAUSE_MS);
                        tally.bytesSent.addAndGet(c.sendFrame(0x00, chunk));
                    }
                }
                case "partial" -> { // all but the last byte of a 1 MiB frame, then silence
                    tally.bytesSent.addAndGet(c.sendHeader(0x81, 1024 * 1024));
                    for (int sent = 0; sent < 1024 * 1024 - 1 && running(); sent += chunk.length) {
                        int n = Math.min(chunk.length, 1024 * 1024 - 1 - sent);
                        c.out.write(chunk, 0, n);
                        tally.bytesSent.addAndGet(n);
                    }
                    c.out.flush();
                    return c.waitForEnd();
                }
                case "held" -> { // offers of 65,000 characters to ids nobody holds; reads its bounces
                    c.register(id);
                    c.discardInBackground();
                    String sdp = "v=0\\r\\n" + "a".repeat(65_000 - 100);
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendText("{\"type\":\"offer\",\"to\":\"absent-" + id + "-" + (k % 1000)
                                + "\",\"sdp\":\"" + sdp + "\"}"));
                        pause(FRAGMENT_PAUSE_MS);
                    }
                }
                case "slow" -> { // asks for answers and never reads them
                    c.register(id);
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendText("{\"type\":\"ping\"}"));
                        pace(k, 10, 1);
                    }
                }
                case "binary" -> { // binary frames; reads the errors
                    c.discardInBackground();
                    byte[] small = new byte[1024];
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendFrame(0x82, small));
                        pace(k, 10, 1);
                    }
                }
                case "pongs" -> { // unsolicited pongs; reads whatever comes
                    c.discardInBackground();
                    byte[] pong = new byte[125];
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendFrame(0x8A, pong));
                        pace(k, 10, 1);
                    }
                }
                default -> throw new IllegalArgumentException(kind);
            }
        } catch (IOException e) {
            return running() ? c.endingAfterWriteFailure() : "still-open-at-end";
        }
        return "still-open-at-end";
    }

    /**
     * Sleeps {@code ms} after every {@code every} frames: about 10,000 small frames a second per client at
     * most. On loopback the hostile clients share the server's CPUs; unpaced, a few dozen threads writing
     * flat out starve the server and the pairs of CPU, and the run measures the scheduler, not memory.
     */
    private static void pace(long k, int every, long ms) {
        if (k % every == every - 1) {
            pause(ms);
        }
    }

    /** Between 64 KiB fragments and big offers: about 1.3 MiB/s per client (1 MiB in under a second). */
    private static final long FRAGMENT_PAUSE_MS = 50;

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        try {
            Matcher m = LIVE_TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
            return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    // --- a blocking raw WebSocket client -----------------------------------------------------------

    /** One raw client connection: masked frames out, frames in, nothing polite unless asked. */
    static final class Conn implements AutoCloseable {
        private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};
        final Socket socket;
        final OutputStream out;
        private final DataInputStream in;
        /** When a connection the server leaves open stops being watched. */
        private volatile long endNanos;

        private Conn(Socket socket, long endNanos) throws IOException {
            this.socket = socket;
            this.endNanos = endNanos;
            this.out = socket.getOutputStream();
            this.in = new DataInputStream(socket.getInputStream());
        }

        static Conn open(InetSocketAddress address, String id, int receiveBuffer, long endNanos) throws IOException {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            Conn c = new Conn(s, endNanos);
            c.out.write(("GET /ws/" + id + " HTTP/1.1\r\nHost: soak\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            c.out.flush();
            c.readHead();
            return c;
        }

        private void readHead() throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("closed during the handshake: " + head);
                }
                head.append((char) b);
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
            }
        }

        void register(String id) throws IOException {
            sendText("{\"type\":\"register\",\"id\":\"" + id + "\"}");
            awaitType("registered");
        }

        int sendText(String text) throws IOException {
            return sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
        }

        int sendHeader(int first, long length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(14);
            b.put((byte) first);
            if (length < 126) {
                b.put((byte) (0x80 | length));
            } else if (length < 65536) {
                b.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                b.put((byte) (0x80 | 127)).putLong(length);
            }
            b.put(MASK);
            out.write(b.array(), 0, b.position());
            return b.position();
        }

        /** One masked frame; {@code first} is the whole first byte (FIN and opcode). */
        int sendFrame(int first, byte[] payload) throws IOException {
            int header = sendHeader(first, payload.length);
            byte[] masked = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                masked[i] = (byte) (payload[i] ^ MASK[i & 3]);
            }
            out.write(masked);
            out.flush();
            return header + payload.length;
        }

        /** Reads frames until a text frame of {@code type} arrives; fails on a close. */
        void awaitType(String type) throws IOException {
            String needle = "\"type\":\"" + type + "\"";
            while (true) {
                int b0 = in.readUnsignedByte();
                byte[] payload = payload(in.readUnsignedByte());
                int opcode = b0 & 0x0F;
                if (opcode == 0x8) {
                    throw new IOException("closed by the server while waiting for " + type);
                }
                if (opcode == 0x1 && new String(payload, StandardCharsets.UTF_8).contains(needle)) {
                    return;
                }
            }
        }

        private byte[] payload(int b1) throws IOException {
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) Math.min(len, 16 * 1024 * 1024)];
            in.readFully(payload);
            return payload;
        }

        /** Reads and drops whatever the server sends, on a thread of its own that ends with the socket. */
        void discardInBackground() {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try {
                    while (in.read(buf) >= 0) {
                        // dropped
                    }
                } catch (IOException ignored) {
                    // the socket closed
                }
            }, "soak-discard");
            t.setDaemon(true);
            t.start();
        }

        /** Waits for the server to end the connection: the close code it sent, or how the socket ended. */
        String waitForEnd() {
            try {
                socket.setSoTimeout(1000);
            } catch (IOException e) {
                return "error";
            }
            while (true) {
                try {
                    int b0 = in.readUnsignedByte();
                    byte[] payload = payload(in.readUnsignedByte());
                    if ((b0 & 0x0F) == 0x8) {
                        return payload.length >= 2 ? "close-" + (((payload[0] & 0xff) << 8) | (payload[1] & 0xff)) : "close";
                    }
                } catch (SocketTimeoutException e) {
                    if (socket.isClosed()) {
                        return "error";
                    }
                    // still open: keep waiting, the caller's deadline ends the run
                    if (Thread.currentThread().isInterrupted()) {
                        return "interrupted";
                    }
                    if (!stillRunning()) {
                        return "still-open-at-end";
                    }
                } catch (EOFException e) {
                    return "dropped";
                } catch (IOException e) {
                    return "reset";
                }
            }
        }

        private boolean stillRunning() {
            return System.nanoTime() < endNanos;
        }

        /** After a write failed: what the server said before it closed, if anything can still be read. */
        String endingAfterWriteFailure() {
            endNanos = Math.min(endNanos, System.nanoTime() + 2_000_000_000L);
            return waitForEnd();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
