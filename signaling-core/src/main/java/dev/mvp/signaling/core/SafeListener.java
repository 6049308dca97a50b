package dev.mvp.signaling.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a throwing listener from changing what the hub does. */
final class SafeListener implements HubListener {
    private static final Logger log = LoggerFactory.getLogger(SafeListener.class);

    private final HubListener delegate;

    SafeListener(HubListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void connected(String claimedId, Handshake handshake) {
        try {
            delegate.connected(claimedId, handshake);
        } catch (RuntimeException e) {
            log.warn("HubListener.connected failed", e);
        }
    }

    @Override
    public void registered(String id) {
        try {
            delegate.registered(id);
        } catch (RuntimeException e) {
            log.warn("HubListener.registered failed", e);
        }
    }

    @Override
    public void registered(String id, java.time.Duration sinceOpened) {
        try {
            delegate.registered(id, sinceOpened);
        } catch (RuntimeException e) {
            log.warn("HubListener.registered failed", e);
        }
    }

    @Override
    public void routed(Envelope message) {
        try {
            delegate.routed(message);
        } catch (RuntimeException e) {
            log.warn("HubListener.routed failed", e);
        }
    }

    @Override
    public void rejected(Rejection rejection) {
        try {
            delegate.rejected(rejection);
        } catch (RuntimeException e) {
            log.warn("HubListener.rejected failed", e);
        }
    }

    @Override
    public void left(String id, int code, String reason) {
        try {
            delegate.left(id, code, reason);
        } catch (RuntimeException e) {
            log.warn("HubListener.left failed", e);
        }
    }
}
