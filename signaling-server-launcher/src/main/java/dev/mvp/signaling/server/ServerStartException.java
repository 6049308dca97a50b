package dev.mvp.signaling.server;

/**
 * {@link SignalingServer#start()} failed: the address could not be bound, the TLS key store could not be
 * used, or the engine asked for is not on the class path. The message names the host, the port and why.
 */
public final class ServerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The host asked for. */
    private final String host;
    /** The port asked for. */
    private final int port;

    ServerStartException(String host, int port, String why, Throwable cause) {
        this("cannot listen on ", host, port, why, cause);
    }

    private ServerStartException(String what, String host, int port, String why, Throwable cause) {
        super(what + hostPort(host, port) + ": " + why, cause);
        this.host = host;
        this.port = port;
    }

    /** The server did not get as far as listening, e.g. its engine is missing. */
    static ServerStartException beforeListening(String host, int port, String why, Throwable cause) {
        return new ServerStartException("cannot start a server for ", host, port, why, cause);
    }

    /** {@return the host the server tried to bind} */
    public String host() {
        return host;
    }

    /** {@return the port the server tried to bind (0 for any)} */
    public int port() {
        return port;
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
