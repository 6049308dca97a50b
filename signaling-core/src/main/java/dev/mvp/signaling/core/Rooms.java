package dev.mvp.signaling.core;

import com.google.gson.stream.JsonToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub's side of rooms and presence: the {@code join}, {@code leave} and {@code members} frames, the
 * joins asked for at {@code register}, and the {@code peer-joined} / {@code peer-left} its own members
 * receive. Who is in which room lives in the {@link RoomDirectory}; this hub only indexes its own
 * sessions by room, to tell them. Holds no lock while it calls the directory, the {@link RoomAccess} or a
 * connection.
 */
final class Rooms {
    private static final Logger log = LoggerFactory.getLogger(Rooms.class);

    private final SignalingHub hub;
    private final RoomPolicy policy;
    private final RoomAccess access;
    private final RoomDirectory directory;
    /** This hub's sessions by the rooms they are in. */
    private final ConcurrentHashMap<String, Set<LocalSession>> local = new ConcurrentHashMap<>();

    Rooms(SignalingHub hub, HubConfig config) {
        this.hub = hub;
        this.policy = config.rooms();
        this.access = config.roomAccess();
        this.directory = config.roomDirectory() != null ? config.roomDirectory() : RoomDirectory.inMemory();
    }

    /** A {@code join}, {@code leave} or {@code members} frame. */
    void handle(LocalSession s, InboundMessage m) {
        if (!policy.enabled()) {
            refuseDisabled(s, m);
            return;
        }
        if (s.peerId() == null) {
            hub.reject(s, ErrorCodes.NOT_REGISTERED, "send register before '" + m.type + "'", m.type, null, m.mid);
            return;
        }
        if (m.roomKind == null) {
            hub.reject(s, ErrorCodes.MISSING_FIELD, "'" + m.type + "' needs a 'room'", m.type, null, m.mid);
            return;
        }
        if (m.roomKind != JsonToken.STRING) {
            hub.reject(s, ErrorCodes.INVALID_FIELD, "the field 'room' must be a string, was "
                    + InboundMessage.kind(m.roomKind), m.type, null, m.mid);
            return;
        }
        switch (m.type) {
            case Protocol.JOIN -> join(s, m.room, m.type, m.mid);
            case Protocol.LEAVE -> leave(s, m.room, m.mid);
            default -> members(s, m.room, m.mid);
        }
    }

    /** The rooms a {@code register} asked for, joined once its confirmation went out, each answered alone. */
    void joinAtRegister(LocalSession s, InboundMessage m) {
        if (m.rooms == null && m.roomsProblem == null) {
            return;
        }
        if (!policy.enabled()) {
            refuseDisabled(s, m);
            return;
        }
        if (m.roomsProblem != null) {
            hub.reject(s, ErrorCodes.INVALID_FIELD, m.roomsProblem, m.type, null, m.mid);
            return;
        }
        for (String room : m.rooms) {
            join(s, room, m.type, m.mid);
        }
    }

    private void refuseDisabled(LocalSession s, InboundMessage m) {
        hub.reject(s, ErrorCodes.ROOMS_DISABLED, "rooms are off on this server", m.type, null, m.mid);
    }

    private void join(LocalSession s, String room, String ref, String mid) {
        String problem = PeerIds.problem("room name", room);
        if (problem != null) {
            reject(s, ErrorCodes.INVALID_ROOM, problem, ref, room, mid);
            return;
        }
        String self = s.peerId();
        if (s.rooms.contains(room)) {
            answer(s, Protocol.JOINED, room, mid);
            return;
        }
        if (s.rooms.size() >= policy.maxRoomsPerPeer()) {
            reject(s, ErrorCodes.TOO_MANY_ROOMS, "you are in " + policy.maxRoomsPerPeer()
                    + " rooms, the most allowed; leave one first", ref, room, mid);
            return;
        }
        boolean allowed;
        try {
            allowed = access.mayJoin(room, self, s.connection.handshake());
        } catch (RuntimeException e) {
            log.warn("RoomAccess {} failed for '{}' joining '{}'", access, self, room, e);
            reject(s, ErrorCodes.INTERNAL_ERROR, "the server could not check the join", ref, room, mid);
            return;
        }
        if (!allowed) {
            reject(s, ErrorCodes.ROOM_REFUSED, "you may not join '" + room + "'", ref, room, mid);
            return;
        }
        s.rooms.add(room); // before the directory: a release that runs meanwhile then gives it up too
        RoomDirectory.Outcome outcome = directory.join(room, self, policy.maxMembers());
        if (outcome == RoomDirectory.Outcome.FULL) {
            s.rooms.remove(room);
            reject(s, ErrorCodes.ROOM_FULL, "'" + room + "' holds " + policy.maxMembers()
                    + " members, the most allowed", ref, room, mid);
            return;
        }
        if (s.roomsEnded) { // the peer left for good while it joined: undo, nobody was told
            s.rooms.remove(room);
            directory.leave(room, self);
            return;
        }
        s.answeringJoin(room); // presence arriving from now on follows the answer, which it may overlap
        index(room, s);
        answer(s, Protocol.JOINED, room, mid);
        if (outcome == RoomDirectory.Outcome.JOINED) {
            log.debug("'{}' joined room '{}'", self, room);
            tell(room, self, Protocol.PEER_JOINED);
        }
    }

    private void leave(LocalSession s, String room, String mid) {
        String self = s.peerId();
        if (!s.rooms.remove(room)) {
            reject(s, ErrorCodes.NOT_A_MEMBER, "you are not in '" + room + "'", Protocol.LEAVE, room, mid);
            return;
        }
        unindex(room, s);
        s.unlisted(room);
        boolean was = directory.leave(room, self);
        s.connection.send(Protocol.left(room, mid));
        if (was) {
            log.debug("'{}' left room '{}'", self, room);
            tell(room, self, Protocol.PEER_LEFT);
        }
    }

    private void members(LocalSession s, String room, String mid) {
        if (!s.rooms.contains(room)) {
            reject(s, ErrorCodes.NOT_A_MEMBER, "you are not in '" + room + "'; only members may list it",
                    Protocol.MEMBERS, room, mid);
            return;
        }
        answer(s, Protocol.MEMBERS, room, mid);
    }

    /** Sends {@code joined} or {@code members} with the members {@code s} may see; what it is told next starts there. */
    private void answer(LocalSession s, String type, String room, String mid) {
        List<String> listed = visibleTo(s.peerId(), room);
        s.connection.send(Protocol.roomMembers(type, room, listed, mid));
        s.listed(room, listed);
    }

    /** The peer of {@code s} left for good: it leaves each of its rooms, and their members are told once. */
    void leaveAll(LocalSession s, String id) {
        s.roomsEnded = true;
        for (String room : List.copyOf(s.rooms)) {
            if (s.rooms.remove(room)) {
                unindex(room, s);
                if (directory.leave(room, id)) {
                    log.debug("'{}' left room '{}' (disconnected)", id, room);
                    tell(room, id, Protocol.PEER_LEFT);
                }
            }
        }
    }

    /**
     * {@code successor} resumes or replaces {@code old}: it is in the same rooms, and nobody is told. Called on
     * the successor's hub; {@code old} may be another hub's.
     */
    void handOver(LocalSession old, LocalSession successor) {
        for (String room : List.copyOf(old.rooms)) {
            successor.rooms.add(room);
            successor.adoptListing(old, room);
            index(room, successor);
        }
        old.hub().rooms().forget(old);
    }

    /**
     * {@code old}'s client resumes or replaces it on another node: it leaves its rooms here without anyone
     * being told, and its memberships pass to the successor there ({@link RoomDirectory#handingOver}).
     *
     * @return the rooms it was in, for the successor to take over
     */
    Set<String> handOut(LocalSession old) {
        old.roomsEnded = true; // a join finishing now undoes itself
        Set<String> given = new java.util.HashSet<>();
        for (String room : List.copyOf(old.rooms)) {
            if (old.rooms.remove(room)) {
                unindex(room, old);
                directory.handingOver(room, old.peerId());
                given.add(room);
            }
        }
        return given;
    }

    /**
     * {@code successor}, registering as {@code id}, resumed or replaced {@code holder}, a peer of another node
     * that was in {@code rooms}: it is a member of them here, and nobody is told, itself included (as on one
     * node). What it is told next about each room starts from the members there now.
     */
    void takeOver(LocalSession successor, String id, Set<String> rooms, Peer holder) {
        for (String room : rooms) {
            if (PeerIds.problem("room name", room) != null) {
                continue; // not a name this hub would have let anyone join
            }
            successor.rooms.add(room);
            if (directory.takeOver(room, id, holder)) {
                index(room, successor);
                successor.listed(room, visibleTo(id, room));
            } else {
                successor.rooms.remove(room);
            }
        }
    }

    /** {@code old} was taken over: it leaves this hub's index, its memberships stay with its successor. */
    private void forget(LocalSession old) {
        for (String room : List.copyOf(old.rooms)) {
            old.rooms.remove(room);
            unindex(room, old);
        }
    }

    /**
     * Tells this hub's members of {@code room} that {@code id} joined or left, each that may see it.
     *
     * @return how many were told
     */
    int tell(String room, String id, String type) {
        Set<LocalSession> members = local.get(room);
        if (members == null) {
            return 0;
        }
        String frame = Protocol.presence(type, room, id);
        int told = 0;
        for (LocalSession viewer : List.copyOf(members)) {
            String own = viewer.peerId();
            if (own != null && !own.equals(id) && sees(room, own, id) && viewer.presence(room, type, id, frame)) {
                told++;
            }
        }
        return told;
    }

    /** The members of {@code room} that {@code viewer} may see, itself left out, sorted. */
    private List<String> visibleTo(String viewer, String room) {
        List<String> seen = new ArrayList<>();
        for (String member : directory.members(room)) {
            if (!member.equals(viewer) && sees(room, viewer, member)) {
                seen.add(member);
            }
        }
        seen.sort(null);
        return seen;
    }

    private boolean sees(String room, String viewer, String member) {
        try {
            return access.maySee(room, viewer, member);
        } catch (RuntimeException e) {
            log.warn("RoomAccess {} failed for '{}' seeing '{}' in '{}'; hidden", access, viewer, member, room, e);
            return false;
        }
    }

    private void index(String room, LocalSession s) {
        local.compute(room, (r, members) -> {
            Set<LocalSession> m = members != null ? members : ConcurrentHashMap.newKeySet();
            m.add(s);
            return m;
        });
    }

    private void unindex(String room, LocalSession s) {
        local.computeIfPresent(room, (r, members) -> {
            members.remove(s);
            return members.isEmpty() ? null : members;
        });
    }

    private void reject(LocalSession s, String code, String message, String ref, String room, String mid) {
        hub.reject(s, code, message, ref, null, room, mid);
    }
}
