package io.herald.replication.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.replication.EpochEnd;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulated log answers as the real one must, or the simulation would check the rules against a wrong log. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimLogTest {
    private static SimLog log() {
        SimLog log = new SimLog();
        log.appendAsLeader(0, List.of(1L, 2L)); // 0-1
        log.assignEpoch(2, 2);
        log.appendAsLeader(2, List.of(3L)); // 2
        log.appendAsLeader(2, List.of(4L, 5L, 6L)); // 3-5
        log.assignEpoch(5, 6);
        log.appendAsLeader(5, List.of(7L)); // 6
        return log;
    }

    @Test
    void endOffsetForEpochAnswersAsOffsetForLeaderEpoch() {
        SimLog log = log();
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEnd(5, 7)); // latest: the log end
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEnd(2, 6)); // where the next epoch starts
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEnd(2, 6)); // unknown: the latest epoch below it
        assertThat(log.endOffsetForEpoch(6)).isEqualTo(EpochEnd.UNDEFINED); // newer than any
        assertThat(log.endOffsetForEpoch(-1)).isEqualTo(EpochEnd.UNDEFINED);
        assertThat(new SimLog().endOffsetForEpoch(0)).isEqualTo(EpochEnd.UNDEFINED);
    }

    @Test
    void truncationCutsBatchesEpochsAndTheHighWatermark() {
        SimLog log = log();
        log.raiseHighWatermark(100);
        assertThat(log.highWatermark()).isEqualTo(7); // never past the log end
        log.truncateTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.highWatermark()).isEqualTo(3);
        assertThat(log.latestEpoch()).isEqualTo(2);
        assertThat(log.valueAt(2)).isEqualTo(3L);
        assertThat(log.valueAt(3)).isNull();
        assertThatThrownBy(() -> log.truncateTo(1)).hasMessageContaining("inside batch");
    }

    @Test
    void anEmptyEpochAtTheLogEndGoesOnTruncationToTheLogEnd() {
        SimLog log = log();
        log.assignEpoch(7, 7); // led epoch 7 without appending
        log.truncateTo(7);
        assertThat(log.latestEpoch()).isEqualTo(5);
    }

    @Test
    void aFollowerAppendsOnlyAtItsLogEnd() {
        SimLog leader = log();
        SimLog follower = new SimLog();
        for (SimLog.Batch batch : leader.read(0, 10)) {
            follower.appendFetched(batch);
        }
        assertThat(follower.epochCache()).isEqualTo(leader.epochCache());
        assertThatThrownBy(() -> follower.appendFetched(leader.read(0, 1).get(0)))
                .hasMessageContaining("does not start at the log end");
    }
}
