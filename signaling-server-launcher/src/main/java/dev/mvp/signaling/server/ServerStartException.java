package dev.mvp.signaling.server;

/** {@link SignalingServer#start()} could not listen: the message names the host, the port and why. */
public final class ServerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;

    ServerStartException(String host, int port, String why, Throwable cause) {
        super("cannot listen on " + hostPort(host, port) + ": " + why, cause);
        this.host = host;
        this.port = port;
    }

    /** The host the server tried to bind. */
    public String host() {
        return host;
    }

    /** The port the server tried to bind (0 for any). */
    public int port() {
        return port;
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
