package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GetOffsetShellTest {
    private final MockAdminClient admin = MockAdminClient.create().numBrokers(1).build();

    @BeforeEach
    void setUp() throws Exception {
        admin.createTopics(List.of(new NewTopic("t", 12, (short) 1), new NewTopic("other", 1, (short) 1)))
                .all()
                .get();
        var begin = new HashMap<TopicPartition, Long>();
        var end = new HashMap<TopicPartition, Long>();
        for (int p = 0; p < 12; p++) {
            begin.put(new TopicPartition("t", p), (long) p);
            end.put(new TopicPartition("t", p), 100L + p);
        }
        begin.put(new TopicPartition("other", 0), 0L);
        end.put(new TopicPartition("other", 0), 7L);
        admin.updateBeginningOffsets(begin);
        admin.updateEndOffsets(end);
    }

    private ToolOutput offsets(String... args) {
        return ToolOutput.run((a, o, e) -> GetOffsetShell.run(a, o, e, props -> admin), args);
    }

    @Test
    void latestForSelectedPartitionsInKafkaOrder() {
        var r = offsets("--bootstrap-server", "h:9092", "--topic", "t", "--partitions", "1,2,10");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // Kafka sorts by "topic-partition" text, so t-10 precedes t-2.
        assertThat(r.out()).isEqualTo("t:1:101\nt:10:110\nt:2:102\n");
    }

    @Test
    void earliestWithTopicPartitionPatterns() {
        var r = offsets("--bootstrap-server", "h", "--topic-partitions", "t:3-5,oth.*", "--time", "-2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("other:0:0\nt:3:3\nt:4:4\n");
    }

    @Test
    void errors() {
        assertThat(offsets("--bootstrap-server", "h", "--topic", "nope").err())
                .isEqualTo("Error occurred: Could not match any topic-partitions with the specified filters\n");
        assertThat(offsets("--bootstrap-server", "h", "--time", "yesterday").err())
                .startsWith("Error occurred: Malformed time argument yesterday. Please use -1 or latest");
        assertThat(offsets("--bootstrap-server", "h", "--topic-partitions", "t", "--topic", "t")
                        .err())
                .isEqualTo("Error occurred: --topic-partitions cannot be used with --topic or --partitions\n");
        assertThat(offsets("--topic", "t").err())
                .isEqualTo("Error occurred: Missing required argument \"[bootstrap-server]\"\n");
        assertThat(offsets("--bootstrap-server", "h", "--partitions", "a").exitCode())
                .isEqualTo(1);
    }
}
