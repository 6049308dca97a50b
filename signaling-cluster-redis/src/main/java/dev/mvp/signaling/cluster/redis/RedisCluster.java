package dev.mvp.signaling.cluster.redis;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.ErrorCodes;
import dev.mvp.signaling.core.Peer;
import dev.mvp.signaling.core.PeerDirectory;
import dev.mvp.signaling.core.RoomDirectory;
import dev.mvp.signaling.core.SignalingHub;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's membership of a cluster on Redis: the {@link PeerDirectory} its hub routes through, the
 * heartbeat that keeps its entries leased, and the acknowledged delivery of messages to other nodes.
 * The design and every failure are described in {@code docs/CLUSTER.md}.
 *
 * <pre>{@code
 * RedisCluster cluster = RedisCluster.connect(RedisClusterConfig.builder().redisUri(url).nodeId(id).build());
 * SignalingHub hub = new SignalingHub(HubConfig.builder().directory(cluster.directory()).build());
 * cluster.attach(hub);
 * ...                       // serve; cluster.status() for readiness and /status
 * cluster.drain();          // on SIGTERM: this node's entries go at once
 * hub.close();              // clients get "server shutting down" and reconnect elsewhere
 * cluster.close();
 * }</pre>
 *
 * <p><b>Delivery.</b> A message for a peer of another node is published on that node's channel and
 * counted as accepted by the hub; it ends in exactly one outcome for its sender: confirmed by the other
 * node (the recipient got it; the sender hears nothing, as on one node), or bounced with an error frame:
 * {@link ErrorCodes#PEER_NOT_FOUND} (the other node no longer has the peer),
 * {@link ClusterErrorCodes#NODE_UNREACHABLE} (nobody listened), {@link ClusterErrorCodes#CLUSTER_UNAVAILABLE}
 * (Redis failed) or {@link ClusterErrorCodes#DELIVERY_UNCONFIRMED} (no answer in time). Nothing is sent
 * twice.
 *
 * <p>Thread-safe. Messages from other nodes are handed to this node's peers on one thread, in the order
 * they were published, so frames one sender sends reach the recipient in order.
 */
public final class RedisCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    private static final int REFRESH_BATCH = 200;
    /** About how many characters of frames one published batch carries at most. */
    private static final int MAX_FRAME_CHARS = 256 * 1024;

    /** Extends this instance's entries, re-creates lost ones ("r" + index) and reports others' ("c" + index). */
    private static final String REFRESH = """
            local out = {}
            for i, k in ipairs(KEYS) do
              local v = redis.call('GET', k)
              if v == ARGV[1] or v == ARGV[1] .. '%1$s' then
                redis.call('PEXPIRE', k, ARGV[2])
              elseif not v then
                redis.call('SET', k, ARGV[1], 'PX', ARGV[2])
                table.insert(out, 'r' .. i)
              else
                table.insert(out, 'c' .. i)
              end
            end
            return out
            """.formatted(RedisDirectory.AWAY);

    private final RedisClusterConfig config;
    private final String instance;
    private final Keys keys;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final RedisDirectory directory;
    private final RedisRooms rooms;
    private final ExecutorService inbox;
    private final ExecutorService outbox;
    /** The messages waiting for the outbox thread, by target instance. */
    private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> heartbeat;
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Deliveries to confirm, by the instance that sent them; touched by the inbox thread only. */
    private final Map<String, List<Long>> pendingAcks = new HashMap<>();
    /** Take-overs this node asked another node for, waiting for the answer. */
    private final Map<Long, CompletableFuture<Peer.HandOver>> handOvers = new ConcurrentHashMap<>();
    /** Peers of other nodes this node's peers exchanged messages with, and the instance they were on. */
    private final Map<String, String> remoteContacts = new ConcurrentHashMap<>();
    /** Instances found dead: their entries, until they expire, are taken for absent. */
    private final Set<String> deadNodes = ConcurrentHashMap.newKeySet();
    /** The message the inbox thread is routing again after a nack (compared by identity); see {@link #handle}. */
    private Envelope retrying; // touched by the inbox thread only
    /** Held by a heartbeat and by the drain, so that they never overlap. */
    private final Object beating = new Object();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    /** Bounces by code; every code this class bounces with is present from the start (see {@link #messagesBounced}). */
    private final Map<String, LongAdder> bounced = new ConcurrentHashMap<>();
    private volatile SignalingHub hub;
    private volatile ClusterStatus status = ClusterStatus.CONNECTED;
    private volatile boolean sharing = true;
    private volatile boolean closed;
    /** When the heartbeat last found Redis again after an outage (or first connected). */
    private volatile long connectedSince = System.nanoTime();

    /**
     * A message published to another node, waiting for its outcome until {@code deadline}
     * ({@link System#nanoTime}); {@code retry} when routed a second time.
     */
    private record InFlight(Envelope envelope, long deadline, boolean retry) {}

    private RedisCluster(RedisClusterConfig config) {
        this.config = config;
        this.instance = config.nodeId() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.keys = new Keys(config.keyPrefix());
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(config.redisUri()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(config.commandTimeout()).build())
                .build());
        this.inbox = Executors.newSingleThreadExecutor(named("signaling-cluster-inbox"));
        this.outbox = Executors.newSingleThreadExecutor(named("signaling-cluster-outbox"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("signaling-cluster-timer"));
        this.directory = new RedisDirectory(this);
        this.rooms = new RedisRooms(this, keys);
        for (String code : List.of(ErrorCodes.PEER_NOT_FOUND, ClusterErrorCodes.NODE_UNREACHABLE,
                ClusterErrorCodes.CLUSTER_UNAVAILABLE, ClusterErrorCodes.DELIVERY_UNCONFIRMED)) {
            bounced.put(code, new LongAdder());
        }
        StatefulRedisConnection<String, String> c = null;
        StatefulRedisPubSubConnection<String, String> s = null;
        try {
            c = client.connect(Utf8Codec.INSTANCE);
            c.setTimeout(config.commandTimeout());
            s = client.connectPubSub(Utf8Codec.INSTANCE);
            s.setTimeout(config.commandTimeout());
            s.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received(message);
                }
            });
            s.sync().subscribe(keys.inbox(instance), keys.events());
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            if (c != null) {
                c.close();
            }
            shutDownQuietly();
            throw new IllegalStateException("cannot reach Redis at " + where(config.redisUri()) + ": " + e.getMessage(), e);
        }
        this.connection = c;
        this.subscription = s;
        beat();
        long period = Math.max(50, config.lease().toMillis() / 4);
        this.heartbeat = timer.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        // One sweep for every message's confirmation timeout, rather than a timer task per message.
        long sweep = Math.max(10, config.ackTimeout().toMillis() / 10);
        timer.scheduleWithFixedDelay(this::expireUnconfirmed, sweep, sweep, TimeUnit.MILLISECONDS);
        log.info("Node {} joined the cluster at {} as {} ({})", config.nodeId(), where(config.redisUri()), instance, config);
    }

    /**
     * Connects to Redis and joins the cluster. Returns once this node's subscription is confirmed.
     *
     * @param config the settings
     * @return the joined cluster
     * @throws IllegalStateException if Redis cannot be reached now (later outages are survived)
     */
    public static RedisCluster connect(RedisClusterConfig config) {
        return new RedisCluster(config);
    }

    /** {@return the directory to give the hub: {@code HubConfig.builder().directory(cluster.directory())}} */
    public PeerDirectory directory() {
        return directory;
    }

    /**
     * {@return the room directory to give the hub when rooms are on:
     * {@code HubConfig.builder().roomDirectory(cluster.rooms())}} Rooms and presence then span the nodes.
     */
    public RoomDirectory rooms() {
        return rooms;
    }

    /**
     * Gives the cluster the hub built with {@link #directory()}, so messages from other nodes reach its
     * peers and failed deliveries reach their senders. Call once, right after building the hub.
     *
     * @param hub the hub built on {@link #directory()}
     * @throws IllegalStateException if a hub is attached already
     */
    public void attach(SignalingHub hub) {
        if (this.hub != null) {
            throw new IllegalStateException("a hub is attached already");
        }
        this.hub = hub;
    }

    /** {@return connected or degraded, as the last heartbeat found (closed after a drain); for readiness and {@code /status}} */
    public ClusterStatus status() {
        return closed || !sharing ? ClusterStatus.CLOSED : status;
    }

    /** {@return this node's configured (or generated) id} */
    public String nodeId() {
        return config.nodeId();
    }

    /** {@return this run of the node in the directory: the node id and a suffix new at every start} */
    public String instance() {
        return instance;
    }

    /** {@return how many messages sent to other nodes have no known outcome yet} */
    public int inFlight() {
        return inFlight.size();
    }

    /** {@return how many messages this node has published to other nodes' channels for their peers, since it joined} */
    public long messagesSent() {
        return sent.sum();
    }

    /** {@return how many messages from other nodes for this node's peers it has received, since it joined} */
    public long messagesReceived() {
        return received.sum();
    }

    /**
     * {@return the messages to peers of other nodes bounced to their senders, by error code, since the node
     * joined: {@code peer-not-found}, {@code node-unreachable}, {@code cluster-unavailable} and
     * {@code delivery-unconfirmed}, each present, 0 until used}
     */
    public Map<String, Long> messagesBounced() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        bounced.forEach((code, n) -> counts.put(code, n.sum()));
        return counts;
    }

    /** {@return how many Redis commands this node has issued so far (heartbeats included), for measuring} */
    public long redisCommands() {
        return commands.get();
    }

    /**
     * Leaves the directory at once, for a node about to stop (SIGTERM): its entries and its liveness key
     * are deleted now, not at lease expiry, so other nodes stop routing here; messages already on their
     * way still get their outcome. Bounded by the command timeout. Idempotent.
     */
    public void drain() {
        if (!sharing) {
            return;
        }
        sharing = false;
        heartbeat.cancel(false);
        synchronized (beating) { // after a heartbeat under way: it would write the liveness key again
            try {
                RedisCommands<String, String> r = connection.sync();
                for (String id : directory.localIds()) {
                    commands.incrementAndGet();
                    r.eval(RedisDirectory.RELEASE, ScriptOutputType.INTEGER, new String[] {keys.peer(id)}, instance);
                }
                commands.incrementAndGet();
                r.del(keys.node(instance));
                commands.incrementAndGet();
                r.publish(keys.events(), Wire.drained(instance)); // other nodes forget where they found its peers
                log.info("Node {} left the directory", instance);
            } catch (RedisException e) {
                log.warn("Node {} could not delete its entries ({}); they expire within {} ms", instance,
                        e.getMessage(), config.lease().toMillis());
            }
        }
    }

    /**
     * Drains (if not done), bounces what is still in flight, and disconnects from Redis. Close the hub
     * first, so its byes to other nodes go out. Bounded in time. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        drain();
        awaitOutbox();
        try {
            commands.incrementAndGet();
            connection.sync().ping(); // after everything published before it: the byes of a closing hub
        } catch (RedisException e) {
            // nothing more to flush
        }
        closed = true;
        for (Long n : List.copyOf(inFlight.keySet())) {
            settle(n, ClusterErrorCodes.DELIVERY_UNCONFIRMED, "the node closed before the delivery was confirmed");
        }
        subscription.close();
        connection.close();
        shutDownQuietly();
    }

    /** Waits (up to the command timeout) until the outbox thread has published what waits for it. */
    private void awaitOutbox() {
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        try {
            while (outboxes.values().stream().anyMatch(b -> !b.queue.isEmpty() || b.scheduled.get())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                outbox.submit(() -> { }).get(left, TimeUnit.NANOSECONDS); // runs after the flushes queued before it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // what is left is bounced below, as still in flight
        }
    }

    @Override
    public String toString() {
        return "RedisCluster[" + instance + ", " + status() + ", " + directory.localIds().size() + " local peers]";
    }

    // --- used by the directory ------------------------------------------------------------------------

    /** Whether this node claims, renews and announces entries: not once it drains. */
    boolean isSharing() {
        return sharing && !closed;
    }

    /** Whether this node still looks peers up and sends to other nodes: until it closes or crashes. */
    boolean isOpen() {
        return !closed;
    }

    String eval(String script, String id) {
        commands.incrementAndGet();
        return connection.sync().eval(script, ScriptOutputType.VALUE, new String[] {keys.peer(id)}, instance,
                Long.toString(config.lease().toMillis()));
    }

    /** The value of {@code id}'s entry (the holding instance, marked when away), or null. */
    String owner(String id) {
        commands.incrementAndGet();
        return connection.sync().get(keys.peer(id));
    }

    /** {@return the lease in nanoseconds: how long a lookup may be remembered at most} */
    long leaseNanos() {
        return config.lease().toNanos();
    }

    /** Whether {@code instance} was found dead: its entries, until they expire, are taken for absent. */
    boolean isDead(String instance) {
        return deadNodes.contains(instance);
    }

    /** Marks {@code id}'s entry away: other nodes then hold their messages for it, as this node does. */
    void markAway(String id) {
        if (!isSharing()) {
            return;
        }
        try {
            commands.incrementAndGet();
            connection.async().eval(RedisDirectory.MARK_AWAY, ScriptOutputType.VALUE, new String[] {keys.peer(id)},
                    instance, Long.toString(config.lease().toMillis()));
        } catch (RedisException e) {
            degraded(e); // other nodes keep sending; this node answers nack, and they bounce peer-not-found
        }
    }

    /** Gives {@code id}'s entry to {@code successor}, which takes the id over; issued before the answer to it. */
    void transfer(String id, String successor) {
        try {
            commands.incrementAndGet();
            connection.async().eval(RedisDirectory.TRANSFER, ScriptOutputType.VALUE, new String[] {keys.peer(id)},
                    instance, Long.toString(config.lease().toMillis()), successor);
        } catch (RedisException e) {
            degraded(e); // the entry expires with the lease; the successor writes its own then
        }
    }

    /**
     * Asks {@code target} to give {@code id} up to a connection of this node that presented
     * {@code token}; waits for the answer up to the acknowledgement timeout.
     *
     * @return the contacts and rooms the newcomer inherits, or null when the id was not given (or no answer came)
     */
    Peer.HandOver requestHandOver(String target, String id, String token, boolean replaceConnected) {
        if (!isSharing()) {
            return null;
        }
        long n = sequence.incrementAndGet();
        CompletableFuture<Peer.HandOver> answer = new CompletableFuture<>();
        handOvers.put(n, answer);
        try {
            commands.incrementAndGet();
            Long heard = connection.sync().publish(keys.inbox(target), Wire.take(n, instance, id, token, replaceConnected));
            if (heard == null || heard == 0) {
                return null;
            }
            return answer.get(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RedisException e) {
            degraded(e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Node {}: {} did not answer the take-over of '{}' within {} ms; the newcomer is refused", instance,
                    target, id, config.ackTimeout().toMillis());
            return null;
        } finally {
            handOvers.remove(n);
        }
    }

    void release(String id) {
        if (!isOpen()) {
            return;
        }
        try {
            commands.incrementAndGet();
            connection.async().eval(RedisDirectory.RELEASE, ScriptOutputType.INTEGER, new String[] {keys.peer(id)}, instance);
        } catch (RedisException e) {
            degraded(e); // the entry expires with the lease; messages meanwhile are answered peer-not-found
        }
    }

    void announce(String id) {
        if (!isSharing()) {
            return;
        }
        try {
            commands.incrementAndGet();
            connection.async().publish(keys.events(), Wire.arrived(instance, id));
        } catch (RedisException e) {
            degraded(e);
        }
    }

    /** The hub attached, or null. */
    SignalingHub hub() {
        return hub;
    }

    Duration lease() {
        return config.lease();
    }

    /** Counts {@code n} commands about to be issued on a connection given earlier. */
    void counted(int n) {
        commands.addAndGet(n);
    }

    /** The connection, for {@code n} commands about to be issued, counted. */
    RedisCommands<String, String> sync(int n) {
        counted(n);
        return connection.sync();
    }

    /** The connection without waiting, for {@code n} commands about to be issued, counted. */
    RedisAsyncCommands<String, String> async(int n) {
        counted(n);
        return connection.async();
    }

    void degraded(RedisException e) {
        if (status != ClusterStatus.DEGRADED) {
            status = ClusterStatus.DEGRADED;
            log.warn("Node {}: Redis is unavailable ({}); serving local peers only", instance, e.getMessage());
        }
    }

    /** Publishes {@code e} to {@code target}'s channel; its outcome reaches the sender exactly once. */
    void send(String target, Envelope e) {
        noteContact(e.type(), e.to(), target);
        if (target == null) {
            bounceLater(e, ClusterErrorCodes.CLUSTER_UNAVAILABLE, "the cluster is unavailable, so '" + e.to()
                    + "' cannot be reached; the " + e.type() + " was not delivered");
            return;
        }
        long n = sequence.incrementAndGet();
        inFlight.put(n, new InFlight(e, System.nanoTime() + config.ackTimeout().toNanos(), e == retrying));
        if (closed) { // the close may have swept the table already
            settle(n, ClusterErrorCodes.NODE_UNREACHABLE, "this node is closing; the " + e.type() + " was not sent");
            return;
        }
        sent.increment();
        Outbox box = outboxes.computeIfAbsent(target, Outbox::new);
        box.queue.add(new Wire.Outgoing(n, e));
        if (box.scheduled.compareAndSet(false, true)) {
            try {
                outbox.execute(box::flush);
            } catch (RejectedExecutionException closing) {
                box.flush();
            }
        }
    }

    /**
     * The messages waiting to be published to one instance. One thread publishes them, oldest first, as
     * many as have gathered in one frame: order per sender holds, and under load a frame carries many
     * messages for one {@code PUBLISH} (and one confirmation back).
     */
    private final class Outbox {
        final String target;
        final ConcurrentLinkedQueue<Wire.Outgoing> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean scheduled = new AtomicBoolean();

        Outbox(String target) {
            this.target = target;
        }

        void flush() {
            scheduled.set(false); // a message added from now on schedules another flush
            List<Wire.Outgoing> batch = new ArrayList<>();
            long chars = 0;
            Wire.Outgoing next;
            while (chars < MAX_FRAME_CHARS && (next = queue.poll()) != null) {
                batch.add(next);
                chars += next.envelope().frame().length();
            }
            if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                try {
                    outbox.execute(this::flush);
                } catch (RejectedExecutionException closing) {
                    scheduled.set(false);
                }
            }
            if (!batch.isEmpty()) {
                publish(target, batch);
            }
        }
    }

    private void publish(String target, List<Wire.Outgoing> batch) {
        try {
            commands.incrementAndGet();
            connection.async().publish(keys.inbox(target), Wire.messages(instance, batch)).whenComplete((heard, err) -> {
                if (err instanceof RedisException re) {
                    degraded(re); // as soon as a message finds Redis gone, not at the next heartbeat
                }
                for (Wire.Outgoing m : batch) {
                    Envelope e = m.envelope();
                    if (err != null) {
                        settle(m.seq(), ClusterErrorCodes.CLUSTER_UNAVAILABLE, "the cluster is unavailable, so '"
                                + e.to() + "' cannot be reached; the " + e.type() + " was not delivered");
                    } else if (heard == null || heard == 0) {
                        directory.forget(e.to());
                        settle(m.seq(), ClusterErrorCodes.NODE_UNREACHABLE, "the node of '" + e.to()
                                + "' is not reachable; the " + e.type() + " was not delivered");
                    }
                }
            });
        } catch (RuntimeException ex) {
            if (ex instanceof RedisException re) {
                degraded(re);
            }
            for (Wire.Outgoing m : batch) {
                Envelope e = m.envelope();
                settle(m.seq(), ClusterErrorCodes.CLUSTER_UNAVAILABLE, "the cluster is unavailable, so '" + e.to()
                        + "' cannot be reached; the " + e.type() + " was not delivered");
            }
        }
    }

    // --- outcomes -------------------------------------------------------------------------------------

    /** Ends an in-flight message with a bounce, unless another outcome ended it first. */
    private void settle(long n, String code, String text) {
        InFlight f = inFlight.remove(n);
        if (f != null) {
            bounceLater(f.envelope(), code, text);
        }
    }

    private void confirmed(long n) {
        inFlight.remove(n);
    }

    /** Bounces the messages whose confirmation is overdue. */
    private void expireUnconfirmed() {
        long now = System.nanoTime();
        inFlight.forEach((n, f) -> {
            if (now - f.deadline() >= 0) {
                Envelope e = f.envelope();
                settle(n, ClusterErrorCodes.DELIVERY_UNCONFIRMED, "the node of '" + e.to() + "' did not confirm the "
                        + e.type() + " within " + config.ackTimeout().toMillis() + " ms; it may not have been delivered");
            }
        });
    }

    private void bounceLater(Envelope e, String code, String text) {
        bounced.computeIfAbsent(code, c -> new LongAdder()).increment();
        onInbox(() -> {
            SignalingHub h = hub;
            if (h != null) {
                h.bounce(e, code, text); // false when the sender left: there is nobody to tell
            }
        });
    }

    /** Runs {@code task} on the inbox thread, in order with what other nodes sent. */
    void onInbox(Runnable task) {
        try {
            inbox.execute(task);
        } catch (RejectedExecutionException closing) {
            task.run();
        }
    }

    /** Remembers where a peer of another node is, so its contacts here hear of it if that node dies. */
    private void noteContact(String type, String remoteId, String remoteInstance) {
        if ("bye".equals(type)) { // the end of a contact, as on one node
            remoteContacts.remove(remoteId);
        } else if (remoteInstance != null && !deadNodes.contains(remoteInstance)) {
            remoteContacts.put(remoteId, remoteInstance);
        }
    }

    // --- from other nodes -----------------------------------------------------------------------------

    private void received(String text) {
        onInbox(() -> {
            try {
                if (Wire.isBatch(text)) {
                    Wire.Batch batch = Wire.batch(text);
                    batch.messages().forEach(m -> delivered(m.seq(), batch.origin(), m.envelope()));
                } else {
                    handle(Wire.parse(text));
                }
            } catch (RuntimeException e) {
                log.warn("Node {} ignored a frame it cannot read on its channel: {}", instance, e.toString());
            }
        });
    }

    private void handle(JsonObject o) {
        String kind = Wire.str(o, "k");
        if (kind == null) {
            return;
        }
        switch (kind) {
            case Wire.MSG -> delivered(o.get("n").getAsLong(), Wire.str(o, "o"), Wire.envelope(o));
            case Wire.MSGS -> {
                String origin = Wire.str(o, "o");
                o.getAsJsonArray("ms").forEach(m -> delivered(m.getAsJsonObject().get("n").getAsLong(), origin,
                        Wire.envelope(m.getAsJsonObject())));
            }
            case Wire.ACK -> confirmed(o.get("n").getAsLong());
            case Wire.ACKS -> o.getAsJsonArray("ns").forEach(n -> confirmed(n.getAsLong()));
            case Wire.NACK -> {
                // The recipient went away (dropped, or left) since its entry was read: route the message
                // again, once, as the hub routes one just sent: held for a suspended or absent recipient,
                // or delivered where it is now. A second nack ends it.
                long n = o.get("n").getAsLong();
                InFlight f = inFlight.get(n);
                SignalingHub h = hub;
                if (f != null && !f.retry() && h != null && inFlight.remove(n, f)) {
                    directory.forget(f.envelope().to()); // looked up afresh, not from the cache
                    retrying = f.envelope();
                    try {
                        if (!h.redeliver(f.envelope())) {
                            log.debug("Node {}: the sender of a {} left before it could be routed again", instance,
                                    f.envelope().type());
                        }
                    } finally {
                        retrying = null;
                    }
                } else if (f != null) {
                    settle(n, ErrorCodes.PEER_NOT_FOUND, "no peer '" + f.envelope().to() + "' is connected");
                }
            }
            case Wire.TAKE -> {
                String id = Wire.str(o, "id");
                String origin = Wire.str(o, "o");
                if (origin == null) {
                    return;
                }
                SignalingHub h = hub;
                Peer.HandOver given = h == null || id == null ? null
                        : directory.handingOver(id, origin, () -> h.handOver(id, Wire.str(o, "tok"),
                                o.has("r") && o.get("r").getAsBoolean()).orElse(null));
                try {
                    commands.incrementAndGet();
                    connection.async().publish(keys.inbox(origin), Wire.given(o.get("n").getAsLong(), given));
                } catch (RedisException ex) {
                    degraded(ex); // the asking node times out and refuses its newcomer
                }
            }
            case Wire.GIVEN -> {
                CompletableFuture<Peer.HandOver> answer = handOvers.get(o.get("n").getAsLong());
                if (answer != null) {
                    answer.complete(Wire.handOver(o));
                }
            }
            case Wire.DRAINED -> {
                String origin = Wire.str(o, "o");
                if (origin != null) {
                    directory.forgetInstance(origin);
                }
            }
            case Wire.ARRIVED -> {
                String id = Wire.str(o, "id");
                if (id != null) {
                    directory.forget(id); // registered somewhere: the next message looks it up afresh
                }
                SignalingHub h = hub;
                if (h != null && id != null && !instance.equals(Wire.str(o, "o"))) {
                    h.peerArrived(id);
                }
            }
            case RedisRooms.EVENT -> rooms.received(o);
            default -> { } // a ping, or a kind a newer node sends: nothing to do
        }
    }

    /** Hands message {@code n} from {@code origin} to its recipient here, and confirms it or answers nack. */
    private void delivered(long n, String origin, Envelope e) {
        received.increment();
        noteContact(e.type(), e.from(), origin);
        Peer recipient = hub == null ? null : directory.local(e.to());
        if (recipient != null && recipient.deliver(e)) {
            // Confirmed together with the other messages of this run of the inbox: one publish each.
            boolean first = pendingAcks.isEmpty();
            pendingAcks.computeIfAbsent(origin, k -> new ArrayList<>()).add(n);
            if (first) {
                onInbox(this::flushAcks);
            }
        } else {
            publishOutcome(origin, Wire.outcome(Wire.NACK, n));
        }
    }

    /** Publishes the confirmations gathered while the inbox handled what had arrived; on the inbox thread. */
    private void flushAcks() {
        pendingAcks.forEach((origin, seqs) -> publishOutcome(origin, Wire.acks(seqs)));
        pendingAcks.clear();
    }

    private void publishOutcome(String origin, String frame) {
        try {
            commands.incrementAndGet();
            connection.async().publish(keys.inbox(origin), frame);
        } catch (RedisException ex) {
            degraded(ex); // the sender's node times out and bounces as unconfirmed
        }
    }

    // --- heartbeat ------------------------------------------------------------------------------------

    /** Renews the lease, re-publishes lost entries, confirms the subscription and looks for dead nodes. */
    private void beat() {
        synchronized (beating) {
            if (isSharing()) {
                beatOnce();
            }
        }
    }

    private void beatOnce() {
        try {
            RedisCommands<String, String> r = connection.sync();
            commands.incrementAndGet();
            r.set(keys.node(instance), "1", SetArgs.Builder.px(Math.max(1, config.lease().toMillis() * 3 / 4)));
            renewEntries(r, directory.localIds());
            rooms.refresh(r);
            confirmSubscription(r);
            if (status != ClusterStatus.CONNECTED) {
                status = ClusterStatus.CONNECTED;
                connectedSince = System.nanoTime();
                log.info("Node {}: Redis is back; cross-node routing resumed", instance);
            }
            // A Redis that restarted empty has lost every node's liveness key: only after a whole lease
            // connected has every live node written its key again, and a missing one means a dead node.
            if (System.nanoTime() - connectedSince >= config.lease().toNanos()) {
                findDeadNodes(r);
                rooms.findDeadNodes(r);
            }
        } catch (RedisException | IllegalStateException e) {
            degraded(e instanceof RedisException re ? re : new RedisException(e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("Node {}: heartbeat failed", instance, e);
        }
    }

    /** Renews {@code ids} as a heartbeat that looked at this node's peers earlier would; for tests of that race. */
    void renewEntries(List<String> ids) {
        synchronized (beating) {
            renewEntries(connection.sync(), ids);
        }
    }

    /**
     * Renews the entries of {@code ids}, this node's peers when the heartbeat looked. A peer may leave
     * (or the node drain) between that look and the script: the script then writes its entry again as
     * lost, and nothing would remove it before the lease ran out, so such an entry is released at once.
     */
    void renewEntries(RedisCommands<String, String> r, List<String> ids) {
        String lease = Long.toString(config.lease().toMillis());
        for (int from = 0; from < ids.size(); from += REFRESH_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + REFRESH_BATCH));
            String[] batchKeys = batch.stream().map(keys::peer).toArray(String[]::new);
            commands.incrementAndGet();
            List<Object> out = r.eval(REFRESH, ScriptOutputType.MULTI, batchKeys, instance, lease);
            for (Object item : out) {
                String s = String.valueOf(item);
                String id = batch.get(Integer.parseInt(s.substring(1)) - 1);
                if (!isSharing() || directory.local(id) == null) {
                    if (s.charAt(0) == 'r') {
                        release(id); // left since the look: written again by the script, removed again here
                    }
                } else if (s.charAt(0) == 'r') {
                    announce(id);
                } else {
                    // Registered here while Redis was away, and meanwhile on another node: that one is in the
                    // directory, so this one ends (its client reconnects and is told id-taken).
                    log.warn("Node {}: '{}' is registered on another node too; closing it here", instance, id);
                    SignalingHub h = hub;
                    if (h != null) {
                        onInbox(() -> h.disconnect(id, dev.mvp.signaling.core.CloseCodes.REPLACED,
                                "the id is registered on another node"));
                    }
                }
            }
        }
    }

    private void confirmSubscription(RedisCommands<String, String> r) {
        commands.incrementAndGet();
        Long heard = r.publish(keys.inbox(instance), Wire.ping());
        if (heard == null || heard == 0) {
            log.warn("Node {}: its subscription was lost; subscribing again", instance);
            subscription.sync().subscribe(keys.inbox(instance), keys.events());
            commands.incrementAndGet();
            heard = r.publish(keys.inbox(instance), Wire.ping());
            if (heard == null || heard == 0) {
                throw new IllegalStateException("the subscription is not confirmed");
            }
        }
    }

    /** Nodes whose liveness key expired: their peers are gone, so their contacts here get bye. */
    private void findDeadNodes(RedisCommands<String, String> r) {
        Map<String, List<String>> byNode = new HashMap<>();
        remoteContacts.forEach((id, node) -> byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(id));
        Set<String> dead = new HashSet<>();
        for (String node : byNode.keySet()) {
            commands.incrementAndGet();
            if (r.exists(keys.node(node)) == 0) {
                dead.add(node);
            }
        }
        for (String node : dead) {
            deadNodes.add(node);
            log.info("Node {}: node {} stopped heartbeating; telling its peers' contacts", instance, node);
            for (String id : byNode.get(node)) {
                if (remoteContacts.remove(id, node)) {
                    SignalingHub h = hub;
                    if (h != null) {
                        onInbox(() -> h.peerLost(id));
                    }
                }
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    /**
     * Stops as a killed process would, for tests of node death: no heartbeat, no goodbye, the connections
     * cut; the entries stay in Redis until their lease runs out.
     */
    void crash() {
        closed = true;
        heartbeat.cancel(false);
        subscription.close();
        connection.close();
        shutDownQuietly();
    }

    private void shutDownQuietly() {
        timer.shutdownNow();
        outbox.shutdown();
        inbox.shutdown();
        try {
            outbox.awaitTermination(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            inbox.awaitTermination(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            timer.awaitTermination(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.shutdownNow();
        inbox.shutdownNow();
        client.shutdown(Duration.ZERO, config.commandTimeout());
        resources.shutdown(0, config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String where(String uri) {
        RedisURI u = RedisURI.create(uri);
        return u.getHost() + ":" + u.getPort();
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
