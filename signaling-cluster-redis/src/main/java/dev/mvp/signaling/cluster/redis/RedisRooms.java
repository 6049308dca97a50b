package dev.mvp.signaling.cluster.redis;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.Peer;
import dev.mvp.signaling.core.RoomDirectory;
import dev.mvp.signaling.core.SignalingHub;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room directory of a clustered hub: every room is a Redis hash of its members, each member's value the
 * instance of the node it is on. The rule is the directory's: a membership is written and deleted only by
 * the node it names, or it ends with that node's lease (a member whose node's liveness key expired counts as
 * gone, and the scripts that read a room drop it). So a node that dies takes out only its own members, within
 * its lease, and never another node's.
 *
 * <p>Joins and leaves are announced on the broadcast channel as {@code {"k":"room","o":instance,"e":"joined"
 * or "left","r":room,"id":id}}; each node tells its own members of the room ({@link SignalingHub#memberJoined},
 * {@link SignalingHub#memberLeft}). A node remembers the members of other nodes in the rooms its own members
 * are in; when the heartbeat finds such a node dead, its members there are reported left, once per node.
 *
 * <p>A client that resumes or replaces its connection on another node keeps its rooms: the node it left forgets
 * its memberships without a word ({@link #handingOver}), the node it came back on sets itself as their owner in
 * one script ({@link #takeOver}) and announces {@code "e":"moved"}, which other nodes only note (where to
 * expect its leave from, whose death takes it out); nobody is told of a leave or a join.
 *
 * <p>While Redis is away a join is checked on this node only (the bound on members too) and the heartbeat
 * writes it once Redis is back; a leave that Redis did not take is retried by the heartbeat.
 */
final class RedisRooms implements RoomDirectory {
    private static final Logger log = LoggerFactory.getLogger(RedisRooms.class);
    static final String EVENT = "room";
    private static final int REFRESH_BATCH = 200;

    /**
     * Joins ARGV[1] for instance ARGV[2] unless ARGV[3] other live members are in; drops members whose node
     * (liveness key ARGV[4] .. instance) is gone. Answers "already", "full" or "joined".
     */
    private static final String JOIN = """
            local all = redis.call('HGETALL', KEYS[1])
            local live = 0
            for i = 1, #all, 2 do
              local id, owner = all[i], all[i + 1]
              if redis.call('EXISTS', ARGV[4] .. owner) == 0 then
                redis.call('HDEL', KEYS[1], id)
              elseif id == ARGV[1] then
                if owner == ARGV[2] then return 'already' end
              else
                live = live + 1
              end
            end
            if live >= tonumber(ARGV[3]) then return 'full' end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 'joined'
            """;

    /** Deletes the membership ARGV[1] only if instance ARGV[2] holds it. */
    private static final String LEAVE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              return redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 0
            """;

    /** The live members as id, instance, id, instance...; drops those whose node is gone. */
    private static final String MEMBERS = """
            local all = redis.call('HGETALL', KEYS[1])
            local out = {}
            for i = 1, #all, 2 do
              if redis.call('EXISTS', ARGV[1] .. all[i + 1]) == 1 then
                table.insert(out, all[i])
                table.insert(out, all[i + 1])
              else
                redis.call('HDEL', KEYS[1], all[i])
              end
            end
            return out
            """;

    /**
     * Makes instance ARGV[3] the owner of member ARGV[1] if instance ARGV[2] (the node it resumed from) owns
     * it, or nobody does; answers 1 when ARGV[3] owns it then, 0 when a third instance does.
     */
    private static final String TAKE_OVER = """
            local owner = redis.call('HGET', KEYS[1], ARGV[1])
            if owner == ARGV[3] then return 1 end
            if owner and owner ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """;

    /** Writes again this instance's memberships that are missing (space-separated ids per room) and extends each room. */
    private static final String REFRESH = """
            for i, k in ipairs(KEYS) do
              for id in string.gmatch(ARGV[i + 2], '%S+') do
                redis.call('HSETNX', k, id, ARGV[1])
              end
              redis.call('PEXPIRE', k, ARGV[2])
            end
            return 0
            """;

    private final RedisCluster cluster;
    private final Keys keys;
    /** This node's members, by room. */
    private final Map<String, Set<String>> local = new ConcurrentHashMap<>();
    /** Members of other nodes in the rooms this node's members are in: room, id, instance. */
    private final Map<String, Map<String, String>> remote = new ConcurrentHashMap<>();
    /** Leaves Redis did not take (room, id), retried by the heartbeat. */
    private final Set<List<String>> unfinishedLeaves = ConcurrentHashMap.newKeySet();
    /** Take-overs Redis did not take (room, id, the instance it came from), retried by the heartbeat. */
    private final Set<List<String>> unfinishedTakeOvers = ConcurrentHashMap.newKeySet();

    RedisRooms(RedisCluster cluster, Keys keys) {
        this.cluster = cluster;
        this.keys = keys;
    }

    @Override
    public Outcome join(String room, String id, int maxMembers) {
        unfinishedLeaves.remove(List.of(room, id));
        Outcome outcome;
        try {
            String answer = cluster.sync(1).eval(JOIN, ScriptOutputType.VALUE, new String[] {keys.room(room)}, id,
                    cluster.instance(), Integer.toString(maxMembers), keys.node(""), roomLease());
            outcome = switch (answer) {
                case "already" -> Outcome.MEMBER_ALREADY;
                case "full" -> Outcome.FULL;
                default -> Outcome.JOINED;
            };
        } catch (RedisException e) {
            // Redis is away: checked on this node only; the heartbeat writes it once Redis is back.
            cluster.degraded(e);
            Set<String> here = local.get(room);
            int known = (here == null ? 0 : here.size()) + remote.getOrDefault(room, Map.of()).size();
            outcome = here != null && here.contains(id) ? Outcome.MEMBER_ALREADY
                    : known >= maxMembers ? Outcome.FULL : Outcome.JOINED;
        }
        if (outcome != Outcome.FULL) {
            remember(room, id);
        }
        if (outcome == Outcome.JOINED) {
            announce("joined", room, id);
        }
        return outcome;
    }

    @Override
    public boolean leave(String room, String id) {
        if (!forget(room, id)) {
            return false;
        }
        if (!cluster.isOpen()) {
            return true;
        }
        try {
            cluster.sync(1).eval(LEAVE, ScriptOutputType.INTEGER, new String[] {keys.room(room)}, id, cluster.instance());
        } catch (RedisException e) {
            cluster.degraded(e);
            unfinishedLeaves.add(List.of(room, id));
        }
        announce("left", room, id);
        return true;
    }

    /** The member moves to the node it resumed on, which takes it over in Redis: forgotten here only. */
    @Override
    public void handingOver(String room, String id) {
        forget(room, id);
    }

    @Override
    public boolean takeOver(String room, String id, Peer holder) {
        String from = holder instanceof RedisDirectory.RemotePeer p && p.instance() != null ? p.instance() : "";
        boolean taken;
        try {
            Long answer = cluster.sync(1).eval(TAKE_OVER, ScriptOutputType.INTEGER, new String[] {keys.room(room)}, id,
                    from, cluster.instance(), roomLease());
            taken = answer != null && answer == 1L;
        } catch (RedisException e) {
            cluster.degraded(e); // a member here; the heartbeat takes it over in Redis once Redis is back
            unfinishedTakeOvers.add(List.of(room, id, from));
            taken = true;
        }
        if (!taken) {
            return false;
        }
        remember(room, id);
        remote.computeIfPresent(room, (r, members) -> {
            members.remove(id); // its own now: the death of the node it came from does not take it out
            return members;
        });
        announce("moved", room, id);
        return true;
    }

    /** Makes {@code id} one of this node's members of {@code room}. */
    private void remember(String room, String id) {
        local.compute(room, (r, ids) -> {
            Set<String> members = ids != null ? ids : ConcurrentHashMap.newKeySet();
            members.add(id);
            return members;
        });
    }

    /** Takes {@code id} out of this node's members of {@code room}; whether it was one. */
    private boolean forget(String room, String id) {
        boolean[] was = new boolean[1];
        boolean[] last = new boolean[1];
        local.computeIfPresent(room, (r, ids) -> {
            was[0] = ids.remove(id);
            last[0] = ids.isEmpty();
            return last[0] ? null : ids;
        });
        if (was[0] && last[0]) {
            remote.remove(room); // nobody here to tell about that room any more
        }
        return was[0];
    }

    @Override
    public List<String> members(String room) {
        List<String> ids = new ArrayList<>();
        try {
            List<Object> flat = cluster.sync(1).eval(MEMBERS, ScriptOutputType.MULTI, new String[] {keys.room(room)},
                    keys.node(""));
            boolean watched = local.containsKey(room);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                String id = String.valueOf(flat.get(i));
                String owner = String.valueOf(flat.get(i + 1));
                ids.add(id);
                if (watched && !owner.equals(cluster.instance())) {
                    remote.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(id, owner);
                }
            }
        } catch (RedisException e) {
            cluster.degraded(e); // what this node knows: its own members and those it heard of
            ids.addAll(local.getOrDefault(room, Set.of()));
            ids.addAll(remote.getOrDefault(room, Map.of()).keySet());
        }
        return ids;
    }

    private String roomLease() {
        return Long.toString(cluster.lease().toMillis() * 3);
    }

    private void announce(String event, String room, String id) {
        if (!cluster.isOpen()) {
            return;
        }
        JsonObject o = new JsonObject();
        o.addProperty("k", EVENT);
        o.addProperty("o", cluster.instance());
        o.addProperty("e", event);
        o.addProperty("r", room);
        o.addProperty("id", id);
        try {
            cluster.async(1).publish(keys.events(), o.toString());
        } catch (RedisException e) {
            cluster.degraded(e); // the others learn it from a members list, or see the member go with the lease
        }
    }

    /** A join or leave announced by another node, on the inbox thread. */
    void received(JsonObject o) {
        String origin = Wire.str(o, "o");
        String room = Wire.str(o, "r");
        String id = Wire.str(o, "id");
        SignalingHub hub = cluster.hub();
        if (origin == null || room == null || id == null || origin.equals(cluster.instance()) || hub == null
                || !local.containsKey(room)) {
            return;
        }
        String event = Wire.str(o, "e");
        if ("moved".equals(event)) { // resumed there: where its leave will come from; nobody is told
            remote.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(id, origin);
        } else if ("joined".equals(event)) {
            remote.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(id, origin);
            hub.memberJoined(room, id); // the hub tells only members not told of it yet
        } else {
            Map<String, String> members = remote.get(room);
            // Only a leave from the node it was last seen on: not one that arrives after it joined elsewhere.
            if (members != null && members.remove(id, origin)) {
                hub.memberLeft(room, id); // to those told it was there: once, even if its node was found dead
            }
        }
    }


    /** On the heartbeat: writes this node's memberships again (after a Redis restart), retries leaves and take-overs. */
    void refresh(RedisCommands<String, String> r) {
        for (List<String> unfinished : List.copyOf(unfinishedTakeOvers)) {
            cluster.counted(1);
            r.eval(TAKE_OVER, ScriptOutputType.INTEGER, new String[] {keys.room(unfinished.get(0))}, unfinished.get(1),
                    unfinished.get(2), cluster.instance(), roomLease());
            unfinishedTakeOvers.remove(unfinished);
            announce("moved", unfinished.get(0), unfinished.get(1));
        }
        for (List<String> unfinished : List.copyOf(unfinishedLeaves)) {
            cluster.counted(1);
            r.eval(LEAVE, ScriptOutputType.INTEGER, new String[] {keys.room(unfinished.get(0))}, unfinished.get(1),
                    cluster.instance());
            unfinishedLeaves.remove(unfinished);
        }
        List<Map.Entry<String, Set<String>>> rooms = new ArrayList<>(local.entrySet());
        for (int from = 0; from < rooms.size(); from += REFRESH_BATCH) {
            List<Map.Entry<String, Set<String>>> batch = rooms.subList(from, Math.min(rooms.size(), from + REFRESH_BATCH));
            String[] batchKeys = new String[batch.size()];
            String[] args = new String[batch.size() + 2];
            args[0] = cluster.instance();
            args[1] = roomLease();
            for (int i = 0; i < batch.size(); i++) {
                batchKeys[i] = keys.room(batch.get(i).getKey());
                args[i + 2] = String.join(" ", batch.get(i).getValue());
            }
            cluster.counted(1);
            r.eval(REFRESH, ScriptOutputType.INTEGER, batchKeys, args);
        }
    }

    /** On the heartbeat: members of nodes whose liveness key expired are reported left, once. */
    void findDeadNodes(RedisCommands<String, String> r) {
        Set<String> instances = new HashSet<>();
        remote.values().forEach(members -> instances.addAll(members.values()));
        Map<String, Boolean> alive = new HashMap<>();
        for (String instance : instances) {
            cluster.counted(1);
            alive.put(instance, r.exists(keys.node(instance)) == 1);
        }
        SignalingHub hub = cluster.hub();
        remote.forEach((room, members) -> members.forEach((id, instance) -> {
            if (!alive.getOrDefault(instance, true) && members.remove(id, instance)) {
                log.debug("Node {}: '{}' left room '{}' with its node {}", cluster.instance(), id, room, instance);
                if (hub != null) {
                    cluster.onInbox(() -> hub.memberLeft(room, id));
                }
            }
        }));
    }

    @Override
    public String toString() {
        return "RedisRooms[" + cluster.instance() + ", " + local.size() + " rooms with local members]";
    }
}
