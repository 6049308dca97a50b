package dev.mvp.signaling.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs a test class the way a user's build would, through the JUnit Platform, so a test can check what
 * the extension does to the tests around it (parallel runs, failures it adds, clients it closes). The
 * classes it runs are nested, which the build's own test discovery leaves out.
 */
final class JUnitRun {
    private JUnitRun() {}

    static TestExecutionSummary run(Class<?> testClass, Map<String, String> configuration) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameters(configuration)
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary);
        return summary.getSummary();
    }

    /** The failures of a run, one line each: the test's name and its exception. */
    static String failures(TestExecutionSummary summary) {
        return summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .collect(Collectors.joining("\n"));
    }

    /** Parallel execution on, every test of the class at once on threads of its own. */
    static Map<String, String> parallel(int threads) {
        return Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(threads),
                // The module's default (a timeout thread per test, from junit-platform.properties) would run
                // the nested tests off the pool's threads; these runs measure the pool itself.
                "junit.jupiter.execution.timeout.thread.mode.default", "SAME_THREAD");
    }
}
