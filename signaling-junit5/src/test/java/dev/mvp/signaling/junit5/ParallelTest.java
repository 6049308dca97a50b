package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.client.IceCandidate;
import dev.mvp.signaling.client.SignalingClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** One server shared by a class whose tests all run at the same time. */
class ParallelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int TESTS = 20;

    @Test
    void twentyConcurrentTestsEachSeeOnlyTheirOwnMessagesAndFaults() {
        TestExecutionSummary s = JUnitRun.run(TwentyAtOnce.class, JUnitRun.parallel(TESTS));

        assertThat(s.getTestsFailedCount()).as(JUnitRun.failures(s)).isZero();
        assertThat(s.getTestsSucceededCount()).isEqualTo(TESTS);
    }

    @Test
    void aSecondConcurrentTestAskingForTheSameIdIsToldWhoHasIt() {
        TestExecutionSummary s = JUnitRun.run(SameIdAtOnce.class, JUnitRun.parallel(2));

        assertThat(s.getTestsFailedCount()).as(JUnitRun.failures(s)).isZero();
        assertThat(s.getTestsSucceededCount()).isEqualTo(2);
    }

    static class TwentyAtOnce {
        /** Every test waits here until all are running, so they overlap for certain. */
        static final CountDownLatch ALL_RUNNING = new CountDownLatch(TESTS);

        @RegisterExtension
        static SignalingServerExtension server = SignalingServerExtension.newInstance().build();

        static IntStream tests() {
            return IntStream.range(0, TESTS);
        }

        @ParameterizedTest
        @MethodSource("tests")
        void offerAnswerAndADroppedCandidate(int n) throws InterruptedException {
            String alice = "alice-" + n;
            String bob = "bob-" + n;
            server.faults().dropNextMessageTo(bob, "candidate");
            try (SignalingClient a = SignalingClient.connect(server.url(alice), alice);
                 SignalingClient b = SignalingClient.connect(server.url(bob), bob)) {
                ALL_RUNNING.countDown();
                assertThat(ALL_RUNNING.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("all tests run at once").isTrue();

                a.sendOffer(bob, "offer " + n);
                assertThat(b.awaitOffer(WAIT).sdp()).isEqualTo("offer " + n);
                a.sendCandidate(bob, IceCandidate.of("candidate:1 1 udp 2122260223 198.51.100.1 9 typ host", "0", 0));
                server.recording().awaitDropped(bob, WAIT);
                b.sendAnswer(alice, "answer " + n);
                assertThat(a.awaitAnswer(WAIT).sdp()).isEqualTo("answer " + n);

                Recording mine = server.recording();
                assertThat(mine.takeMessage(WAIT)).hasToString("offer " + alice + " -> " + bob);
                assertThat(mine.takeMessage(WAIT)).hasToString("candidate " + alice + " -> " + bob + " DROPPED by a test fault");
                assertThat(mine.takeMessage(WAIT)).hasToString("answer " + bob + " -> " + alice);
                assertThat(mine.messages()).hasSize(3);
                assertThat(mine.peerEvents()).extracting(PeerEvent::id).containsOnly(alice, bob);
            }
        }
    }

    static class SameIdAtOnce {
        static final CountDownLatch CLAIMED = new CountDownLatch(1);
        static final CountDownLatch CHECKED = new CountDownLatch(1);

        @RegisterExtension
        static SignalingServerExtension server = SignalingServerExtension.newInstance().build();

        @Test
        void holdsCarol() throws InterruptedException {
            server.url("carol");
            CLAIMED.countDown();
            assertThat(CHECKED.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }

        @Test
        void asksForCarolToo() throws InterruptedException {
            try {
                assertThat(CLAIMED.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                assertThatThrownBy(() -> server.url("carol"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("peer id 'carol' is used by holdsCarol()")
                        .hasMessageContaining("at the same time");
                assertThat(server.url("dave")).hasToString("ws://127.0.0.1:" + server.port() + "/ws/dave");
            } finally {
                CHECKED.countDown();
            }
        }
    }

    @Test
    void testsRunOnTheirOwnTimeoutThreadStillFindTheirRecording() {
        TestExecutionSummary s = JUnitRun.run(TimeoutThreads.class, JUnitRun.parallel(2));

        assertThat(s.getTestsFailedCount()).as(JUnitRun.failures(s)).isZero();
        assertThat(s.getTestsSucceededCount()).isEqualTo(2);
    }

    static class TimeoutThreads {
        static final CountDownLatch BOTH = new CountDownLatch(2);

        @RegisterExtension
        static SignalingServerExtension server = SignalingServerExtension.newInstance().build();

        @Test
        @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void one() throws InterruptedException {
            exchange("one");
        }

        @Test
        @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void two() throws InterruptedException {
            exchange("two");
        }

        private static void exchange(String n) throws InterruptedException {
            try (SignalingClient a = SignalingClient.connect(server.url("a-" + n), "a-" + n);
                 SignalingClient b = SignalingClient.connect(server.url("b-" + n), "b-" + n)) {
                BOTH.countDown();
                assertThat(BOTH.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                a.sendOffer("b-" + n, "v=0");
                b.awaitOffer(WAIT);
                assertThat(server.recording().takeMessage(WAIT)).hasToString("offer a-" + n + " -> b-" + n);
            }
        }
    }

    @Test
    void fromAThreadOfNoTestWhileTestsRunTheRecordingIsAmbiguous() {
        TestExecutionSummary s = JUnitRun.run(ForeignThread.class, JUnitRun.parallel(2));

        assertThat(s.getTestsFailedCount()).as(JUnitRun.failures(s)).isZero();
        assertThat(s.getTestsSucceededCount()).isEqualTo(2);
    }

    static class ForeignThread {
        static final CountDownLatch BOTH = new CountDownLatch(2);
        static final CountDownLatch CHECKED = new CountDownLatch(2);

        @RegisterExtension
        static SignalingServerExtension server = SignalingServerExtension.newInstance().build();

        @Test
        void one(Recording recording) throws Exception {
            check(recording);
        }

        @Test
        void two(Recording recording) throws Exception {
            check(recording);
        }

        private static void check(Recording injected) throws Exception {
            BOTH.countDown();
            assertThat(BOTH.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            Throwable[] seen = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    server.recording();
                } catch (Throwable t) {
                    seen[0] = t;
                }
            });
            other.start();
            other.join(WAIT.toMillis());
            CHECKED.countDown();
            assertThat(CHECKED.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue(); // neither ends before both checked
            assertThat(seen[0]).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("2 tests run at the same time");
            assertThat(injected).isSameAs(server.recording()); // on the test's own thread
        }
    }
}
