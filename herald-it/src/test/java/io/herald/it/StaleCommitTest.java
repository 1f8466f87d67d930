package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zombie cannot overwrite offsets: a KIP-848 member's commit must carry its current member epoch, as Kafka checks
 * it (an older epoch, even the previous one, is answered STALE_MEMBER_EPOCH; an unknown member UNKNOWN_MEMBER_ID).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StaleCommitTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir).start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("first", 1, (short) 1), new NewTopic("second", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aCommitWithAnEarlierMemberEpochIsFenced() throws Exception {
        try (RawClient raw = new RawClient(node.bootstrapServers())) {
            // The first FindCoordinator creates __consumer_offsets; the group's coordinator answers once it is loaded.
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> raw.<FindCoordinatorResponseData>call(
                                            ApiKeys.FIND_COORDINATOR,
                                            4,
                                            new FindCoordinatorRequestData().setCoordinatorKeys(List.of("stale")))
                                    .coordinators()
                                    .get(0)
                                    .errorCode(),
                            code -> code == Errors.NONE.code());
            ConsumerGroupHeartbeatResponseData joined = await().atMost(Duration.ofSeconds(30))
                    .until(() -> heartbeat(raw, "", 0, List.of("first")), r -> r.errorCode() == 0);
            String memberId = joined.memberId();
            int firstEpoch = joined.memberEpoch();
            assertThat(firstEpoch).isPositive();

            // A new subscription bumps the group's epoch: the member moves to a later epoch.
            ConsumerGroupHeartbeatResponseData moved = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> heartbeat(raw, memberId, firstEpoch, List.of("first", "second")),
                            r -> r.errorCode() == 0 && r.memberEpoch() > firstEpoch);
            int currentEpoch = moved.memberEpoch();

            assertThat(commit(raw, memberId, firstEpoch)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
            assertThat(commit(raw, "zombie", currentEpoch)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(raw, memberId, currentEpoch + 1)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
            assertThat(commit(raw, memberId, currentEpoch)).isEqualTo(Errors.NONE);
        }
    }

    private static ConsumerGroupHeartbeatResponseData heartbeat(
            RawClient raw, String memberId, int epoch, List<String> topics) throws Exception {
        ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData()
                .setGroupId("stale")
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(new ArrayList<>(topics))
                .setTopicPartitions(epoch == 0 ? new ArrayList<>() : null);
        return raw.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, request);
    }

    private static Errors commit(RawClient raw, String memberId, int epoch) throws Exception {
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId("stale")
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("first")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(7)))));
        OffsetCommitResponseData response = raw.call(ApiKeys.OFFSET_COMMIT, 9, request);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }
}
