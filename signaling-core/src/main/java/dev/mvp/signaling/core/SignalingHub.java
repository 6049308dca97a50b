package dev.mvp.signaling.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling hub: registers peers, validates their messages and routes offers, answers, candidates
 * and byes between them. It knows no network; a transport (the WebSocket launcher, the
 * {@linkplain dev.mvp.signaling.core.memory in-memory transport}, your own) reports each connection
 * through {@link #open} and the returned {@link Session}, and the hub answers through the transport's
 * {@link Connection}. The wire protocol is written down in {@code docs/PROTOCOL.md}.
 *
 * <pre>{@code
 * try (SignalingHub hub = new SignalingHub(HubConfig.defaults())) {
 *     Session session = hub.open(connection, "alice");   // a client connected to /ws/alice
 *     session.onText("{\"type\":\"register\",\"id\":\"alice\"}");
 *     ...
 *     session.onClose(1000, "");
 * }
 * }</pre>
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li>Every public method is thread-safe. Any number of sessions may be driven concurrently from any
 *       threads; the calls for one session must not overlap and must come in event order.</li>
 *   <li>A message is routed on the thread that reported it: frames one client sends reach each recipient
 *       in the order they were sent. There is no hand-off to another thread.</li>
 *   <li>The hub holds no lock of its own while it calls a {@link Connection}, an {@link Authenticator},
 *       a {@link MessageInterceptor}, a {@link HubListener}, a {@link RoomAccess}, its {@link PeerDirectory},
 *       its {@link RoomDirectory} or its {@link Scheduler}, so those may call back into the hub and a transport may report a close while
 *       it holds its own locks.</li>
 *   <li>Nothing reaches a client before its {@code registered} confirmation.</li>
 * </ul>
 */
public final class SignalingHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingHub.class);

    private final HubConfig config;
    private final PeerDirectory directory;
    private final Scheduler scheduler;
    private final Scheduler.SystemScheduler ownScheduler;
    private final HubListener listener;
    private final Set<LocalSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger registered = new AtomicInteger();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Router router;
    private final OfflineQueue queue;
    private final Rooms rooms;
    private final Set<LocalSession> suspended = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A hub with every default: anyone may register, duplicate ids are refused. */
    public SignalingHub() {
        this(HubConfig.defaults());
    }

    /**
     * A hub with these settings. It owns its scheduler unless the configuration gives one.
     *
     * @param config the settings
     */
    public SignalingHub(HubConfig config) {
        this.config = config;
        this.directory = config.directory() != null ? config.directory() : PeerDirectory.inMemory();
        if (config.scheduler() != null) {
            this.scheduler = config.scheduler();
            this.ownScheduler = null;
        } else {
            this.ownScheduler = Scheduler.system("signaling-hub-timer");
            this.scheduler = ownScheduler;
        }
        this.listener = new SafeListener(config.listener());
        this.router = new Router(this, config, directory, listener, scheduler);
        this.queue = router.queue();
        this.rooms = new Rooms(this, config);
    }

    /** {@return the settings this hub runs with} */
    public HubConfig config() {
        return config;
    }

    /**
     * A transport calls this when a client connection opens.
     *
     * @param connection how the hub talks back to the client
     * @param claimedId the id from the connection path ({@code /ws/{id}}, percent-decoded), which
     *     {@code register} must then name; {@code null} when the transport has no path id
     * @return where the transport reports the connection's messages and its close
     */
    public Session open(Connection connection, String claimedId) {
        LocalSession session = new LocalSession(this, connection, claimedId, scheduler.nanoTime());
        if (claimedId != null && !PeerIds.isValid(claimedId)) {
            reject(session, ErrorCodes.INVALID_ID, "the id in the path is invalid: " + PeerIds.problem(claimedId),
                    null, null, null);
            terminate(session, CloseCodes.POLICY_VIOLATION, "invalid id", true);
            return session;
        }
        if (sessions.size() >= config.maxConnections()) {
            reject(session, ErrorCodes.SERVER_FULL, "the server holds its maximum of " + config.maxConnections()
                    + " connections; try again later", null, null, null);
            terminate(session, CloseCodes.TRY_AGAIN_LATER, "server full", true);
            return session;
        }
        sessions.add(session);
        if (closed) {
            terminate(session, CloseCodes.GOING_AWAY, "server shutting down", true);
            return session;
        }
        if (!config.registerTimeout().isZero()) {
            session.registerDeadline = scheduler.schedule(config.registerTimeout(), () -> {
                if (!session.isRegistered() && !session.isClosed()) {
                    reject(session, ErrorCodes.REGISTER_TIMEOUT, "no register message within "
                            + config.registerTimeout().toMillis() + " ms", null, null, null);
                    terminate(session, CloseCodes.POLICY_VIOLATION, "register timeout", true);
                }
            });
        }
        listener.connected(claimedId, connection.handshake());
        return session;
    }

    /** {@return the counters as they are now} */
    public HubStats stats() {
        Map<String, Long> byCode = new TreeMap<>();
        errors.forEach((code, n) -> byCode.put(code, n.sum()));
        return new HubStats(sessions.size(), registered.get(), router.routedCount(), queue == null ? 0 : queue.size(),
                suspended.size(), byCode);
    }

    /** {@return the ids registered on this hub's connections, sorted} */
    public List<String> peerIds() {
        List<String> ids = new ArrayList<>();
        for (LocalSession s : sessions) {
            String id = s.peerId();
            if (id != null && !s.isClosed()) {
                ids.add(id);
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * {@return whether {@code id} is registered on one of this hub's connections}
     *
     * @param id the peer id
     */
    public boolean isRegistered(String id) {
        LocalSession s = LocalSession.of(directory.get(id));
        return s != null && s.hub() == this && !s.isClosed();
    }

    /**
     * Closes the connection registered as {@code id}, as if it had dropped: its peers receive a
     * {@code bye} with {@code "reason":"disconnected"}. An id kept for a client that dropped and may
     * resume is released at once, its peers told the same way.
     *
     * @param id the peer id
     * @param code the close code
     * @param reason the close reason
     * @return whether such a connection or kept id was found on this hub
     */
    public boolean disconnect(String id, int code, String reason) {
        LocalSession s = LocalSession.of(directory.get(id));
        if (s != null && s.hub() == this) {
            if (s.isClosed()) {
                if (s.claimSuspension()) {
                    endSuspension(s, code, reason);
                    return true;
                }
                return false; // its end is being handled already
            }
            terminate(s, code, reason, true);
            return true;
        }
        return false;
    }

    // --- for directories that span several nodes ---------------------------------------------------

    /**
     * Tells the sender of a message that a {@link Peer} had accepted that it was not delivered after all,
     * with an error frame carrying {@code code}, as if the hub had refused it: a peer on another node
     * does this when the other node answers that the recipient has gone, or does not answer at all.
     *
     * @param message the message that was not delivered
     * @param code the error code the sender receives
     * @param text the error's human sentence
     * @return whether the sender is still connected to this hub and was told
     */
    public boolean bounce(Envelope message, String code, String text) {
        LocalSession s = LocalSession.of(directory.get(message.from()));
        if (s == null || s.hub() != this || s.isClosed()) {
            return false;
        }
        reject(s, code, text, message.type(), message.to(), message.mid());
        return true;
    }

    /**
     * Routes again a message that a {@link Peer} had accepted but could not hand over, because its
     * recipient went away meanwhile (its client dropped, or it left): the recipient is looked up again,
     * and the message delivered, held or refused as one just sent would be. A peer on another node does
     * this when that node answers that the recipient is no longer connected there.
     *
     * @param message the message that was not delivered
     * @return whether its sender is still connected to this hub (otherwise nothing is done)
     */
    public boolean redeliver(Envelope message) {
        LocalSession s = LocalSession.of(directory.get(message.from()));
        if (s == null || s.hub() != this || s.isClosed()) {
            return false;
        }
        router.reroute(s, message);
        return true;
    }

    /**
     * A peer this hub cannot see left without its {@code bye} reaching here (its node died): every
     * connection of this hub that exchanged messages with it receives a {@code bye} with
     * {@code "reason":"disconnected"}, as if it had dropped from this hub.
     *
     * @param id the peer that left
     * @return how many connections were told
     */
    public int peerLost(String id) {
        int told = 0;
        for (LocalSession s : sessions) {
            String own = s.peerId();
            if (own != null && !own.equals(id) && s.contacts.contains(id)) {
                if (s.deliver(new Envelope(Protocol.BYE, id, own, Protocol.byeDisconnected(id, own), null))) {
                    told++;
                }
            }
        }
        return told;
    }

    /**
     * The other end of {@link Peer#handOver}: the client registered here as {@code id} came back on
     * another node with {@code verifiedToken}. If this hub's holder of the id registered with the same
     * verified token and dropped within its grace period (or, when {@code replaceConnected}, is
     * connected: it is then closed with {@link CloseCodes#REPLACED}), it lets the id go, as for a resume or
     * a replacement on this hub: no {@code bye} to its contacts, no {@code peer-left} to the members of its
     * rooms (it leaves them here without a word, {@link RoomDirectory#handingOver}), no grace timer any more. What this hub
     * held for the id is routed again once the id is registered on the other node
     * ({@link #peerArrived}).
     *
     * @param id the peer id
     * @param verifiedToken the token the newcomer presented and its node's authenticator verified
     * @param replaceConnected whether a connected holder lets the id go too
     * @return the ids the holder exchanged messages with and the rooms it was in, for the newcomer to
     *     inherit; empty when this
     *     hub holds no such peer, or the token differs, or the holder is connected and may not be
     *     replaced
     */
    public Optional<Peer.HandOver> handOver(String id, String verifiedToken, boolean replaceConnected) {
        LocalSession s = LocalSession.of(directory.get(id));
        if (s == null || s.hub() != this || !s.registeredWithToken(verifiedToken)) {
            return Optional.empty();
        }
        if (s.claimSuspension()) { // the grace timer can no longer end it
            finishResume(s);
            Peer.HandOver given = new Peer.HandOver(s.contacts, rooms.handOut(s));
            directory.remove(id, s);
            return Optional.of(given);
        }
        if (replaceConnected && !s.isClosed() && directory.remove(id, s)) {
            Peer.HandOver given = new Peer.HandOver(s.contacts, rooms.handOut(s));
            terminate(s, CloseCodes.REPLACED, "replaced by a newer connection", true); // removed already: no bye
            return Optional.of(given);
        }
        return Optional.empty();
    }

    /**
     * {@code id} registered outside this hub (on another node): the messages this hub holds for it are
     * routed again, oldest first, so they reach it wherever it registered.
     *
     * @param id the peer that registered elsewhere
     */
    public void peerArrived(String id) {
        if (queue == null) {
            return;
        }
        for (OfflineQueue.Held h : queue.drain(id)) {
            router.reroute(h.sender, h.envelope);
        }
    }

    /**
     * {@code id}, a peer of another node, joined {@code room}: each of this hub's members of the room that may
     * see it receives {@code peer-joined}. A {@link RoomDirectory} that spans several nodes calls this.
     *
     * @param room the room
     * @param id the peer that joined
     * @return how many of this hub's connections were told
     */
    public int memberJoined(String room, String id) {
        return rooms.tell(room, id, Protocol.PEER_JOINED);
    }

    /**
     * {@code id}, a peer of another node, left {@code room} (it left, or it or its node is gone): each of this
     * hub's members of the room that may see it receives {@code peer-left}. A {@link RoomDirectory} that spans
     * several nodes calls this once per leave.
     *
     * @param room the room
     * @param id the peer that left
     * @return how many of this hub's connections were told
     */
    public int memberLeft(String room, String id) {
        return rooms.tell(room, id, Protocol.PEER_LEFT);
    }

    /**
     * Closes every connection with {@link CloseCodes#GOING_AWAY} and stops the hub's timer thread.
     * Connections opened afterwards are closed at once. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LocalSession s : List.copyOf(sessions)) {
            terminate(s, CloseCodes.GOING_AWAY, "server shutting down", true);
        }
        for (LocalSession s : List.copyOf(suspended)) {
            endSuspension(s, CloseCodes.GOING_AWAY, "server shutting down");
        }
        if (queue != null) {
            queue.clear(); // every sender was closed above: there is nobody left to tell
        }
        if (ownScheduler != null) {
            ownScheduler.close();
        }
    }

    @Override
    public String toString() {
        return "SignalingHub[" + (closed ? "closed" : "open") + ", " + sessions.size() + " connections, "
                + registered.get() + " registered]";
    }

    // --- the message path -------------------------------------------------------------------------

    void handleText(LocalSession s, String text) {
        if (s.stoppedReading()) {
            return; // every message may be answered: one that does not read its answers is cut off
        }
        if (!withinRate(s, "the message was not read")) {
            return;
        }
        if (text.length() > config.maxMessageLength()) {
            reject(s, ErrorCodes.MESSAGE_TOO_LARGE, "the message is " + text.length()
                    + " characters long; at most " + config.maxMessageLength() + " are accepted", null, null, null);
            return;
        }
        InboundMessage m = InboundMessage.parse(text);
        if (!m.ok()) {
            reject(s, m.problemCode, m.problemMessage, m.type, m.to, m.mid);
            return;
        }
        if (m.type == null) {
            reject(s, ErrorCodes.MISSING_FIELD, "the field 'type' is required", null, m.to, m.mid);
            return;
        }
        switch (m.type) {
            case Protocol.REGISTER -> register(s, m);
            case Protocol.PING -> s.connection.send(Protocol.pong(m.mid));
            case Protocol.ICE_SERVERS -> sendIceServers(s, m);
            case Protocol.JOIN, Protocol.LEAVE, Protocol.MEMBERS -> rooms.handle(s, m);
            default -> router.route(s, m);
        }
    }

    /** Answers a client's request for (fresh) ICE servers; credentials are bound to its registered id. */
    private void sendIceServers(LocalSession s, InboundMessage m) {
        String id = s.peerId();
        if (id == null) {
            reject(s, ErrorCodes.NOT_REGISTERED, "send register before 'ice-servers'", m.type, null, m.mid);
            return;
        }
        s.connection.send(Protocol.iceServers(iceServersFor(id), m.mid));
    }

    private List<IceServer> iceServersFor(String id) {
        try {
            return config.iceServers().forPeer(id);
        } catch (RuntimeException e) {
            log.warn("ICE server provider {} failed for '{}'", config.iceServers(), id, e);
            return List.of();
        }
    }

    void handleBinary(LocalSession s, int length) {
        if (s.stoppedReading() || !withinRate(s, "the binary frame was not read")) {
            return;
        }
        reject(s, ErrorCodes.BINARY_NOT_SUPPORTED, "binary frames are not supported (got " + length
                + " bytes); send JSON text frames", null, null, null);
    }

    void handleControlFrame(LocalSession s) {
        if (!s.stoppedReading()) {
            withinRate(s, "pings and pongs count too");
        }
    }

    /**
     * Counts one frame against the rate limit (the rule is in {@link RateLimit}); a refused frame is
     * answered {@code rate-limited}, and a connection with too many strikes is closed.
     *
     * @param refusal what the error says happened to the refused frame
     * @return whether the frame may be handled
     */
    private boolean withinRate(LocalSession s, String refusal) {
        RateLimit limit = config.rateLimit();
        if (!limit.enabled()) {
            return true;
        }
        LocalSession.RateDecision decision = s.takeToken(limit, scheduler.nanoTime());
        if (decision == LocalSession.RateDecision.ALLOWED) {
            return true;
        }
        reject(s, ErrorCodes.RATE_LIMITED, "more than " + limit.perSecond() + " frames per second (bursts of "
                + limit.burst() + "); " + refusal, null, null, null);
        if (decision == LocalSession.RateDecision.CLOSE) {
            terminate(s, CloseCodes.POLICY_VIOLATION, "rate limit exceeded", true);
        }
        return false;
    }

    private void register(LocalSession s, InboundMessage m) {
        String id = m.id;
        if (id == null) {
            reject(s, ErrorCodes.MISSING_FIELD, "register needs an 'id'", m.type, null, m.mid);
            return;
        }
        String problem = PeerIds.problem(id);
        if (problem != null) {
            reject(s, ErrorCodes.INVALID_ID, problem, m.type, null, m.mid);
            return;
        }
        if (s.isRegistered()) {
            if (id.equals(s.peerId())) {
                s.connection.send(Protocol.registered(id, iceServersFor(id))); // re-confirmation; the gate is open already
                rooms.joinAtRegister(s, m);
            } else {
                reject(s, ErrorCodes.ALREADY_REGISTERED, "this connection is registered as '" + s.peerId()
                        + "' already; open a new connection for '" + id + "'", m.type, null, m.mid);
            }
            return;
        }
        if (s.claimedId != null && !s.claimedId.equals(id)) {
            reject(s, ErrorCodes.ID_MISMATCH, "register names '" + id + "' but the connection path is for '"
                    + s.claimedId + "'", m.type, null, m.mid);
            return;
        }
        AuthResult auth;
        try {
            auth = config.authenticator().authenticate(new AuthRequest(id, m.token, s.connection.handshake()));
        } catch (RuntimeException e) {
            log.warn("Authenticator failed for id '{}'", id, e);
            auth = AuthResult.rejected(ErrorCodes.INTERNAL_ERROR, "the server could not check the registration");
        }
        if (auth == null || !auth.isAccepted()) {
            String code = auth == null ? ErrorCodes.INTERNAL_ERROR : auth.code();
            String message = auth == null ? "the server could not check the registration" : auth.message();
            reject(s, code, message, m.type, null, m.mid);
            terminate(s, CloseCodes.POLICY_VIOLATION, code, true);
            return;
        }
        String verifiedToken = auth.isTokenVerified() ? m.token : null;
        if (registered.get() >= config.maxPeers() && !takesOwnPlace(id, verifiedToken)) {
            reject(s, ErrorCodes.SERVER_FULL, "the server holds its maximum of " + config.maxPeers()
                    + " peers; try again later", m.type, null, m.mid);
            terminate(s, CloseCodes.TRY_AGAIN_LATER, "server full", true);
            return;
        }
        s.prepareToRegister();
        LocalSession replaced = null;
        LocalSession resumed = null;
        Peer.HandOver inherited = null; // what a peer of another node that handed its id over carried
        Peer holder = directory.putIfAbsent(id, s);
        if (holder != null) {
            if (mayResume(holder, verifiedToken) && directory.replace(id, holder, s)) {
                resumed = (LocalSession) holder;
            } else if (mayReplace(holder, verifiedToken) && directory.replace(id, holder, s)) {
                replaced = (LocalSession) holder;
            } else if (LocalSession.of(holder) == null && verifiedToken != null
                    && (inherited = holder.handOver(verifiedToken, config.duplicateIdPolicy()
                            == DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN).orElse(null)) != null
                    && directory.replace(id, holder, s)) {
                // resumed or replaced across nodes: the other node has let the id go without a bye
            } else {
                leaveInheritedRooms(s, id, inherited, holder);
                reject(s, ErrorCodes.ID_TAKEN, "the id '" + id + "' is in use by another connection",
                        m.type, null, m.mid);
                return;
            }
        }
        if (!s.commitRegistration(id, verifiedToken)) {
            // Closed while registering (by the register deadline, a disconnect, a slow-reader check):
            // nobody else will release the id, so undo the claim on it here.
            if (resumed != null) {
                directory.replace(id, s, resumed);
                resumed.hub().endSuspension(resumed, CloseCodes.ABNORMAL, "");
            } else if (replaced != null) {
                directory.replace(id, s, replaced);
            } else {
                leaveInheritedRooms(s, id, inherited, holder);
                directory.remove(id, s);
            }
            return;
        }
        registered.incrementAndGet();
        if (s.registerDeadline != null) {
            s.registerDeadline.cancel();
        }
        if (resumed != null) {
            s.contacts.addAll(resumed.contacts);
            rooms.handOver(resumed, s);
            resumed.hub().handOverHeld(resumed, s);
            resumed.hub().finishResume(resumed);
        }
        if (inherited != null) {
            s.contacts.addAll(inherited.contacts());
            rooms.takeOver(s, id, inherited.rooms(), holder);
        }
        if (replaced != null) {
            s.contacts.addAll(replaced.contacts);
            rooms.handOver(replaced, s);
            replaced.hub().handOverHeld(replaced, s);
            replaced.hub().terminate(replaced, CloseCodes.REPLACED, "replaced by a newer connection", true);
        }
        List<OfflineQueue.Held> held = queue == null ? List.of() : queue.drain(id);
        List<Envelope> frames = new ArrayList<>(held.size());
        for (OfflineQueue.Held h : held) {
            frames.add(h.envelope);
            s.noteContact(h.envelope.type(), h.envelope.from());
        }
        // Reported before the client can see its confirmation (see deliver()).
        listener.registered(id, java.time.Duration.ofNanos(Math.max(0, scheduler.nanoTime() - s.openedNanos)));
        for (OfflineQueue.Held h : held) {
            router.delivered(h.sender, h.envelope);
        }
        s.confirm(Protocol.registered(id, iceServersFor(id)), frames);
        rooms.joinAtRegister(s, m);
    }

    /**
     * A registration that a peer of another node had handed its id over to ends before it began: the rooms
     * that peer gave up are left, and their members told, as for a client that dropped.
     */
    private void leaveInheritedRooms(LocalSession s, String id, Peer.HandOver inherited, Peer holder) {
        if (inherited != null && !inherited.rooms().isEmpty()) {
            rooms.takeOver(s, id, inherited.rooms(), holder);
            rooms.leaveAll(s, id);
        }
    }

    Rooms rooms() {
        return rooms;
    }

    /**
     * Whether a registration can only resume or replace this hub's holder of {@code id} (the same verified
     * token), so it adds no peer: a full server must not keep a client from taking its own place back.
     */
    private boolean takesOwnPlace(String id, String verifiedToken) {
        if (verifiedToken == null) {
            return false;
        }
        LocalSession h = LocalSession.of(directory.get(id));
        return h != null && h.hub() == this && h.registeredWithToken(verifiedToken);
    }

    /**
     * A suspended holder may be taken over by a connection presenting the same verified token; the claim
     * on the suspension makes the race with the grace timer come out one way only.
     */
    private static boolean mayResume(Peer holder, String verifiedToken) {
        LocalSession h = LocalSession.of(holder); // a peer of another node cannot be taken over from here
        return verifiedToken != null
                && h != null
                && holder.isSuspended()
                && holder.registeredWithToken(verifiedToken)
                && h.claimSuspension();
    }

    /** The suspended session's registration ends because its client came back on a new connection. */
    private void finishResume(LocalSession old) {
        suspended.remove(old);
        if (old.graceTimer != null) {
            old.graceTimer.cancel();
        }
        registered.decrementAndGet();
    }

    /** What {@code old} has held for absent peers is now {@code successor}'s: bounced to it, discarded with it. */
    private void handOverHeld(LocalSession old, LocalSession successor) {
        if (queue != null) {
            queue.transferSender(old, successor);
        }
    }

    private boolean mayReplace(Peer holder, String verifiedToken) {
        return config.duplicateIdPolicy() == DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN
                && LocalSession.of(holder) != null // a peer of another node cannot be replaced from here
                && holder.isConnected()
                && holder.registeredWithToken(verifiedToken);
    }

    void reject(LocalSession s, String code, String message, String ref, String peer, String mid) {
        reject(s, code, message, ref, peer, null, mid);
    }

    /** As {@link #reject(LocalSession, String, String, String, String, String)}, about {@code room} when not null. */
    void reject(LocalSession s, String code, String message, String ref, String peer, String room, String mid) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
        s.connection.send(Protocol.error(code, message, peer, ref, room, mid));
        String sender = s.peerId() != null ? s.peerId() : s.claimedId;
        if (log.isDebugEnabled()) {
            log.debug("Rejected {} from {}: {} ({})", ref, sender, code, message);
        }
        listener.rejected(new Rejection(sender, code, message, ref, peer, mid));
    }

    /**
     * Ends a session: releases its id, tells its contacts, and (when the hub decided it) closes the
     * connection. Runs once per session whoever calls it first.
     */
    void terminate(LocalSession s, int code, String reason, boolean closeConnection) {
        String id = s.markClosed();
        if (id == null) {
            return;
        }
        sessions.remove(s);
        if (s.registerDeadline != null) {
            s.registerDeadline.cancel();
        }
        if (!id.isEmpty()) {
            if (!closeConnection && mayHoldForResume(s, code)) {
                // The id stays reserved; messages for it are held; its peers hear nothing unless the
                // grace period ends without the client coming back.
                // In the set before it can be claimed: a resume that claims it at once must find it there.
                suspended.add(s);
                s.suspend();
                s.graceTimer = scheduler.schedule(config.resumeGrace(), () -> {
                    if (s.claimSuspension()) {
                        endSuspension(s, code, reason);
                    }
                });
                directory.suspended(id, s);
            } else {
                release(s, id, code, reason);
            }
        }
        if (closeConnection) {
            s.connection.close(code, reason);
        }
    }

    /** A drop (not a clean close) of a client whose token was verified keeps its id for the grace period. */
    private boolean mayHoldForResume(LocalSession s, int code) {
        return !closed && !config.resumeGrace().isZero() && s.verifiedToken != null
                && code != CloseCodes.NORMAL && code != CloseCodes.GOING_AWAY;
    }

    private void endSuspension(LocalSession s, int code, String reason) {
        if (suspended.remove(s)) {
            if (s.graceTimer != null) {
                s.graceTimer.cancel();
            }
            release(s, s.peerId(), code, reason);
        }
    }

    /** The end of a registration: frees the id and, unless a newer connection took it, tells the peers. */
    private void release(LocalSession s, String id, int code, String reason) {
        registered.decrementAndGet();
        if (directory.remove(id, s)) { // false when a newer connection took the id over
            if (queue != null) {
                queue.discardFrom(s); // its held offers are stale now that it is gone for good
            }
            for (String contact : s.contacts) {
                Peer peer = contact.equals(id) ? null : directory.get(contact);
                if (peer != null) {
                    Envelope bye = new Envelope(Protocol.BYE, id, contact, Protocol.byeDisconnected(id, contact), null);
                    if (!peer.deliver(bye) && queue != null && peer.isSuspended()
                            && queue.hold(bye, s, directory) == OfflineQueue.Outcome.RECIPIENT_ARRIVED) {
                        Peer back = directory.get(contact); // it came back meanwhile
                        if (back != null) {
                            back.deliver(bye);
                        }
                    }
                }
            }
            rooms.leaveAll(s, id);
            listener.left(id, code, reason);
        }
    }
}
