package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker catches each way a broker can break its promise, and passes a history that keeps it. */
class AckCheckerTest {

    /** Ten records over two partitions (seq % 2), all acknowledged at offset seq / 2. */
    private static AckChecker.History history() {
        AckChecker.History history = new AckChecker.History();
        for (long seq = 0; seq < 10; seq++) {
            history.sent(seq, (int) (seq % 2));
            history.acked(seq, seq / 2);
        }
        return history;
    }

    private static AckChecker.Read read(long seq, long offset) {
        return new AckChecker.Read((int) (seq % 2), offset, "k" + seq, Long.toString(seq));
    }

    private static List<AckChecker.Read> faithful() {
        List<AckChecker.Read> reads = new ArrayList<>();
        for (long seq = 0; seq < 10; seq++) {
            reads.add(read(seq, seq / 2));
        }
        return reads;
    }

    @Test
    void aFaithfulReadBackIsClean() {
        AckChecker.Report report = AckChecker.check(history(), faithful());
        assertThat(report.clean()).as(report.toString()).isTrue();
        assertThat(report.toString()).isEqualTo("10 acknowledged, 10 read back");
    }

    @Test
    void aLostAcknowledgedRecordIsNamed() {
        List<AckChecker.Read> reads = faithful();
        reads.remove(7); // seq 7, p1@3
        AckChecker.Report report = AckChecker.check(history(), reads);
        assertThat(report.clean()).isFalse();
        assertThat(report.lost()).containsExactly("seq 7 (p1@3)");
        assertThat(report.toString()).contains("1 lost (acknowledged, never read): seq 7 (p1@3)");
    }

    @Test
    void aDuplicateIsNamedWithBothPlaces() {
        List<AckChecker.Read> reads = faithful();
        reads.add(read(4, 5)); // seq 4 (p0@2) written again at p0@5
        AckChecker.Report report = AckChecker.check(history(), reads);
        assertThat(report.duplicated()).containsExactly("seq 4 at p0@2 and p0@5");
        assertThat(report.lost()).isEmpty();
        assertThat(report.reordered()).as("a duplicate is not also a reorder").isEmpty();
    }

    @Test
    void aReorderWithinAPartitionIsNamed() {
        AckChecker.History history = new AckChecker.History();
        for (long seq = 0; seq < 10; seq++) {
            history.sent(seq, (int) (seq % 2));
        }
        for (long seq = 0; seq < 10; seq++) {
            history.acked(seq, seq == 2 ? 2 : seq == 4 ? 1 : seq / 2);
        }
        List<AckChecker.Read> reads = faithful();
        reads.set(1 * 2, read(4, 1)); // p0 now reads seq 0, 4, 2, ...: seq 2 comes after seq 4
        reads.set(2 * 2, read(2, 2));
        AckChecker.Report report = AckChecker.check(history, reads);
        assertThat(report.reordered()).containsExactly("seq 2 at p0@2 after seq 4");
        assertThat(report.lost()).isEmpty();
        assertThat(report.duplicated()).isEmpty();
    }

    @Test
    void aRecordAtAnotherOffsetThanItsAcknowledgementIsNamed() {
        List<AckChecker.Read> reads = faithful();
        reads.set(9, read(9, 6)); // acknowledged at p1@4
        AckChecker.Report report = AckChecker.check(history(), reads);
        assertThat(report.moved()).containsExactly("seq 9 acknowledged at p1@4, read at p1@6");
    }

    @Test
    void aFailedSendMayOrMayNotHaveBeenWrittenButNeverTwice() {
        AckChecker.History history = new AckChecker.History();
        history.sent(0, 0);
        history.acked(0, 0);
        history.sent(1, 0);
        history.failed(1, new org.apache.kafka.common.errors.TimeoutException("expired"));
        history.sent(2, 0);
        history.failed(2, new org.apache.kafka.common.errors.TimeoutException("expired"));
        List<AckChecker.Read> reads =
                List.of(new AckChecker.Read(0, 0, "k0", "0"), new AckChecker.Read(0, 1, "k1", "1"));
        assertThat(AckChecker.check(history, reads).clean()).isTrue();
        assertThat(history.failureKinds()).containsEntry("TimeoutException", 2L);

        List<AckChecker.Read> twice = List.of(
                new AckChecker.Read(0, 0, "k0", "0"),
                new AckChecker.Read(0, 1, "k1", "1"),
                new AckChecker.Read(0, 2, "k1", "1"));
        assertThat(AckChecker.check(history, twice).duplicated()).containsExactly("seq 1 at p0@1 and p0@2");
    }

    @Test
    void aRecordNobodySentIsNamed() {
        List<AckChecker.Read> reads = faithful();
        reads.add(new AckChecker.Read(0, 5, "stray", "x"));
        reads.add(new AckChecker.Read(1, 5, "k99", "99"));
        AckChecker.Report report = AckChecker.check(history(), reads);
        assertThat(report.unknown()).containsExactly("p0@5 key=stray value=x", "p1@5 key=k99 value=99");
    }
}
