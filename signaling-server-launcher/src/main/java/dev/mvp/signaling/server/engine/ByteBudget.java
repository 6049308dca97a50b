package dev.mvp.signaling.server.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A total of bytes that all connections of one server share: the bytes waiting to be written to clients
 * ({@link EngineContext#outboundBudget()}) or the bytes of frames and messages not fully arrived
 * ({@link EngineContext#inboundBudget()}). Each connection charges what it starts holding and releases
 * what it lets go; the budget only adds up. When the total is over its limit, both sides follow one rule:
 * the connections that hold the most are {@link #relieve shed}, largest first, until it fits, whichever
 * connection's charge took it over; a connection holding little is not cut while a larger one holds
 * bytes. The inbound side keeps each connection's charge in a {@link Share}. Thread-safe; charging is one
 * atomic addition.
 */
public final class ByteBudget {
    /** One connection's share of a budget. */
    public interface Holder {
        /**
         * The bytes it has charged and not released.
         *
         * @return the bytes, never negative
         */
        long heldBytes();

        /**
         * The budget is over its limit and this holder holds the most: let go of what it holds (its
         * connection is closed), releasing the bytes before returning or soon after, on the connection's own
         * thread (until then the budget counts them as going, and sheds nobody else for them). Called from
         * any thread, with no lock of the budget held; a second call is a no-op.
         *
         * @param reason why, for the close frame
         */
        void shed(String reason);
    }

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    /** Holders that charged something; zero holders are dropped when met. */
    private final Set<Holder> holders = ConcurrentHashMap.newKeySet();
    /** Holders shed whose bytes are not all released yet: counted as gone by {@link #over}. */
    private final Set<Holder> shedding = ConcurrentHashMap.newKeySet();

    /**
     * A budget of {@code limit} bytes.
     *
     * @param limit the most bytes all connections may hold together; positive
     */
    public ByteBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a byte budget must be positive, was " + limit);
        }
        this.limit = limit;
    }

    /** {@return the most bytes all connections may hold together} */
    public long limit() {
        return limit;
    }

    /** {@return the bytes held now, all connections together} */
    public long used() {
        return used.get();
    }

    /**
     * {@return whether the bytes held are over the limit, not counting what holders already shed still hold:
     * an engine may let go of a shed connection's bytes a moment later, on that connection's own thread}
     */
    public boolean over() {
        long held = used.get();
        if (held <= limit) {
            return false; // the usual case, on every send: what is going could only make it smaller
        }
        long going = 0;
        for (java.util.Iterator<Holder> it = shedding.iterator(); it.hasNext(); ) {
            long shedHolds = it.next().heldBytes();
            if (shedHolds <= 0) {
                it.remove();
            } else {
                going += shedHolds;
            }
        }
        return held - going > limit;
    }

    /**
     * Adds bytes a connection starts holding, or (negative) takes away bytes it let go.
     *
     * @param holder the connection, or null when it need not be found by {@link #relieve}
     * @param bytes the change
     * @return whether the total is over the limit afterwards
     */
    public boolean charge(Holder holder, long bytes) {
        long total = used.addAndGet(bytes);
        if (holder != null && bytes > 0) {
            holders.add(holder);
        }
        return total > limit;
    }

    /**
     * Forgets a holder that has released everything (its connection ended).
     *
     * @param holder the holder
     */
    public void forget(Holder holder) {
        holders.remove(holder);
    }

    /**
     * While the total is over the limit, sheds the holder that holds the most, then the next. Call it
     * with no lock held, after a charge that answered true.
     *
     * @param reason why, passed to {@link Holder#shed}
     * @return how many holders were shed
     */
    public int relieve(String reason) {
        int shed = 0;
        for (int round = 0; over() && round <= holders.size(); round++) {
            Holder largest = null;
            long most = 0;
            for (java.util.Iterator<Holder> it = holders.iterator(); it.hasNext(); ) {
                Holder h = it.next();
                long held = h.heldBytes();
                if (held <= 0) {
                    it.remove();
                } else if (held > most && !shedding.contains(h)) {
                    most = held;
                    largest = h;
                }
            }
            if (largest == null) {
                break;
            }
            holders.remove(largest);
            shedding.add(largest); // before shed(): other threads must not pick the next one for these bytes
            largest.shed(reason);
            shed++;
        }
        return shed;
    }

    /**
     * The close reason of a connection shed by an outbound budget: the same words on every engine.
     *
     * @param budget the outbound budget
     * @return the reason, short enough for a close frame
     */
    public static String outboundRefusal(ByteBudget budget) {
        return "too slow: over " + budget.limit() + " bytes wait for all clients, the most for this one";
    }

    /**
     * The close reason of a connection shed by an inbound budget: the same words on every engine.
     *
     * @param budget the inbound budget
     * @return the reason, short enough for a close frame
     */
    public static String assemblyRefusal(ByteBudget budget) {
        return "server busy: over " + budget.limit() + " bytes of unfinished messages from all clients, the most from this one";
    }

    /**
     * One connection's share of a budget, set as a whole to what the connection holds now rather than
     * changed by additions: the inbound side's bytes of a frame not fully arrived and of an unfinished
     * message. When a setting takes the budget over, the budget is {@link ByteBudget#relieve relieved}: the
     * largest holders are shed, this one only if it is among them. A share once shed holds nothing and
     * charges nothing again. Thread-safe: the connection sets it from its own thread, the budget may shed
     * it from any.
     */
    public static final class Share implements Holder {
        private final ByteBudget budget;
        private final String reason;
        private final java.util.function.Consumer<String> onShed;
        private long charged; // guarded by this
        private boolean shed; // guarded by this

        /**
         * A share of {@code budget} holding nothing yet.
         *
         * @param budget the budget
         * @param reason the close reason given to the holders shed when this share takes it over
         * @param onShed closes the connection with the reason it is given, from any thread, without
         *     blocking; called once, after the share's bytes were released
         */
        public Share(ByteBudget budget, String reason, java.util.function.Consumer<String> onShed) {
            this.budget = budget;
            this.reason = reason;
            this.onShed = onShed;
        }

        /**
         * Sets what the connection holds now, and sheds the largest holders if that took the budget over.
         *
         * @param bytes the bytes held, never negative
         * @return false if this share has been shed (by this call or before): the connection is being
         *     closed, and it should drop what it holds and what it receives after
         */
        public boolean hold(long bytes) {
            long delta;
            boolean over;
            synchronized (this) {
                if (shed) {
                    return false;
                }
                delta = bytes - charged;
                charged = bytes;
                over = delta != 0 && budget.charge(this, delta);
            }
            if (over && delta > 0) {
                budget.relieve(reason);
            }
            return !isShed();
        }

        /** Lets go of everything, for good: the connection ended. */
        public void release() {
            synchronized (this) {
                budget.charge(this, -charged);
                charged = 0;
                shed = true;
            }
            budget.forget(this);
        }

        /** {@return whether the budget shed this share} */
        public synchronized boolean isShed() {
            return shed;
        }

        @Override
        public synchronized long heldBytes() {
            return shed ? 0 : charged;
        }

        @Override
        public void shed(String why) {
            synchronized (this) {
                if (shed) {
                    return;
                }
                shed = true;
                budget.charge(this, -charged);
                charged = 0;
            }
            budget.forget(this);
            onShed.accept(why);
        }
    }

    @Override
    public String toString() {
        return "ByteBudget[" + used.get() + " of " + limit + " bytes]";
    }
}
