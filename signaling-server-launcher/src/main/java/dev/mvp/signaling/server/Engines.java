package dev.mvp.signaling.server;

import dev.mvp.signaling.server.engine.EngineFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds engines with {@link ServiceLoader}: the one a configuration names, among those the class path
 * offers; the built-in Java-WebSocket engine registers itself the same way as a plug-in does.
 */
final class Engines {
    /** The engines this project publishes, by name, and the module that brings each. */
    private static final Map<String, String> KNOWN_MODULES = Map.of(
            "java-websocket", "dev.mvp:signaling-server-launcher",
            "netty", "dev.mvp:signaling-transport-netty");

    private Engines() {}

    /** Every engine on the class path, in discovery order; broken registrations are skipped. */
    static List<EngineFactory> available() {
        List<EngineFactory> found = new ArrayList<>();
        var it = ServiceLoader.load(EngineFactory.class, SignalingServer.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return found;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                org.slf4j.LoggerFactory.getLogger(Engines.class).warn("Skipping an engine that cannot load: {}",
                        e.getMessage());
            }
        }
    }

    /**
     * The engine named {@code name}.
     *
     * @throws IllegalStateException naming the module to add, and the engines found
     */
    static EngineFactory find(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<EngineFactory> all = available();
        for (EngineFactory f : all) {
            if (f.name().equals(wanted)) {
                return f;
            }
        }
        TreeSet<String> names = new TreeSet<>();
        all.forEach(f -> names.add(f.name()));
        String module = KNOWN_MODULES.get(wanted);
        String found = names.isEmpty() ? "none" : String.join(", ", names);
        if (module != null) {
            throw new IllegalStateException("the " + wanted + " engine is not on the class path; add the module "
                    + module + " to use it (engines found: " + found + ")");
        }
        throw new IllegalStateException("no engine named '" + name + "' is on the class path; engines found: " + found);
    }
}
