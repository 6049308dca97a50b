package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.core.Envelope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact form in which nodes pass batches of messages: what one node writes, the other reads as it was. */
class WireTest {

    private static Envelope envelope(String type, String from, String to, String frame, String mid) {
        return Envelope.of(type, from, to, frame, mid);
    }

    @Test
    void aBatchIsReadBackExactlyAsItWasWrittenWhateverItsFramesHold() {
        String sdp = "v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\na=fingerprint:sha-256 F3:37\\r\\n";
        List<Wire.Outgoing> sent = List.of(
                new Wire.Outgoing(1, envelope("offer", "alice", "bob",
                        "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"" + sdp + "\",\"from\":\"alice\"}", null)),
                new Wire.Outgoing(2, envelope("candidate", "alice", "bob",
                        "{\"type\":\"candidate\",\"note\":\"12:34; M5:x \\\"q\\\" \\\\ é 😀 \\u0000\",\"from\":\"alice\"}",
                        "{\"n\":7}")),
                new Wire.Outgoing(Long.MAX_VALUE, envelope("bye", "a:1", "b;2", "{}", "\"m-1\"")));

        String text = Wire.messages("node-1-abcd", sent);
        assertThat(Wire.isBatch(text)).isTrue();
        Wire.Batch read = Wire.batch(text);

        assertThat(read.origin()).isEqualTo("node-1-abcd");
        assertThat(read.messages()).hasSize(3);
        for (int i = 0; i < sent.size(); i++) {
            Envelope a = sent.get(i).envelope();
            Wire.Incoming in = read.messages().get(i);
            assertThat(in.seq()).isEqualTo(sent.get(i).seq());
            Envelope b = in.envelope();
            assertThat(List.of(b.type(), b.from(), b.to(), b.frame())).isEqualTo(List.of(a.type(), a.from(), a.to(), a.frame()));
            assertThat(b.mid()).isEqualTo(a.mid());
        }
    }

    @Test
    void anEmptyBatchHasItsOriginAndNoMessages() {
        Wire.Batch read = Wire.batch(Wire.messages("n", List.of()));
        assertThat(read.origin()).isEqualTo("n");
        assertThat(read.messages()).isEmpty();
    }

    @Test
    void jsonFramesAreNotBatches() {
        assertThat(Wire.isBatch(Wire.acks(List.of(1L)))).isFalse();
        assertThat(Wire.isBatch(Wire.arrived("n", "bob"))).isFalse();
        assertThat(Wire.isBatch("")).isFalse();
    }

    @Test
    void aDamagedBatchIsRefusedWholeNeverReadInPart() {
        Wire.Outgoing one = new Wire.Outgoing(5, envelope("offer", "alice", "bob", "{\"a\":1}", null));
        String good = Wire.messages("n", List.of(one));
        String two = Wire.messages("n", List.of(one, one));
        assertThat(Wire.batch(good).messages()).hasSize(1);
        for (String bad : List.of(
                good.substring(0, good.length() - 1), // cut short
                two.substring(0, good.length()), // cut between two messages
                good + "6;", // a second message that ends after its number
                "M1:n1;5;5:offer5:alice3:bob-999:{}", // a part longer than what is left
                "M1:n1;x;5:offer5:alice3:bob-2:{}", // not a number
                "M1:n1;5;5:offer5:alice3:bob1:{2:{}", // a mid that is not JSON
                "M1:n1;9223372036854775808;5:offer5:alice3:bob-2:{}", // a number too large
                "M1:n1;;5:offer5:alice3:bob-2:{}", // no number
                "X1:n0;")) {
            assertThatThrownBy(() -> Wire.batch(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
