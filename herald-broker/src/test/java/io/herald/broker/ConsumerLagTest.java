package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metrics.SampleFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final TopicPartition ELSEWHERE = new TopicPartition("audit", 0);

    private static Map<String, Map<TopicPartition, Long>> committed(Object... groupPartitionOffset) {
        Map<String, Map<TopicPartition, Long>> result = new LinkedHashMap<>();
        for (int i = 0; i < groupPartitionOffset.length; i += 3) {
            result.computeIfAbsent((String) groupPartitionOffset[i], g -> new LinkedHashMap<>())
                    .put((TopicPartition) groupPartitionOffset[i + 1], (Long) groupPartitionOffset[i + 2]);
        }
        return result;
    }

    @Test
    void lagIsTheHighWatermarkMinusTheCommittedOffset() {
        Map<TopicPartition, Long> highWatermarks = Map.of(P0, 100L, P1, 40L);

        List<SampleFamily.Sample> samples = BrokerMetrics.lagSamples(
                committed("g1", P0, 60L, "g1", P1, 40L, "g2", P0, 0L),
                tp -> Optional.ofNullable(highWatermarks.get(tp)));

        assertThat(samples)
                .containsExactly(
                        new SampleFamily.Sample(List.of("g1", "orders", "0"), 40),
                        new SampleFamily.Sample(List.of("g1", "orders", "1"), 0),
                        new SampleFamily.Sample(List.of("g2", "orders", "0"), 100));
    }

    @Test
    void partitionsNotHostedHereAndMissingCommitsAreLeftOut() {
        List<SampleFamily.Sample> samples = BrokerMetrics.lagSamples(
                committed("g", ELSEWHERE, 5L, "g", P0, -1L), tp -> tp.equals(P0) ? Optional.of(10L) : Optional.empty());

        assertThat(samples).isEmpty();
    }

    @Test
    void aCommitAheadOfTheHighWatermarkIsNoLag() {
        // After a leader change truncated the log, a commit can be past the new high watermark: lag is 0, not < 0.
        List<SampleFamily.Sample> samples = BrokerMetrics.lagSamples(committed("g", P0, 15L), tp -> Optional.of(10L));

        assertThat(samples).containsExactly(new SampleFamily.Sample(List.of("g", "orders", "0"), 0));
    }
}
