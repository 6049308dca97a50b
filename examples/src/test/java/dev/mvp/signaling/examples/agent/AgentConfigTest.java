package dev.mvp.signaling.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void readsTheSeedAgentsVariables() {
        AgentConfig config = AgentConfig.fromEnvironment(Map.of(
                "AGENT_ID", "alice", "SIGNALING_URL", "ws://localhost:8000/ws/alice",
                "MODE", "chat", "DATA_CHANNEL_LABEL", "files"));

        assertThat(config).isEqualTo(new AgentConfig("alice", URI.create("ws://localhost:8000/ws/alice"),
                AgentConfig.Mode.CHAT, "files"));
    }

    @Test
    void modeAndLabelDefaultToChatAndMvp() {
        AgentConfig config = AgentConfig.fromEnvironment(Map.of(
                "AGENT_ID", "bob", "SIGNALING_URL", "ws://localhost:8000/ws/bob"));

        assertThat(config.mode()).isEqualTo(AgentConfig.Mode.CHAT);
        assertThat(config.label()).isEqualTo("mvp");
    }

    @Test
    void urlEndingInWsGetsTheIdAppended() {
        assertThat(AgentConfig.fromEnvironment(Map.of("AGENT_ID", "bob", "SIGNALING_URL", "ws://h:1/ws"))
                .signalingUrl()).hasToString("ws://h:1/ws/bob");
        assertThat(AgentConfig.fromEnvironment(Map.of("AGENT_ID", "bob", "SIGNALING_URL", "ws://h:1/ws/"))
                .signalingUrl()).hasToString("ws://h:1/ws/bob");
    }

    @Test
    void missingIdNamesTheVariable() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("SIGNALING_URL", "ws://h:1/ws/x")))
                .hasMessage("AGENT_ID is not set");
    }

    @Test
    void unknownModeSaysWhatIsSupported() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of(
                "AGENT_ID", "a", "SIGNALING_URL", "ws://h:1/ws/a", "MODE", "video")))
                .hasMessage("MODE=video is not supported; use MODE=chat");
    }

    @Test
    void httpUrlIsRefused() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of(
                "AGENT_ID", "a", "SIGNALING_URL", "http://h:1/ws/a")))
                .hasMessageContaining("ws:// or wss://");
    }

    @Test
    void iceTimeoutIsReadInSecondsAndDefaultsToFifteen() {
        assertThat(AgentConfig.fromEnvironment(Map.of("AGENT_ID", "a", "SIGNALING_URL", "ws://h:1/ws/a"))
                .iceTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(AgentConfig.fromEnvironment(Map.of("AGENT_ID", "a", "SIGNALING_URL", "ws://h:1/ws/a",
                "ICE_TIMEOUT", "40")).iceTimeout()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void iceTimeoutThatIsNotAPositiveNumberIsNamed() {
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of(
                "AGENT_ID", "a", "SIGNALING_URL", "ws://h:1/ws/a", "ICE_TIMEOUT", "10s")))
                .hasMessage("ICE_TIMEOUT=10s is not a whole number of seconds");
        assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of(
                "AGENT_ID", "a", "SIGNALING_URL", "ws://h:1/ws/a", "ICE_TIMEOUT", "0")))
                .hasMessage("ICE_TIMEOUT=0 must be at least 1 (seconds)");
    }
}
