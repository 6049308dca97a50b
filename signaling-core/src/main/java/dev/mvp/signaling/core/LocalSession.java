package dev.mvp.signaling.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection of this hub: its registration state, its confirmation gate and the peers it talked to.
 *
 * <p>State changes (register, terminate) take {@link #lock} briefly; no lock is ever held while calling
 * the transport. Frames routed to the session between the moment its id is claimed and the moment its
 * {@code registered} confirmation is sent wait in {@link #pending}, so nothing reaches a client before
 * its confirmation and order is kept.
 */
final class LocalSession implements Session, Peer {
    private final SignalingHub hub;
    final Connection connection;
    final String claimedId;
    private final Object lock = new Object();

    /** The registered id; set once, under {@link #lock}. */
    private volatile String id;
    /** The token the authenticator verified at registration, or null. */
    volatile String verifiedToken;
    private volatile boolean closed;
    /** True once the confirmation was sent and {@link #pending} drained: frames then go straight out. */
    private volatile boolean ready;
    private List<String> pending; // guarded by lock
    /** The characters in {@link #pending}: they wait for this client as much as what its transport buffers. */
    private volatile long pendingChars; // written under lock
    /** Ids this session exchanged messages with since the last bye between them. */
    final Set<String> contacts = ConcurrentHashMap.newKeySet();
    /** The rooms this session's peer is in (see {@link Rooms}); carried over to the connection that resumes it. */
    final Set<String> rooms = ConcurrentHashMap.newKeySet();
    /** Set once its peer left for good and its rooms were given up: a join finishing after that undoes itself. */
    volatile boolean roomsEnded;
    /**
     * Presence about rooms whose {@code joined} answer is not out yet, by room, in arrival order: each entry
     * {type, id}. Guarded by itself; nothing is called while holding it.
     */
    private final java.util.Map<String, List<String[]>> joining = new java.util.HashMap<>();
    /** By room: the members its client was told are there (listed, or announced since), so none is told twice. */
    private final java.util.Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    Scheduler.Cancellable registerDeadline;
    /** Set while the connection is gone but the id is kept for a resume; see {@link #claimSuspension}. */
    private boolean suspended; // guarded by lock
    Scheduler.Cancellable graceTimer;

    // Token bucket and strikes (see RateLimit); touched only by the connection's own events, which never overlap.
    private double tokens = Double.NaN;
    private double strikes;
    private long refilledAt;

    /** When the hub opened this session, on its scheduler's clock: registration latency starts here. */
    final long openedNanos;

    LocalSession(SignalingHub hub, Connection connection, String claimedId, long openedNanos) {
        this.hub = hub;
        this.connection = connection;
        this.claimedId = claimedId;
        this.openedNanos = openedNanos;
    }

    SignalingHub hub() {
        return hub;
    }

    /**
     * The session behind {@code peer} when it is a connection of a hub in this process, else null. Only
     * the take-over of a connection (resume, replacement) and the hub's own bookkeeping need it; routing
     * goes through {@link Peer}'s methods.
     */
    static LocalSession of(Peer peer) {
        return peer instanceof LocalSession s ? s : null;
    }

    // --- Session: events from the transport, in order, never overlapping -------------------------

    @Override
    public void onText(String text) {
        if (!closed) {
            hub.handleText(this, text);
        }
    }

    @Override
    public void onBinary(int length) {
        if (!closed) {
            hub.handleBinary(this, length);
        }
    }

    @Override
    public void onControlFrame() {
        if (!closed) {
            hub.handleControlFrame(this);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        hub.terminate(this, code, reason == null ? "" : reason, false);
    }

    @Override
    public String peerId() {
        return id;
    }

    // --- Peer: deliveries from any thread ---------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean deliver(Envelope message) {
        if (!admit(message)) {
            return false;
        }
        handOff(message);
        return true;
    }

    /**
     * Decides whether this session takes {@code message}: not if it is closed, nor if its client has
     * stopped reading (it is then disconnected). After a true answer the caller must {@link #handOff}.
     */
    boolean admit(Envelope message) {
        if (closed || stoppedReading()) {
            return false;
        }
        noteContact(message.type(), message.from());
        return true;
    }

    /**
     * Whether more than the configured bytes wait to be written to this client; if so it is disconnected.
     * Checked before anything is queued for it, its own replies (pongs, errors) included.
     */
    boolean stoppedReading() {
        long maxBuffered = hub.config().maxBufferedBytes();
        if (maxBuffered > 0 && connection.bufferedBytes() + pendingChars > maxBuffered) {
            hub.terminate(this, CloseCodes.SLOW_CONSUMER, "too slow: more than " + maxBuffered
                    + " bytes waiting to be sent", true);
            return true;
        }
        return false;
    }

    /** Sends an admitted message, or keeps it until the confirmation has gone out. */
    void handOff(Envelope message) {
        handOff(message.frame());
    }

    /**
     * Sends a frame the hub writes about someone else (a {@code peer-joined}, a {@code peer-left}), unless the
     * session is closed or its client stopped reading: not a message, so nobody becomes a contact.
     *
     * @return whether it was handed on
     */
    boolean push(String frame) {
        if (closed || stoppedReading()) {
            return false;
        }
        handOff(frame);
        return true;
    }

    /** From now until {@link #listed}, presence about {@code room} waits for the {@code joined} answer. */
    void answeringJoin(String room) {
        synchronized (joining) {
            joining.put(room, new ArrayList<>(2));
        }
    }

    /**
     * Tells this session that {@code id} joined or left {@code room}, frame {@code frame}: after the
     * {@code joined} answer if it is still being written, and only if it changes what the client was told
     * (a member it knows of is not announced again, one it does not know of is not announced gone).
     *
     * @return whether it was handed on or kept
     */
    boolean presence(String room, String type, String id, String frame) {
        synchronized (joining) {
            List<String[]> early = joining.get(room);
            if (early != null) {
                early.add(new String[] {type, id});
                return true;
            }
        }
        return announce(room, type, id, frame);
    }

    private boolean announce(String room, String type, String id, String frame) {
        Set<String> known = seen.get(room);
        if (known == null) {
            return false; // not told of this room (any more)
        }
        boolean changes = type.equals(Protocol.PEER_JOINED) ? known.add(id) : known.remove(id);
        return changes && push(frame);
    }

    /**
     * The client was sent the members of {@code room}: what it is told next starts from them; presence that
     * waited for a {@code joined} answer follows now.
     */
    void listed(String room, List<String> members) {
        Set<String> known = ConcurrentHashMap.newKeySet();
        known.addAll(members);
        seen.put(room, known);
        while (true) {
            List<String[]> batch;
            synchronized (joining) {
                batch = joining.get(room);
                if (batch == null || batch.isEmpty()) {
                    joining.remove(room);
                    return;
                }
                joining.put(room, new ArrayList<>(2));
            }
            for (String[] event : batch) {
                announce(room, event[0], event[1], Protocol.presence(event[0], room, event[1]));
            }
        }
    }

    /** The client left {@code room}: it is told nothing more about it. */
    void unlisted(String room) {
        seen.remove(room);
    }

    /** This session takes over {@code old}'s view of {@code room}, as it resumes or replaces it. */
    void adoptListing(LocalSession old, String room) {
        Set<String> known = old.seen.get(room);
        seen.put(room, known != null ? known : ConcurrentHashMap.newKeySet());
    }

    private void handOff(String frame) {
        if (!ready) {
            synchronized (lock) {
                if (closed) {
                    return; // closed since admit(): like a connection that drops right after a send
                }
                if (!ready) {
                    pending.add(frame);
                    pendingChars += frame.length();
                    return;
                }
            }
        }
        connection.send(frame);
    }

    /** Whether a message between this session and {@code peer} fits in the bound on conversations. */
    boolean hasRoomFor(String peer, int maxConversations) {
        return contacts.contains(peer) || contacts.size() < maxConversations;
    }

    void noteContact(String type, String peer) {
        if (Protocol.BYE.equals(type)) {
            contacts.remove(peer);
        } else if (!contacts.contains(peer)) {
            contacts.add(peer);
        }
    }

    // --- state transitions, called by the hub -----------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    boolean isRegistered() {
        return id != null;
    }

    /** Opens the confirmation gate before the id becomes visible to others. */
    void prepareToRegister() {
        synchronized (lock) {
            if (pending == null) {
                pending = new ArrayList<>(2);
            }
        }
    }

    /**
     * Records the id once the directory holds this session under it.
     *
     * @return false if the session was closed meanwhile; the caller must then release the id
     */
    boolean commitRegistration(String id, String verifiedToken) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            this.id = id;
            this.verifiedToken = verifiedToken;
            return true;
        }
    }

    /**
     * Sends the confirmation, then the frames held for this id while it was offline, then every frame
     * that arrived meanwhile, then opens the gate.
     */
    void confirm(String registeredFrame, List<Envelope> held) {
        connection.send(registeredFrame);
        for (Envelope e : held) {
            connection.send(e.frame());
        }
        while (true) {
            List<String> batch;
            synchronized (lock) {
                if (pending == null || pending.isEmpty()) {
                    ready = true;
                    return;
                }
                batch = pending;
                pending = new ArrayList<>(2);
                pendingChars = 0; // now handed to the transport, which counts them
            }
            for (String frame : batch) {
                connection.send(frame);
            }
        }
    }

    /** What {@link #takeToken} decided for one frame. */
    enum RateDecision { ALLOWED, REFUSED, CLOSE }

    /** Takes one frame from the bucket, by the rule written in {@link RateLimit}. */
    RateDecision takeToken(RateLimit limit, long nowNanos) {
        if (Double.isNaN(tokens)) {
            tokens = limit.burst();
            refilledAt = nowNanos;
        }
        double elapsedSeconds = Math.max(0, nowNanos - refilledAt) / 1e9;
        refilledAt = nowNanos;
        tokens = Math.min(limit.burst(), tokens + elapsedSeconds * limit.perSecond());
        strikes = Math.max(0, strikes - elapsedSeconds * limit.strikeFadePerSecond());
        if (tokens >= 1) {
            tokens -= 1;
            return RateDecision.ALLOWED;
        }
        strikes += 1;
        return strikes > limit.burst() ? RateDecision.CLOSE : RateDecision.REFUSED;
    }

    void suspend() {
        synchronized (lock) {
            suspended = true;
        }
    }

    /** Ends the suspension; true for exactly one caller (the resuming connection or the grace timer). */
    boolean claimSuspension() {
        synchronized (lock) {
            if (!suspended) {
                return false;
            }
            suspended = false;
            return true;
        }
    }

    @Override
    public boolean isSuspended() {
        synchronized (lock) {
            return suspended;
        }
    }

    @Override
    public boolean isConnected() {
        return !closed;
    }

    @Override
    public boolean registeredWithToken(String token) {
        String own = verifiedToken;
        return own != null && token != null && java.security.MessageDigest.isEqual(
                own.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Marks the session closed.
     *
     * @return the id it held, "" if it held none, or null if it was closed already
     */
    String markClosed() {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            closed = true;
            pending = null;
            pendingChars = 0;
            return id == null ? "" : id;
        }
    }

    @Override
    public String toString() {
        return "Session[" + (id != null ? id : "unregistered " + claimedId) + (closed ? ", closed" : "") + "]";
    }
}
