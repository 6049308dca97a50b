package dev.mvp.signaling.cluster.redis;

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
 * A {@code redis-server} of the test's own, on a free loopback port, without persistence: a restart
 * loses every key, like a failover to an empty replica. Stopped by {@link #close}; no process outlives
 * the test. When the binary is missing the test is skipped, unless {@code CI=true}: then it fails.
 */
final class RedisServer implements AutoCloseable {
    private final String binary;
    private final int port;
    private Process process;

    private RedisServer(String binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    /** Starts a server, or skips the calling test (outside CI) when {@code redis-server} is not installed. */
    static RedisServer start() {
        String binary = find();
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (binary == null && ci) {
            throw new IllegalStateException("redis-server is not installed, and CI=true requires the Redis tests to run"
                    + " (apt-get install redis-server)");
        }
        assumeTrue(binary != null, "redis-server is not installed (apt-get install redis-server); Redis tests skipped");
        RedisServer server = new RedisServer(binary, freePort());
        server.startProcess();
        return server;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Kills the server abruptly (SIGKILL), as a crash or a lost network would look to clients. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
        }
    }

    /** Starts it again on the same port, empty. */
    void restart() {
        kill();
        startProcess();
    }

    @Override
    public void close() {
        kill();
    }

    private void startProcess() {
        try {
            Path log = Files.createTempFile("redis-test-", ".log");
            log.toFile().deleteOnExit();
            process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!answersPing()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String out = Files.readString(log);
                    kill();
                    throw new IllegalStateException("redis-server did not start on port " + port + ": " + out);
                }
                Thread.onSpinWait();
                process.waitFor(20, TimeUnit.MILLISECONDS); // polling a starting process, bounded by the deadline
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16];
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
