package dev.mvp.signaling.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Close reasons are cut to what a close frame holds, never inside a character. */
class CloseCodesTest {

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void shortReasonsAreKeptAndNullIsEmpty() {
        assertThat(CloseCodes.fitReason("server shutting down")).isEqualTo("server shutting down");
        assertThat(CloseCodes.fitReason(null)).isEmpty();
        String exact = "a".repeat(CloseCodes.MAX_REASON_BYTES);
        assertThat(CloseCodes.fitReason(exact)).isEqualTo(exact);
    }

    @Test
    void longReasonsAreCutAtACharacterBoundary() {
        assertThat(CloseCodes.fitReason("a".repeat(200))).hasSize(123);
        String euros = "€".repeat(50); // 3 bytes each: 41 fit
        assertThat(CloseCodes.fitReason(euros)).isEqualTo("€".repeat(41));
        String smileys = "x" + "\uD83D\uDE00".repeat(40); // 1 + 4 bytes each: 30 fit, the 31st would split
        String cut = CloseCodes.fitReason(smileys);
        assertThat(utf8(cut)).isEqualTo(121);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
        assertThat(cut).isEqualTo("x" + "\uD83D\uDE00".repeat(30));
    }
}
