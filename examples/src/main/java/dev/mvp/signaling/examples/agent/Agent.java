package dev.mvp.signaling.examples.agent;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebRTC peer that signals through the server: it registers its id, then either answers the offers
 * it receives ({@code listen}) or offers to a named peer ({@link #connect}), and opens one data channel
 * with one peer at a time.
 *
 * <pre>{@code
 * try (Agent agent = Agent.start(AgentConfig.chat("bob", URI.create("ws://localhost:8000/ws/bob")), listener)) {
 *     agent.connect("alice");        // or do nothing and wait for alice's offer
 *     ...                            // listener.channelOpen(...), then agent.send("hi")
 *     agent.hangUp();                // sends bye
 * }
 * }</pre>
 *
 * <p><b>What it reports.</b> Peer-connection and ICE state changes arrive at {@link AgentListener#status}
 * one line each. A session whose data channel is not open within {@link AgentConfig#iceTimeout}, or whose
 * ICE checks fail, is ended with a {@code bye} to the peer, and {@link AgentListener#channelClosed} says
 * what happened and what to check.
 *
 * <p><b>Threading.</b> Public methods are thread-safe. Everything the agent does happens on one event
 * thread ({@code agent-events-N}), which also calls the {@link AgentListener}.
 */
public final class Agent implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** For the WebSocket handshake and, again, for the answer to {@code register}. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final AgentListener listener;
    private final ScheduledExecutorService loop;
    private final AudioDeviceModuleBase audio;
    private final PeerConnectionFactory factory;
    private final SignalingClient signaling;
    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    private boolean factoryDisposed;   // guarded by factory

    // Confined to the event thread.
    private PeerLink link;
    private String peer;
    private ScheduledFuture<?> deadline;
    private boolean closed;

    private Agent(AgentConfig config, AgentListener listener) {
        this.config = config;
        this.listener = listener;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-events-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // The default audio module needs a sound device and aborts the JVM without one.
        this.audio = new HeadlessAudioDeviceModule();
        this.factory = new PeerConnectionFactory(audio);
        this.signaling = new SignalingClient(config.signalingUrl(), new SignalingClient.Events() {
            @Override
            public void frame(JsonObject frame) {
                loop.execute(() -> onFrame(frame));
            }

            @Override
            public void closed(int code, String reason) {
                registered.completeExceptionally(new SignalingException(
                        "the server closed the connection before registration (" + code + " " + reason + ")"));
                loop.execute(() -> onSignalingClosed(code, reason));
            }
        });
    }

    /**
     * Connects to the server and registers {@link AgentConfig#id}; returns once the server confirmed.
     *
     * @throws SignalingException when the server cannot be reached or refuses the registration (its
     *     error code is in {@link SignalingException#code()})
     */
    public static Agent start(AgentConfig config, AgentListener listener) throws InterruptedException {
        Agent agent = new Agent(Objects.requireNonNull(config, "config"), Objects.requireNonNull(listener, "listener"));
        try {
            agent.signaling.connect(CONNECT_TIMEOUT);
            JsonObject register = new JsonObject();
            register.addProperty("type", "register");
            register.addProperty("id", config.id());
            agent.signaling.send(register);
            agent.registered.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return agent;
        } catch (ExecutionException e) {
            agent.close();
            throw e.getCause() instanceof SignalingException se ? se : new SignalingException(e.getCause().toString());
        } catch (TimeoutException e) {
            agent.close();
            throw new SignalingException("no answer to register within " + CONNECT_TIMEOUT.toMillis() + " ms");
        } catch (RuntimeException | InterruptedException e) {
            agent.close();
            throw e;
        }
    }

    public AgentConfig config() {
        return config;
    }

    /** Offers a data channel to {@code peerId}. Ends the current session first, if there is one. */
    public void connect(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        loop.execute(() -> {
            if (closed) {
                return;
            }
            endSession(AgentListener.HANGUP, true);
            peer = peerId;
            link = newLink(peerId);
            listener.status("offering a data channel '" + config.label() + "' to " + peerId);
            link.offer(config.label());
            watchDeadline(link, peerId);
        });
    }

    /**
     * Sends a text message on the data channel.
     *
     * @return false when no channel is open
     */
    public boolean send(String text) {
        Objects.requireNonNull(text, "text");
        return onLoop(() -> link != null && link.send(text));
    }

    /** Whether a data channel is open now. */
    public boolean isOpen() {
        return onLoop(() -> link != null && link.isOpen());
    }

    /**
     * The ICE candidate pair the current session uses, or {@code null} when there is no connected
     * session.
     */
    public CandidatePair selectedCandidatePair() throws InterruptedException {
        CompletableFuture<CandidatePair> pair = onLoop(() -> link == null ? CompletableFuture.completedFuture(null)
                : link.selectedPair());
        try {
            return pair.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the connection statistics", e);
        }
    }

    /** Sends {@code bye} to the current peer and ends the session; the agent stays registered. */
    public void hangUp() {
        onLoop(() -> {
            endSession(AgentListener.HANGUP, true);
            return true;
        });
    }

    /**
     * Hangs up, leaves the server and frees the WebRTC stack: the peer connection, then the factory,
     * then the audio module, in that order, so that no native thread of webrtc-java is left to attach
     * itself to a JVM that is shutting down. Idempotent; takes a few seconds at most.
     */
    @Override
    public void close() {
        if (!loop.isShutdown()) {
            try {
                loop.submit(() -> {
                    endSession(AgentListener.HANGUP, true);
                    closed = true;
                }).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                // Closing goes on regardless.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        signaling.close();
        loop.shutdown();
        try {
            if (!loop.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (factory) {
            if (!factoryDisposed) {
                factoryDisposed = true;
                factory.dispose();
                audio.dispose();
            }
        }
    }

    @Override
    public String toString() {
        return "Agent[" + config.id() + ", " + (loop.isShutdown() ? "closed" : "open") + "]";
    }

    // --- on the event thread ----------------------------------------------------------------------

    private void onFrame(JsonObject frame) {
        String type = string(frame, "type");
        String from = string(frame, "from");
        if (type == null) {
            return;
        }
        switch (type) {
            case "registered" -> {
                if (!registered.isDone()) {
                    listener.registered(config.id());
                }
                registered.complete(null);
            }
            case "error" -> onError(frame);
            case "offer" -> onOffer(from, sdp(frame));
            case "answer" -> {
                if (link != null && Objects.equals(from, peer) && sdp(frame) != null) {
                    link.acceptAnswer(sdp(frame));
                }
            }
            case "candidate" -> onCandidate(from, frame.get("candidate"));
            case "bye" -> {
                if (link != null && Objects.equals(from, peer)) {
                    endSession(AgentListener.BYE, false);
                }
            }
            default -> listener.status("ignored a '" + type + "' frame from " + from);
        }
    }

    private void onError(JsonObject frame) {
        String code = string(frame, "code");
        String message = string(frame, "message");
        if (!registered.isDone()) {
            registered.completeExceptionally(new SignalingException(code, message));
            return;
        }
        listener.serverError(code, message);
        if (link != null && Objects.equals(string(frame, "peer"), peer)) {
            // The server could not deliver to our peer (gone, unknown): the session cannot go on.
            boolean absent = "delivery-expired".equals(code) || "peer-not-found".equals(code);
            endSession(absent ? peer + " is not online (" + code + "); check the peer id and that "
                    + peer + " is connected to the same server" : code + ": " + message, false);
        }
    }

    private void onOffer(String from, String sdp) {
        if (from == null || sdp == null || closed) {
            return;
        }
        if (link != null && !from.equals(peer)) {
            listener.status("busy with " + peer + ": refusing the offer from " + from);
            sendTo("bye", from);
            return;
        }
        endSession("replaced by a new offer", false);
        peer = from;
        link = newLink(from);
        listener.status("answering the offer from " + from);
        link.acceptOffer(sdp);
        watchDeadline(link, from);
    }

    private void onCandidate(String from, JsonElement element) {
        if (link != null && Objects.equals(from, peer) && element != null && element.isJsonPrimitive()) {
            link.addRemoteCandidate(element.getAsString(), null, 0); // the bare candidate line
            return;
        }
        if (link == null || !Objects.equals(from, peer) || element == null || !element.isJsonObject()) {
            return;   // null candidate: end of candidates, nothing to do
        }
        JsonObject c = element.getAsJsonObject();
        String mid = string(c, "sdpMid");
        JsonElement index = c.get("sdpMLineIndex");
        int mLineIndex = index != null && !index.isJsonNull() ? index.getAsInt() : 0;
        link.addRemoteCandidate(string(c, "candidate"), mid, mLineIndex);
    }

    private void onSignalingClosed(int code, String reason) {
        if (closed || registered.isCompletedExceptionally()) {
            return;   // close() ended it, or start() reports why it never registered: nothing to add
        }
        endSession("the signaling connection closed (" + code + " " + reason + ")", false);
        listener.disconnected(code, reason);
    }

    private PeerLink newLink(String peerId) {
        return new PeerLink(factory, loop, new PeerLink.Events() {
            @Override
            public void localDescription(String type, String sdp) {
                JsonObject m = frame(type, peerId);
                m.addProperty("sdp", sdp);
                signaling.send(m);
            }

            @Override
            public void localCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
                JsonObject c = new JsonObject();
                c.addProperty("candidate", candidate);
                c.addProperty("sdpMid", sdpMid);
                c.addProperty("sdpMLineIndex", sdpMLineIndex);
                JsonObject m = frame("candidate", peerId);
                m.add("candidate", c);
                signaling.send(m);
            }

            @Override
            public void open(String label) {
                listener.channelOpen(peerId, label);
            }

            @Override
            public void message(String text) {
                listener.message(peerId, text);
            }

            @Override
            public void failed(String reason) {
                endSession(reason, false);
            }

            @Override
            public void closedByPeer() {
                endSession(AgentListener.BYE, false);
            }

            @Override
            public void status(String text) {
                listener.status(text);
            }
        });
    }

    /**
     * Ends the session with {@code peerId} unless its data channel opened within the ICE timeout. The
     * message names the ICE state reached, which tells where it stopped.
     */
    private void watchDeadline(PeerLink watched, String peerId) {
        Duration timeout = config.iceTimeout();
        deadline = loop.schedule(() -> {
            if (link == watched && !watched.isOpen()) {
                endSession("no data channel with " + peerId + " within " + describe(timeout) + " (ICE state: "
                        + watched.iceState() + "); " + PeerLink.REACHABILITY_HINT, true);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Ends the current session, if any, telling the listener and (when asked) the peer. */
    private void endSession(String reason, boolean sayBye) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (link == null) {
            return;
        }
        PeerLink ending = link;
        String endingPeer = peer;
        link = null;
        peer = null;
        if (sayBye) {
            sendTo("bye", endingPeer);
        }
        ending.close();
        listener.channelClosed(endingPeer, reason);
    }

    private void sendTo(String type, String to) {
        signaling.send(frame(type, to));
    }

    private static JsonObject frame(String type, String to) {
        JsonObject m = new JsonObject();
        m.addProperty("type", type);
        m.addProperty("to", to);
        return m;
    }

    /** The SDP text of an offer or answer: {@code "sdp"} is the text or a session description object. */
    private static String sdp(JsonObject frame) {
        JsonElement sdp = frame.get("sdp");
        return sdp != null && sdp.isJsonObject() ? string(sdp.getAsJsonObject(), "sdp") : string(frame, "sdp");
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) {
        try {
            return loop.submit(task).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the agent is closed");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the agent's event thread did not answer within "
                    + CALL_TIMEOUT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
