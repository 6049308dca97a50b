package dev.mvp.signaling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tool's command line: defaults, servers, help, and the errors it refuses with. */
class OptionsTest {

    @Test
    void defaultsMeasureEveryScenarioOnBothEnginesAndBothBareRelays() {
        BenchMain.Options o = BenchMain.Options.parse(new String[0]);
        assertThat(o.scenarios).isEqualTo(BenchMain.SCENARIOS);
        assertThat(o.kinds).containsExactly("jws", "baseline", "netty", "netty-baseline");
        assertThat(o.help).isFalse();
    }

    @Test
    void helpIsAnswerNotAnError() {
        assertThat(BenchMain.Options.parse(new String[] {"--help"}).help).isTrue();
        assertThat(BenchMain.Options.parse(new String[] {"relay", "-h"}).help).isTrue();
    }

    @Test
    void serversAndScenariosAreChecked() {
        BenchMain.Options o = BenchMain.Options.parse(new String[] {"relay", "--servers", "netty,baseline", "--runs", "2"});
        assertThat(o.scenarios).isEqualTo(List.of("relay"));
        assertThat(o.kinds).containsExactly("netty", "baseline");
        assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"--servers", "ours,baseline"}))
                .hasMessageContaining("unknown server 'ours'").hasMessageContaining("netty-baseline");
        assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"nope"})).hasMessageContaining("unknown scenario");
        assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"--duration", "90"})).hasMessageContaining("--duration");
    }

    @Test
    void theSoakTakesItsKindsAndRounds() {
        BenchMain.Options o = BenchMain.Options.parse(new String[] {"memory-soak", "--soak-kinds", "pings,held",
                "--soak-rounds", "3"});
        assertThat(o.scenarios).containsExactly("memory-soak");
        assertThat(o.soakKinds).containsExactly("pings", "held");
        assertThat(o.soakRounds).isEqualTo(3);
        assertThat(BenchMain.Options.parse(new String[] {"--soak-kinds", "none"}).soakKinds).isEmpty();
        assertThat(BenchMain.Options.parse(new String[0]).soakRounds).isEqualTo(1);
        assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"--soak-kinds", "pings,floods"}))
                .hasMessageContaining("unknown kind 'floods'").hasMessageContaining("pongs");
        assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"--soak-rounds", "0"}))
                .hasMessageContaining("--soak-rounds");
    }

    @Test
    void connectionsAreMeasuredOnAFreshServerUnlessAWarmUpIsAsked() {
        assertThat(BenchMain.Options.parse(new String[] {"connections"}).connectWarmupS).isZero();
        assertThat(BenchMain.Options.parse(new String[] {"connections", "--connect-warmup", "30"}).connectWarmupS)
                .isEqualTo(30.0);
        assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"--connect-warmup", "-1"}))
                .hasMessageContaining("--connect-warmup");
        assertThatThrownBy(() -> BenchMain.Options.parse(new String[] {"--connect-warmup", "NaN"}))
                .hasMessageContaining("--connect-warmup");
    }
}
