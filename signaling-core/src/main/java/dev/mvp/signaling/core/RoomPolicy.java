package dev.mvp.signaling.core;

/**
 * Whether clients may join rooms and see who else is in them, and how far. Off by default, so a plain 1:1
 * server tells nobody who else is connected. When on, a client joins a room (at {@code register} or with a
 * {@code join} message), lists its members and hears {@code peer-joined} / {@code peer-left}; the
 * {@link RoomAccess} decides who may join and whom a member sees. Room names follow the rules of peer ids
 * ({@link PeerIds}). The frames are written down in {@code docs/PROTOCOL.md}.
 *
 * @param enabled whether the room frames are served; when not, they are refused with
 *     {@link ErrorCodes#ROOMS_DISABLED}
 * @param maxRoomsPerPeer the most rooms one client may be in at once; one more is {@link ErrorCodes#TOO_MANY_ROOMS}
 * @param maxMembers the most members one room holds; one more is {@link ErrorCodes#ROOM_FULL}
 */
public record RoomPolicy(boolean enabled, int maxRoomsPerPeer, int maxMembers) {
    /** The most rooms one client may be in when rooms are on and no other bound is given. */
    public static final int DEFAULT_MAX_ROOMS_PER_PEER = 16;
    /** The most members of one room when rooms are on and no other bound is given. */
    public static final int DEFAULT_MAX_MEMBERS = 256;

    /** Rooms off: the default. */
    public static final RoomPolicy DISABLED = new RoomPolicy(false, DEFAULT_MAX_ROOMS_PER_PEER, DEFAULT_MAX_MEMBERS);

    /** Rooms on, with the default bounds: 16 rooms per client, 256 members per room. */
    public static final RoomPolicy ENABLED = new RoomPolicy(true, DEFAULT_MAX_ROOMS_PER_PEER, DEFAULT_MAX_MEMBERS);

    /**
     * Checks the bounds.
     *
     * @param enabled whether rooms are served
     * @param maxRoomsPerPeer the most rooms per client, at least 1
     * @param maxMembers the most members per room, at least 1
     * @throws IllegalArgumentException if a bound is below 1
     */
    public RoomPolicy {
        if (maxRoomsPerPeer < 1 || maxMembers < 1) {
            throw new IllegalArgumentException("room bounds must be at least 1, were " + maxRoomsPerPeer
                    + " rooms per peer and " + maxMembers + " members per room");
        }
    }

    /**
     * {@return rooms on with these bounds}
     *
     * @param maxRoomsPerPeer the most rooms per client, at least 1
     * @param maxMembers the most members per room, at least 1
     */
    public static RoomPolicy enabled(int maxRoomsPerPeer, int maxMembers) {
        return new RoomPolicy(true, maxRoomsPerPeer, maxMembers);
    }

    @Override
    public String toString() {
        return enabled ? "on(" + maxRoomsPerPeer + " rooms per peer, " + maxMembers + " members per room)" : "off";
    }
}
