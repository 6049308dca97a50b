package dev.mvp.signaling.examples.agent;

/**
 * The ICE candidate pair a connection carries its data on, as WebRTC's statistics report it.
 *
 * @param state the pair's state, e.g. {@code succeeded}
 * @param localAddress this side's address; webrtc-java may report {@code 0.0.0.0} for a port bound to
 *     every address
 * @param localPort this side's port
 * @param remoteAddress the peer's address
 * @param remotePort the peer's port
 * @param protocol {@code udp} or {@code tcp}
 */
public record CandidatePair(String state, String localAddress, int localPort, String remoteAddress, int remotePort,
                            String protocol) {}
