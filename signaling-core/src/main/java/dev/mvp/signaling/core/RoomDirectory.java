package dev.mvp.signaling.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the hub keeps who is in which room: the seam of rooms, as {@link PeerDirectory} is of routing.
 * The default keeps members in memory for one hub; a directory that spans several nodes keeps them where
 * every node sees them, and reports to each node's hub the joins and leaves of members of other nodes with
 * {@link SignalingHub#memberJoined} and {@link SignalingHub#memberLeft} (the hub tells its own members of
 * its own peers' joins and leaves itself).
 *
 * <p>All methods must be thread-safe and atomic. The hub calls them holding no lock of its own, after it
 * checked the room name, the client's bounds and the {@link RoomAccess}, and only for ids it holds.
 */
public interface RoomDirectory {

    /** What became of a join. */
    enum Outcome {
        /** The peer is a member now, and was not before. */
        JOINED,
        /** The peer was a member already; nothing changed. */
        MEMBER_ALREADY,
        /** The room holds its most members; the peer is not a member. */
        FULL
    }

    /**
     * Makes {@code id} a member of {@code room} unless the room holds {@code maxMembers} others.
     *
     * @param room the room's name
     * @param id the peer's id
     * @param maxMembers the most members the room may hold
     * @return what became of the join
     */
    Outcome join(String room, String id, int maxMembers);

    /**
     * Takes {@code id} out of {@code room}.
     *
     * @param room the room's name
     * @param id the peer's id
     * @return whether it was a member
     */
    boolean leave(String room, String id);

    /**
     * {@return the members of {@code room} now, in no particular order; empty for a room nobody is in}
     *
     * @param room the room's name
     */
    List<String> members(String room);

    /** {@return a new, empty, thread-safe room directory held in memory, for one hub} */
    static RoomDirectory inMemory() {
        ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
        return new RoomDirectory() {
            @Override
            public Outcome join(String room, String id, int maxMembers) {
                Outcome[] outcome = new Outcome[1];
                rooms.compute(room, (name, members) -> {
                    Set<String> m = members != null ? members : ConcurrentHashMap.newKeySet();
                    if (m.contains(id)) {
                        outcome[0] = Outcome.MEMBER_ALREADY;
                    } else if (m.size() >= maxMembers) {
                        outcome[0] = Outcome.FULL;
                    } else {
                        m.add(id);
                        outcome[0] = Outcome.JOINED;
                    }
                    return m.isEmpty() ? null : m;
                });
                return outcome[0];
            }

            @Override
            public boolean leave(String room, String id) {
                boolean[] was = new boolean[1];
                rooms.computeIfPresent(room, (name, members) -> {
                    was[0] = members.remove(id);
                    return members.isEmpty() ? null : members;
                });
                return was[0];
            }

            @Override
            public List<String> members(String room) {
                Set<String> m = rooms.get(room);
                return m == null ? List.of() : new ArrayList<>(m);
            }

            @Override
            public String toString() {
                return "RoomDirectory.inMemory[" + rooms.size() + " rooms]";
            }
        };
    }
}
