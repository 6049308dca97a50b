package dev.mvp.signaling.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule of a total: the largest holders go first, and nobody else goes for bytes already on their way out. */
class ByteBudgetTest {

    /** A connection that lets go of its bytes only when told to, as an engine does on the connection's own thread. */
    private static final class Conn implements ByteBudget.Holder {
        final ByteBudget budget;
        final String name;
        long held;
        boolean shed;

        Conn(ByteBudget budget, String name) {
            this.budget = budget;
            this.name = name;
        }

        boolean charge(long bytes) {
            held += bytes;
            return budget.charge(this, bytes);
        }

        void releaseAll() {
            budget.charge(this, -held);
            held = 0;
        }

        @Override
        public long heldBytes() {
            return held;
        }

        @Override
        public void shed(String reason) {
            shed = true; // released later, as the Netty engine does on the channel's event loop
        }
    }

    @Test
    void aShedHolderWhoseBytesLeaveLaterIsNotFollowedByTheNextLargest() {
        ByteBudget budget = new ByteBudget(1000);
        Conn reader = new Conn(budget, "reader");
        Conn pair = new Conn(budget, "pair");
        reader.charge(900);
        pair.charge(50);
        assertThat(pair.charge(100)).as("over the total").isTrue();
        assertThat(budget.relieve("over")).isEqualTo(1);
        assertThat(reader.shed).isTrue();
        assertThat(pair.shed).as("its bytes are not what is over").isFalse();
        assertThat(budget.over()).as("the reader's bytes are on their way out").isFalse();
        // another charge before the reader let go: still nobody else is shed for the reader's bytes
        pair.charge(10);
        assertThat(budget.relieve("over")).isZero();
        reader.releaseAll();
        assertThat(budget.used()).isEqualTo(160);
        assertThat(pair.shed).isFalse();
    }

    @Test
    void overTheTotalTheLargestGoFirstUntilItFits() {
        ByteBudget budget = new ByteBudget(1000);
        List<Conn> conns = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Conn c = new Conn(budget, "c" + i);
            c.charge(i * 100L); // 100 .. 500: 1,500 in all
            conns.add(c);
        }
        assertThat(budget.relieve("over")).isEqualTo(1); // 1,500 - 500 fits
        assertThat(conns).filteredOn(c -> c.shed).extracting(c -> c.name).containsExactly("c5");
        conns.get(3).charge(200); // c4: 600, total 1,700 of which 500 are going
        assertThat(budget.relieve("over")).isEqualTo(1);
        assertThat(conns).filteredOn(c -> c.shed).extracting(c -> c.name).containsExactly("c4", "c5");
    }
}
