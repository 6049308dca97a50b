package dev.mvp.signaling.core;

/**
 * A message the hub refused, as reported to a {@link HubListener}. The client received an error frame
 * with the same code and message.
 *
 * @param sender the sender's registered id, or the id claimed by its connection path, or {@code null}
 * @param code the error code, e.g. {@link ErrorCodes#PEER_NOT_FOUND}
 * @param message the human-readable reason sent to the client
 * @param ref the type of the rejected message, or {@code null} when it had none
 * @param peer the {@code to} of the rejected message, or {@code null}
 * @param mid the rejected message's {@code mid} as JSON text (echoed to the client too), or {@code null}
 */
public record Rejection(String sender, String code, String message, String ref, String peer, String mid) {}
