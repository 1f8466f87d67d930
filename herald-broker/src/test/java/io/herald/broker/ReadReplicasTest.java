package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.metadata.BrokerEndpoint;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestContext;
import io.herald.replication.LeaderState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/** KIP-392 selection at the leader (broker 1, rack-a) among followers 2 and 3 (rack-b), 3 fenced. */
class ReadReplicasTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final ReadReplicas RACK_AWARE = ReadReplicas.from(
            Map.of(ReadReplicas.SELECTOR_CLASS, "org.apache.kafka.common.replica.RackAwareReplicaSelector"));

    private static MetadataImage image() {
        List<MetadataRecord> records = new ArrayList<>();
        String[] racks = {"rack-a", "rack-b", "rack-b"};
        for (int id = 1; id <= 3; id++) {
            records.add(new MetadataRecord.RegisterBroker(
                    id,
                    Uuid.randomUuid(),
                    id,
                    List.of(new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 9090 + id, "PLAINTEXT")),
                    racks[id - 1]));
            records.add(new MetadataRecord.BrokerFencing(id, id, id == 3));
        }
        return MetadataImage.fromRecords(records.size(), records);
    }

    private static LeaderState leader(List<Integer> isr) {
        LeaderState state = new LeaderState(1, 0, 0, List.of(1, 2, 3), isr, 0, 0, 1_000);
        state.followerFetched(2, 100, 100, 1_000);
        state.followerFetched(3, 100, 100, 1_000);
        return state;
    }

    private static int preferred(ReadReplicas replicas, LeaderState leader, long fetchOffset, String rack) {
        RequestContext context = new RequestContext(
                new RequestHeader(ApiKeys.FETCH, (short) 17, "consumer", 7),
                new ConnectionInfo("PLAINTEXT", InetAddress.getLoopbackAddress(), "c1"),
                0);
        return replicas.preferred(image(), 1, TP, leader, fetchOffset, 0, 100, context, rack);
    }

    @Test
    void aConsumerInAFollowersRackIsSentToTheLiveInSyncFollowerThere() {
        assertThat(preferred(RACK_AWARE, leader(List.of(1, 2, 3)), 50, "rack-b"))
                .isEqualTo(2);
        assertThat(preferred(RACK_AWARE, leader(List.of(1, 2, 3)), 100, "rack-b"))
                .as("the follower's log ends at the fetch offset: it can serve it")
                .isEqualTo(2);
    }

    @Test
    void theLeaderServesWhenNoSuitableFollowerIsInTheConsumersRack() {
        assertThat(preferred(RACK_AWARE, leader(List.of(1, 2, 3)), 50, "rack-a"))
                .as("its own rack")
                .isEqualTo(-1);
        assertThat(preferred(RACK_AWARE, leader(List.of(1, 2, 3)), 50, ""))
                .as("no client.rack")
                .isEqualTo(-1);
        assertThat(preferred(RACK_AWARE, leader(List.of(1, 2, 3)), 150, "rack-b"))
                .as("the follower does not hold the offset yet")
                .isEqualTo(-1);
        assertThat(preferred(RACK_AWARE, leader(List.of(1, 3)), 50, "rack-b"))
                .as("follower 2 is out of sync, follower 3 fenced")
                .isEqualTo(-1);
    }

    @Test
    void withoutASelectorEveryConsumerReadsFromTheLeader() {
        ReadReplicas none = ReadReplicas.from(Map.of());
        assertThat(none.enabled()).isFalse();
        assertThat(preferred(none, leader(List.of(1, 2, 3)), 50, "rack-b")).isEqualTo(-1);
        assertThatThrownBy(() -> ReadReplicas.from(Map.of(ReadReplicas.SELECTOR_CLASS, "no.such.Selector")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replica.selector.class");
    }
}
