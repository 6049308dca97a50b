package dev.mvp.signaling.server.jws;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.server.engine.Engine;
import dev.mvp.signaling.server.engine.EngineContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket engine: binds the port itself, then runs the library's server ({@link WsEngine}) on
 * it, with a selector thread, one decoder thread per CPU and, with TLS, one thread for the TLS engines'
 * delegated tasks.
 */
final class JavaWebSocketEngine implements Engine {
    private static final Logger log = LoggerFactory.getLogger(JavaWebSocketEngine.class);
    private static final long START_TIMEOUT_MS = 10_000;

    private final EngineContext context;
    private ServerSocketChannel serverChannel;
    private ExecutorService tlsTasks;
    private WsEngine server;
    private Thread selectorThread;

    JavaWebSocketEngine(EngineContext context) {
        this.context = context;
    }

    @Override
    public InetSocketAddress start() throws IOException {
        InetSocketAddress address;
        try {
            serverChannel = ServerSocketChannel.open();
            serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            serverChannel.bind(new InetSocketAddress(context.config().host(), context.config().port()),
                    context.config().acceptBacklog());
            address = (InetSocketAddress) serverChannel.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            closeQuietly(serverChannel);
            throw e;
        }
        if (context.tls() != null) {
            tlsTasks = Executors.newSingleThreadExecutor(context.threads("tls", false));
        }
        server = new WsEngine(serverChannel, context, tlsTasks);
        selectorThread = new Thread(server, context.threadName("selector"));
        selectorThread.setDaemon(true);
        selectorThread.start();
        try {
            server.started().get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
            throw new IOException("the server did not start: " + cause, cause);
        }
        return address;
    }

    @Override
    public String description() {
        return JavaWebSocketEngineFactory.NAME + (context.tls() != null ? ", TLS" : "");
    }

    @Override
    public void stopAccepting() {
        if (server != null) {
            server.stopping();
        }
        closeQuietly(serverChannel);
    }

    @Override
    public int socketCount() {
        return server == null ? 0 : server.channels().size();
    }

    @Override
    public void close(long deadlineNanos) {
        boolean interrupted = false;
        stopAccepting();
        if (server != null) {
            try {
                server.stop((int) Math.max(1, remainingMs(deadlineNanos)), "server shutting down");
            } catch (InterruptedException e) {
                interrupted = true;
            }
            for (FrontDoorChannel ch : List.copyOf(server.channels())) {
                WsConnection c = ch.connection();
                if (c != null) {
                    c.socket().closeConnection(CloseCodes.GOING_AWAY, "server stopped");
                }
                closeQuietly(ch);
            }
            interrupted |= join(selectorThread, deadlineNanos);
            for (Thread worker : server.workerThreads()) {
                interrupted |= join(worker, deadlineNanos);
            }
        }
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
            try {
                tlsTasks.awaitTermination(Math.max(1, remainingMs(deadlineNanos)), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Interrupts {@code t} and waits for it until the deadline; true if this thread was interrupted. */
    private static boolean join(Thread t, long deadlineNanos) {
        if (t == null || !t.isAlive()) {
            return false;
        }
        t.interrupt();
        try {
            t.join(Math.max(1, remainingMs(deadlineNanos)));
            if (t.isAlive()) {
                log.warn("Thread {} did not stop in time", t.getName());
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static long remainingMs(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            log.debug("Closing {} failed", c, e);
        }
    }

    @Override
    public String toString() {
        return "JavaWebSocketEngine[" + server + "]";
    }
}
