package dev.mvp.signaling.dist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own on a free loopback port, without persistence, stopped by
 * {@link #close}. Skips the test when the binary is missing, unless {@code CI=true}: then it fails.
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisProcess start() throws IOException, InterruptedException {
        String binary = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                binary = candidate.toString();
                break;
            }
        }
        if (binary == null && Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
            binary = "/usr/bin/redis-server";
        }
        if (binary == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("redis-server is not installed, and CI=true requires the cluster tests to run"
                    + " (apt-get install redis-server)");
        }
        assumeTrue(binary != null, "redis-server is not installed (apt-get install redis-server); cluster tests skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("redis-dist-test-", ".log");
        log.toFile().deleteOnExit();
        Process p = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RedisProcess redis = new RedisProcess(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!"PONG".equals(redis.tryCommand("PING"))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IllegalStateException("redis-server did not start on port " + port + ": " + Files.readString(log));
            }
            p.waitFor(20, TimeUnit.MILLISECONDS); // bounded by the deadline
        }
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Sends one inline command and returns the reply's first line without its type character.
     *
     * @throws IOException if Redis does not answer
     */
    String command(String inline) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) {
                line.append((char) c);
            }
            String reply = line.toString().strip();
            return reply.isEmpty() ? reply : reply.substring(1);
        }
    }

    private String tryCommand(String inline) {
        try {
            return command(inline);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
