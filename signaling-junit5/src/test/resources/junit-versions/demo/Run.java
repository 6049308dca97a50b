package demo;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs AgentProjectTest with the JUnit on the class path, tests in parallel; exits 1 if any failed. */
public final class Run {
    public static void main(String[] args) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(AgentProjectTest.class))
                .configurationParameters(Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent"))
                .build(), listener);
        TestExecutionSummary s = listener.getSummary();
        s.getFailures().forEach(f -> System.out.println("FAILED " + f.getTestIdentifier().getDisplayName() + ": "
                + f.getException()));
        System.out.println("junit-jupiter " + org.junit.jupiter.api.Test.class.getPackage().getImplementationVersion()
                + ": " + s.getTestsFoundCount() + " found, " + s.getTestsSucceededCount() + " succeeded, "
                + s.getTestsFailedCount() + " failed");
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsFoundCount() > 0 ? 0 : 1);
    }
}
