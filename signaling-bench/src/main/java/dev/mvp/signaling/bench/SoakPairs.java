package dev.mvp.signaling.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The memory soak's well-behaved pairs, in a process of their own ({@link SoakChild}): alice offers to bob
 * every 20 ms (under the default rate limit), bob answers, alice times the round trip. {@link #run} starts
 * the process and reads its figures back; {@link #main} is the process.
 */
final class SoakPairs {
    /**
     * What the pairs measured in one round: offer-answer round trips, and the time each pair took to
     * connect and register both sides (once per pair, again after each error).
     */
    record Result(Histogram roundTrips, Histogram connects, long errors, String firstError) {}

    private SoakPairs() {}

    /** Runs {@code pairs} pairs against {@code address} for {@code durationS} seconds and returns what they measured. */
    static Result run(InetSocketAddress address, int pairs, double durationS) throws IOException, InterruptedException {
        String json = SoakChild.run(SoakPairs.class, false, (long) durationS + 30, List.of(address.getHostString(),
                Integer.toString(address.getPort()), Integer.toString(pairs), Double.toString(durationS)));
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        try {
            return new Result(decode(o.get("round_trips").getAsString()), decode(o.get("connects").getAsString()),
                    o.get("errors").getAsLong(), o.get("first_error").getAsString());
        } catch (DataFormatException e) {
            throw new IOException("the soak's pairs sent an unreadable histogram", e);
        }
    }

    private static Histogram decode(String base64) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    private static String encode(Histogram h) {
        ByteBuffer encoded;
        synchronized (h) {
            encoded = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            h.encodeIntoCompressedByteBuffer(encoded);
        }
        encoded.flip();
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** {@code host port pairs durationS}: runs the pairs, then prints the result line. */
    public static void main(String[] args) throws InterruptedException {
        SoakChild.endWithParent();
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int pairs = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + (long) (Double.parseDouble(args[3]) * 1e9);
        Histogram roundTrips = Stats.microsHistogram();
        Histogram connects = Stats.microsHistogram();
        AtomicLong errors = new AtomicLong();
        String[] firstError = {""};
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int index = i;
            Thread t = new Thread(() -> pair(address, index, deadline, roundTrips, connects, errors, firstError),
                    "soak-pair-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 15_000);
        }
        JsonObject o = new JsonObject();
        o.addProperty("round_trips", encode(roundTrips));
        o.addProperty("connects", encode(connects));
        o.addProperty("errors", errors.get());
        synchronized (firstError) {
            o.addProperty("first_error", firstError[0]);
        }
        SoakChild.finish(o.toString());
    }

    /**
     * One pair until the deadline. A pair that fails (a timeout, a close) counts an error and connects
     * again, so one bad moment does not end its measurements for the rest of the run.
     */
    private static void pair(InetSocketAddress address, int index, long deadline, Histogram roundTrips,
                             Histogram connects, AtomicLong errors, String[] firstError) {
        String a = "pair-a" + index;
        String b = "pair-b" + index;
        while (System.nanoTime() < deadline) {
            long connecting = System.nanoTime();
            try (SoakConn alice = SoakConn.open(address, a, 0, deadline); SoakConn bob = SoakConn.open(address, b, 0, deadline)) {
                alice.register(a);
                bob.register(b);
                record(connects, connecting);
                String offer = Messages.description("offer", a, b);
                String answer = Messages.description("answer", b, a);
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    alice.sendText(offer);
                    bob.awaitType("offer");
                    bob.sendText(answer);
                    alice.awaitType("answer");
                    record(roundTrips, t0);
                    Thread.sleep(20);
                }
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() < deadline && errors.getAndIncrement() == 0) {
                    synchronized (firstError) {
                        firstError[0] = e.toString();
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void record(Histogram h, long sinceNanos) {
        synchronized (h) {
            h.recordValue(Math.max(1, (System.nanoTime() - sinceNanos) / 1000));
        }
    }
}
