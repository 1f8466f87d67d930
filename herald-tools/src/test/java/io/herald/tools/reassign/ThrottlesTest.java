package io.herald.tools.reassign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class ThrottlesTest {
    private final TopicPartition a0 = new TopicPartition("a", 0);
    private final TopicPartition a1 = new TopicPartition("a", 1);
    private final TopicPartition b0 = new TopicPartition("b", 0);
    private final Map<TopicPartition, List<Integer>> current =
            Map.of(a0, List.of(1, 2), a1, List.of(2, 3), b0, List.of(1));
    private final Map<TopicPartition, List<Integer>> target =
            Map.of(a0, List.of(2, 4), a1, List.of(2, 3), b0, List.of(5));

    @Test
    void sendersAreLeadersAndNewReplicasFollowers() {
        var replicas = Throttles.replicas(target, current);
        assertThat(replicas.keySet()).containsExactly("a", "b");
        assertThat(replicas.get("a").leaders()).containsExactly("0:1", "0:2", "1:2", "1:3");
        assertThat(replicas.get("a").followers()).containsExactly("0:4");
        assertThat(replicas.get("b").leaders()).containsExactly("0:1");
        assertThat(replicas.get("b").followers()).containsExactly("0:5");
    }

    @Test
    void everyBrokerBeforeAndAfterGetsTheRate() {
        assertThat(Throttles.brokers(target, current)).containsExactly(1, 2, 3, 4, 5);
        Map<ConfigResource, Collection<AlterConfigOp>> ops = Throttles.set(target, current, 1000);
        assertThat(settings(ops.get(new ConfigResource(ConfigResource.Type.BROKER, "4"))))
                .isEqualTo("follower.replication.throttled.rate=1000,leader.replication.throttled.rate=1000");
        assertThat(settings(ops.get(new ConfigResource(ConfigResource.Type.TOPIC, "a"))))
                .isEqualTo("follower.replication.throttled.replicas=0:4,"
                        + "leader.replication.throttled.replicas=0:1,0:2,1:2,1:3");
    }

    @Test
    void aMoveOntoNewBrokersOnlyHasNoLeadersToThrottle() {
        var ops = Throttles.set(Map.of(b0, List.of(5)), Map.of(), 10);
        assertThat(settings(ops.get(new ConfigResource(ConfigResource.Type.TOPIC, "b"))))
                .isEqualTo("follower.replication.throttled.replicas=0:5");
    }

    @Test
    void clearingDeletesEachNamedConfig() {
        var ops = Throttles.clear(ConfigResource.Type.TOPIC, List.of("a"), Throttles.TOPIC_CONFIGS);
        assertThat(ops.get(new ConfigResource(ConfigResource.Type.TOPIC, "a")))
                .extracting(AlterConfigOp::opType)
                .containsOnly(AlterConfigOp.OpType.DELETE);
    }

    private static String settings(Collection<AlterConfigOp> ops) {
        return ops.stream()
                .map(op -> op.configEntry().name() + "=" + op.configEntry().value())
                .sorted()
                .collect(Collectors.joining(","));
    }
}
