package dev.mvp.signaling.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubStats;
import dev.mvp.signaling.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two probes an orchestrator asks: liveness ({@code /livez}: can this process serve? yes while it runs,
 * draining included) and readiness ({@code /readyz}: should it get new clients? not while starting,
 * draining, full, or while a {@link ReadinessCheck} says no). Liveness looks at nothing outside the process,
 * so an outage of a backplane never gets a healthy node restarted.
 */
final class Health {
    private static final Logger log = LoggerFactory.getLogger(Health.class);

    /** Where the server is in its life, as the probes see it. */
    enum Phase { STARTING, RUNNING, DRAINING, STOPPED }

    private final Supplier<Phase> phase;
    private final Supplier<HubStats> stats;
    private final HubConfig limits;
    private final Map<String, ReadinessCheck> checks;

    Health(Supplier<Phase> phase, Supplier<HubStats> stats, HubConfig limits, Map<String, ReadinessCheck> checks) {
        this.phase = phase;
        this.stats = stats;
        this.limits = limits;
        this.checks = Map.copyOf(checks);
    }

    /** {@return the reasons the server is not ready, empty when it is} */
    List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        Phase p = phase.get();
        if (p != Phase.RUNNING) {
            reasons.add(p == Phase.STARTING ? "starting" : "draining");
            return reasons; // nothing else matters then
        }
        HubStats s = stats.get();
        if (s.connections() >= limits.maxConnections()) {
            reasons.add("full: " + s.connections() + " connections, the most allowed is " + limits.maxConnections());
        }
        if (s.registeredPeers() >= limits.maxPeers()) {
            reasons.add("full: " + s.registeredPeers() + " registered peers, the most allowed is " + limits.maxPeers());
        }
        checks.forEach((name, check) -> {
            String why;
            try {
                why = check.notReadyReason();
            } catch (RuntimeException e) {
                log.warn("The readiness check {} failed; counting it as not ready", name, e);
                why = "the check failed: " + e.getClass().getSimpleName();
            }
            if (why != null) {
                reasons.add(name + ": " + why);
            }
        });
        return reasons;
    }

    HttpResponse live() {
        Phase p = phase.get();
        boolean live = p == Phase.RUNNING || p == Phase.DRAINING || p == Phase.STARTING;
        JsonObject body = new JsonObject();
        body.addProperty("status", live ? "live" : "stopped");
        return json(live ? 200 : 503, body);
    }

    HttpResponse ready() {
        List<String> reasons = notReadyReasons();
        JsonObject body = new JsonObject();
        body.addProperty("status", reasons.isEmpty() ? "ready" : "not-ready");
        if (!reasons.isEmpty()) {
            JsonArray why = new JsonArray();
            reasons.forEach(why::add);
            body.add("reasons", why);
        }
        return json(reasons.isEmpty() ? 200 : 503, body);
    }

    private static HttpResponse json(int status, JsonObject body) {
        return new HttpResponse(status, "application/json; charset=utf-8", body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
