package dev.mvp.signaling.examples.agent;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One WebRTC peer connection with one data channel, on top of webrtc-java.
 *
 * <p><b>Threading.</b> Every method must be called on the agent's event thread ({@code loop}), and
 * every event is reported there: webrtc-java calls its observers on its own native threads, and this
 * class only copies what it needs there and hands the rest to {@code loop}.
 */
final class PeerLink {

    /** What to check when ICE does not connect; ends the messages of a failed or timed-out session. */
    static final String REACHABILITY_HINT = "check that both peers have a network interface with an address the"
            + " other can reach (webrtc-java ignores loopback), or configure a STUN/TURN server, and that no"
            + " firewall blocks UDP between them";

    /** What the link reports, always on the event thread. */
    interface Events {
        /** A description to send to the peer: {@code "offer"} or {@code "answer"}. */
        void localDescription(String type, String sdp);

        /** A local ICE candidate to send to the peer. */
        void localCandidate(String candidate, String sdpMid, int sdpMLineIndex);

        void open(String label);

        void message(String text);

        /** The link failed, or the channel closed before it opened, without {@link #close} being called. */
        void failed(String reason);

        /**
         * The peer closed the open data channel: it hung up. Its {@code bye} comes through the server,
         * so it may arrive before or after this.
         */
        void closedByPeer();

        void status(String text);
    }

    private final Executor loop;
    private final Events events;
    private final RTCPeerConnection pc;
    private final List<RTCIceCandidate> pendingCandidates = new ArrayList<>();
    private RTCDataChannel channel;
    private boolean remoteDescriptionSet;
    private boolean openReported;
    private boolean closed;
    private String iceState = "new";
    private int localCandidates;

    PeerLink(PeerConnectionFactory factory, Executor loop, Events events) {
        this.loop = loop;
        this.events = events;
        RTCConfiguration config = new RTCConfiguration();
        // No STUN or TURN server: host candidates only. Without any-address ports webrtc-java gathers
        // nothing on a machine whose only interface is loopback.
        config.portAllocatorConfig = new PortAllocatorConfig().setEnableAnyAddressPorts(true);
        this.pc = factory.createPeerConnection(config, new Observer());
    }

    /** Creates the data channel and starts the offer; the offer arrives at {@link Events#localDescription}. */
    void offer(String label) {
        watch(pc.createDataChannel(label, new RTCDataChannelInit()));
        pc.createOffer(new RTCOfferOptions(), created(RTCSdpType.OFFER));
    }

    /** Applies the peer's offer and starts the answer. */
    void acceptOffer(String sdp) {
        applyRemote(new RTCSessionDescription(RTCSdpType.OFFER, sdp), () ->
                pc.createAnswer(new RTCAnswerOptions(), created(RTCSdpType.ANSWER)));
    }

    void acceptAnswer(String sdp) {
        applyRemote(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), () -> {});
    }

    /**
     * Adds a candidate from the peer. Candidates that arrive before the remote description is applied
     * are held until it is. An empty candidate (end of candidates) is ignored.
     */
    void addRemoteCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
        if (closed || candidate == null || candidate.isEmpty()) {
            return;
        }
        RTCIceCandidate c = new RTCIceCandidate(sdpMid, sdpMLineIndex, candidate);
        if (remoteDescriptionSet) {
            pc.addIceCandidate(c);
        } else {
            pendingCandidates.add(c);
        }
    }

    /** Sends a text message; false when the channel is not open. */
    boolean send(String text) {
        if (closed || channel == null || channel.getState() != RTCDataChannelState.OPEN) {
            return false;
        }
        try {
            channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false));
            return true;
        } catch (Exception e) {
            events.status("send failed: " + e.getMessage());
            return false;
        }
    }

    /** The last ICE connection state reported, lower case as in the browser API ({@code checking}, ...). */
    String iceState() {
        return iceState;
    }

    boolean isOpen() {
        return !closed && channel != null && channel.getState() == RTCDataChannelState.OPEN;
    }

    /**
     * The selected candidate pair, from the connection's statistics; completes with {@code null} while
     * there is none.
     */
    CompletableFuture<CandidatePair> selectedPair() {
        CompletableFuture<CandidatePair> result = new CompletableFuture<>();
        if (closed) {
            result.complete(null);
            return result;
        }
        pc.getStats(report -> {
            try {
                result.complete(selected(report.getStats()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static CandidatePair selected(Map<String, RTCStats> stats) {
        RTCStats pair = null;
        for (RTCStats s : stats.values()) {
            if (s.getType() == RTCStatsType.TRANSPORT && s.getAttributes().get("selectedCandidatePairId") != null) {
                pair = stats.get(String.valueOf(s.getAttributes().get("selectedCandidatePairId")));
            }
        }
        if (pair == null) {
            return null;
        }
        Map<String, Object> local = attributes(stats, pair.getAttributes().get("localCandidateId"));
        Map<String, Object> remote = attributes(stats, pair.getAttributes().get("remoteCandidateId"));
        return new CandidatePair(String.valueOf(pair.getAttributes().get("state")),
                String.valueOf(local.get("address")), port(local), String.valueOf(remote.get("address")), port(remote),
                String.valueOf(local.get("protocol")));
    }

    private static Map<String, Object> attributes(Map<String, RTCStats> stats, Object id) {
        RTCStats s = id == null ? null : stats.get(String.valueOf(id));
        return s == null ? Map.of() : s.getAttributes();
    }

    private static int port(Map<String, Object> candidate) {
        return candidate.get("port") instanceof Number n ? n.intValue() : -1;
    }

    /** Closes the channel and the connection and frees their native parts. Idempotent; reports nothing. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null) {
            channel.unregisterObserver();
            channel.close();
            channel.dispose();
            channel = null;
        }
        pc.close();
    }

    private void applyRemote(RTCSessionDescription description, Runnable then) {
        pc.setRemoteDescription(description, new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                loop.execute(() -> {
                    if (closed) {
                        return;
                    }
                    remoteDescriptionSet = true;
                    pendingCandidates.forEach(pc::addIceCandidate);
                    pendingCandidates.clear();
                    then.run();
                });
            }

            @Override
            public void onFailure(String error) {
                loop.execute(() -> fail("could not apply the remote " + description.sdpType + ": " + error));
            }
        });
    }

    private CreateSessionDescriptionObserver created(RTCSdpType type) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                loop.execute(() -> {
                    if (closed) {
                        return;
                    }
                    pc.setLocalDescription(description, new SetSessionDescriptionObserver() {
                        @Override
                        public void onSuccess() {
                            loop.execute(() -> {
                                if (!closed) {
                                    events.localDescription(type == RTCSdpType.OFFER ? "offer" : "answer", description.sdp);
                                }
                            });
                        }

                        @Override
                        public void onFailure(String error) {
                            loop.execute(() -> fail("could not apply the local " + type + ": " + error));
                        }
                    });
                });
            }

            @Override
            public void onFailure(String error) {
                loop.execute(() -> fail("could not create the " + type + ": " + error));
            }
        };
    }

    private void fail(String reason) {
        if (!closed) {
            close();
            events.failed(reason);
        }
    }

    /** Called on the event thread for the channel this side created or the peer announced. */
    private void watch(RTCDataChannel dc) {
        if (closed) {
            dc.close();
            dc.dispose();
            return;
        }
        if (channel != null) {
            // One channel per link: a second one from the peer is refused.
            dc.close();
            dc.dispose();
            return;
        }
        channel = dc;
        dc.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {}

            @Override
            public void onStateChange() {
                RTCDataChannelState state = dc.getState();
                loop.execute(() -> {
                    if (closed || channel != dc) {
                        return;
                    }
                    if (state == RTCDataChannelState.OPEN) {
                        reportOpen(dc);
                    } else if (state == RTCDataChannelState.CLOSED && openReported) {
                        close();
                        events.closedByPeer();
                    } else if (state == RTCDataChannelState.CLOSED) {
                        fail("the data channel closed before it opened");
                    }
                });
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                // The buffer is only valid during this call: copy it here.
                ByteBuffer data = buffer.data;
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                boolean binary = buffer.binary;
                loop.execute(() -> {
                    if (!closed) {
                        events.message(binary ? "[" + bytes.length + " binary bytes]"
                                : new String(bytes, StandardCharsets.UTF_8));
                    }
                });
            }
        });
        // The channel may have opened before the observer was registered (answerer side).
        if (dc.getState() == RTCDataChannelState.OPEN) {
            reportOpen(dc);
        }
    }

    private void reportOpen(RTCDataChannel dc) {
        if (!openReported) {
            openReported = true;
            events.open(dc.getLabel());
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            loop.execute(() -> {
                if (!closed) {
                    localCandidates++;
                    events.localCandidate(candidate.sdp, candidate.sdpMid, candidate.sdpMLineIndex);
                }
            });
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            loop.execute(() -> {
                if (closed || state != RTCIceGatheringState.COMPLETE) {
                    return;
                }
                events.status(localCandidates == 0
                        ? "ICE gathering complete: no local candidate to offer; " + REACHABILITY_HINT
                        : "ICE gathering complete: " + localCandidates + " local candidate"
                                + (localCandidates == 1 ? "" : "s"));
            });
        }

        @Override
        public void onIceConnectionChange(RTCIceConnectionState state) {
            String name = lower(state.name());
            loop.execute(() -> {
                if (!closed && !name.equals(iceState)) {
                    iceState = name;
                    events.status("ICE " + name);
                }
            });
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            loop.execute(() -> {
                if (closed) {
                    return;
                }
                events.status("peer connection " + lower(state.name()));
                if (state == RTCPeerConnectionState.FAILED) {
                    fail("ICE failed: no candidate pair worked; " + REACHABILITY_HINT);
                }
            });
        }

        @Override
        public void onDataChannel(RTCDataChannel dc) {
            loop.execute(() -> watch(dc));
        }
    }
}
