package dev.mvp.signaling.bench;

import dev.mvp.signaling.bench.server.BenchServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own JVM ({@link BenchServer}), started from this tool's own class path, with
 * its resident memory and CPU time read from {@code /proc}. Closing it closes the child's standard input,
 * which ends it; a child that does not stop within two seconds is killed.
 */
final class ServerProcess implements AutoCloseable {
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    final String kind;
    final String config;
    private final Process process;
    private final InetSocketAddress address;

    private ServerProcess(String kind, Process process, int port, String config) {
        this.kind = kind;
        this.process = process;
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.config = config;
    }

    static ServerProcess start(String kind, List<String> jvmOptions) throws IOException {
        return start(kind, jvmOptions, false);
    }

    /** @param defaultLimits run the server with the hub's default limits instead of the load's relaxed ones */
    static ServerProcess start(String kind, List<String> jvmOptions, boolean defaultLimits) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.java_websocket=off");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchServer.class.getName());
        cmd.add(kind);
        if (defaultLimits) {
            cmd.add("defaults");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String[]> ready = CompletableFuture.supplyAsync(() -> {
            String config = "";
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("CONFIG ")) {
                        config = line.substring(7);
                    } else if (line.startsWith("LISTENING ")) {
                        return new String[] {line.substring(10).trim(), config};
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("the " + kind + " server exited before listening");
        });
        try {
            String[] r = ready.get(20, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty
                    }
                } catch (IOException ignored) {
                    // the child ended
                }
            }, "bench-server-stdout");
            drain.setDaemon(true);
            drain.start();
            return new ServerProcess(kind, p, Integer.parseInt(r[0]), r[1]);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("could not start the " + kind + " server: " + e, e);
        }
    }

    InetSocketAddress address() {
        return address;
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size in KiB (VmRSS), or -1 if unreadable. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User plus system CPU time of the whole process so far, in microseconds, or -1. */
    long cpuMicros() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            return ticks * 1_000_000 / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may be gone already
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
