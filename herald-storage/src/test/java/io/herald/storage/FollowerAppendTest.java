package io.herald.storage;

import static io.herald.storage.TestRecords.batch;
import static io.herald.storage.TestRecords.idempotent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.ManualClock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Follower appends copy the leader's batches byte for byte and rebuild producer state and leader epochs from them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FollowerAppendTest {
    @TempDir
    Path tmp;

    private static MemoryRecords toMemory(Records records) {
        ByteBuffer buf = ByteBuffer.allocate(records.sizeInBytes());
        records.batches().forEach(b -> b.writeTo(buf));
        return MemoryRecords.readableRecords(buf.flip());
    }

    @Test
    void followerMirrorsTheLeader() {
        ManualClock clock = new ManualClock(LogFixture.START_MS);
        ManualScheduler scheduler = new ManualScheduler(clock);
        LogConfig config = LogConfig.fromProperties(Map.of("internal.segment.bytes", "500"), LogConfig.DEFAULTS);
        PartitionLog leader = PartitionLog.open(
                new TopicPartition("t", 0), tmp.resolve("leader/t-0").toFile(), config, -1, 0, true, clock, scheduler);
        PartitionLog follower = PartitionLog.open(
                new TopicPartition("t", 0),
                tmp.resolve("follower/t-0").toFile(),
                config,
                -1,
                0,
                true,
                clock,
                scheduler);
        leader.append(batch(CompressionType.LZ4, clock.millis(), "a", 3), 1);
        MemoryRecords first = idempotent(9L, (short) 0, 0, clock.millis(), 2);
        MemoryRecords retry = TestRecords.copy(first);
        leader.append(first, 2);
        for (int i = 0; i < 6; i++) {
            leader.append(batch(clock.millis(), "b" + i, 2), 3);
        }

        long next = 0;
        while (next < leader.logEndOffset()) {
            Records chunk = leader.read(next, 300, leader.logEndOffset(), true).records();
            LogAppendInfo info = follower.appendAsFollower(toMemory(chunk));
            assertThat(info.firstOffset()).isEqualTo(next);
            next = info.lastOffset() + 1;
        }
        assertThat(follower.logEndOffset()).isEqualTo(leader.logEndOffset());
        assertThat(toMemory(
                        follower.read(0, 1 << 20, follower.logEndOffset(), true).records()))
                .isEqualTo(toMemory(
                        leader.read(0, 1 << 20, leader.logEndOffset(), true).records()));
        for (int epoch = 0; epoch <= 4; epoch++) {
            assertThat(follower.endOffsetForEpoch(epoch)).isEqualTo(leader.endOffsetForEpoch(epoch));
        }
        // If this follower became leader, the producer's retry would still be recognised.
        assertThat(follower.append(retry, 4).duplicate()).isTrue();

        MemoryRecords again =
                toMemory(leader.read(0, 1 << 20, leader.logEndOffset(), true).records());
        assertThatThrownBy(() -> follower.appendAsFollower(again)).isInstanceOf(UnexpectedAppendOffsetException.class);
        leader.close();
        follower.close();
    }
}
