package dev.mvp.signaling.bench.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many WebSocket client connections on one thread and one selector: the load generator's engine. Every
 * {@link ClientHandler} callback runs on this loop's thread; {@link ClientConn#send} must be called there
 * too ({@link #execute} gets you there from elsewhere). Threads are daemons, so a stuck run cannot keep
 * the tool alive; {@link #close()} stops the thread and closes every socket within about a second.
 */
public final class ClientLoop implements AutoCloseable {
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** One read buffer for every connection of the loop; a partial frame is copied out of it. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private volatile boolean running = true;

    public ClientLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the loop's thread, soon. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Opens a WebSocket to {@code ws://address/path}; the handler hears {@code onOpen} once the
     * upgrade is answered with 101. May be called from any thread.
     */
    public ClientConn connect(InetSocketAddress address, String path, ClientHandler handler, Object attachment) {
        ClientConn c = new ClientConn(this, address, path, handler);
        c.attachment = attachment;
        execute(c::start);
        return c;
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        try {
            while (running) {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove(); // always: a key left in the selected set is visited again on every pass
                    ClientConn c = (ClientConn) key.attachment();
                    c.ready(key);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                System.err.println("client loop " + thread.getName() + " failed: " + e);
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing everything anyway
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    /** Stops the loop and closes every connection without a close handshake. Idempotent, bounded. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
