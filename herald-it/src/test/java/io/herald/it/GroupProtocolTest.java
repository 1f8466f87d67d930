package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group APIs on the wire: bad input (stale generations, unknown members, protocols nobody shares) is answered with
 * Kafka's error and the group goes on working; every advertised version of every group API is answered.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupProtocolTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("raw", 2, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static JoinGroupRequestData join(String group, String memberId, String protocolType, String protocol) {
        JoinGroupRequestData data = new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setProtocolType(protocolType)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000);
        data.protocols()
                .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName(protocol)
                        .setMetadata(new byte[] {0, 1}));
        return data;
    }

    private static Errors heartbeat(RawClient client, String group, String memberId, int generation) throws Exception {
        HeartbeatResponseData r = client.call(
                ApiKeys.HEARTBEAT,
                4,
                new HeartbeatRequestData()
                        .setGroupId(group)
                        .setMemberId(memberId)
                        .setGenerationId(generation));
        return Errors.forCode(r.errorCode());
    }

    private static Errors commit(RawClient client, String group, String memberId, int generation, long offset)
            throws Exception {
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation);
        data.topics()
                .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("raw")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(offset))));
        OffsetCommitResponseData r = client.call(ApiKeys.OFFSET_COMMIT, 8, data);
        return Errors.forCode(r.topics().get(0).partitions().get(0).errorCode());
    }

    private static void awaitCoordinator(RawClient client, String group) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            FindCoordinatorResponseData r = client.call(
                    ApiKeys.FIND_COORDINATOR,
                    3,
                    new FindCoordinatorRequestData().setKey(group).setKeyType((byte) 0));
            return r.errorCode() == Errors.NONE.code()
                    && heartbeat(client, group, "nobody", 0) != Errors.COORDINATOR_LOAD_IN_PROGRESS;
        });
    }

    @Test
    void badInputIsAnsweredWithKafkasErrorsAndTheGroupGoesOn() throws Exception {
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            awaitCoordinator(client, "raw-group");
            JoinGroupResponseData first =
                    client.call(ApiKeys.JOIN_GROUP, 9, join("raw-group", "", "consumer", "range"));
            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
            String member = first.memberId();
            JoinGroupResponseData joined =
                    client.call(ApiKeys.JOIN_GROUP, 9, join("raw-group", member, "consumer", "range"));
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            int generation = joined.generationId();
            SyncGroupRequestData sync = new SyncGroupRequestData()
                    .setGroupId("raw-group")
                    .setMemberId(member)
                    .setGenerationId(generation)
                    .setProtocolType("consumer")
                    .setProtocolName("range");
            sync.assignments()
                    .add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                            .setMemberId(member)
                            .setAssignment(new byte[] {4, 2}));
            SyncGroupResponseData synced = client.call(ApiKeys.SYNC_GROUP, 5, sync);
            assertThat(synced.assignment()).containsExactly(4, 2);

            assertThat(heartbeat(client, "raw-group", "stranger", generation)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(heartbeat(client, "raw-group", member, generation - 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(commit(client, "raw-group", member, generation - 1, 10)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(commit(client, "raw-group", "stranger", generation, 10)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            JoinGroupResponseData unsupported =
                    client.call(ApiKeys.JOIN_GROUP, 9, join("raw-group", "", "consumer", "no-such-assignor"));
            assertThat(Errors.forCode(unsupported.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            JoinGroupResponseData otherType =
                    client.call(ApiKeys.JOIN_GROUP, 9, join("raw-group", "", "connect", "range"));
            assertThat(Errors.forCode(otherType.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            JoinGroupRequestData tooShort =
                    join("raw-group", "", "consumer", "range").setSessionTimeoutMs(10);
            assertThat(Errors.forCode(
                            ((JoinGroupResponseData) client.call(ApiKeys.JOIN_GROUP, 9, tooShort)).errorCode()))
                    .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);

            // After all that, the member is still in its generation and its commit counts.
            assertThat(heartbeat(client, "raw-group", member, generation)).isEqualTo(Errors.NONE);
            assertThat(commit(client, "raw-group", member, generation, 10)).isEqualTo(Errors.NONE);
            OffsetFetchRequestData fetch = new OffsetFetchRequestData().setGroupId("raw-group");
            fetch.topics()
                    .add(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                            .setName("raw")
                            .setPartitionIndexes(List.of(0, 1)));
            OffsetFetchResponseData fetched = client.call(ApiKeys.OFFSET_FETCH, 7, fetch);
            assertThat(fetched.topics().get(0).partitions())
                    .extracting(OffsetFetchResponseData.OffsetFetchResponsePartition::committedOffset)
                    .containsExactly(10L, -1L);

            ConsumerGroupHeartbeatResponseData unknown = client.call(
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                    1,
                    new ConsumerGroupHeartbeatRequestData()
                            .setGroupId("raw-consumer-group")
                            .setMemberId(Uuid.randomUuid().toString())
                            .setMemberEpoch(5));
            assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            ConsumerGroupHeartbeatResponseData badAssignor = client.call(
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                    1,
                    new ConsumerGroupHeartbeatRequestData()
                            .setGroupId("raw-consumer-group")
                            .setMemberId(Uuid.randomUuid().toString())
                            .setMemberEpoch(0)
                            .setRebalanceTimeoutMs(10_000)
                            .setServerAssignor("no-such-assignor")
                            .setSubscribedTopicNames(List.of("raw"))
                            .setTopicPartitions(List.of()));
            assertThat(Errors.forCode(badAssignor.errorCode())).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);
            ConsumerGroupHeartbeatResponseData classicGroup = client.call(
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                    1,
                    new ConsumerGroupHeartbeatRequestData()
                            .setGroupId("raw-group")
                            .setMemberId(Uuid.randomUuid().toString())
                            .setMemberEpoch(0)
                            .setRebalanceTimeoutMs(10_000)
                            .setSubscribedTopicNames(List.of("raw"))
                            .setTopicPartitions(List.of()));
            assertThat(Errors.forCode(classicGroup.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

            // The first FindCoordinator for a transactional id creates __transaction_state (COORDINATOR_NOT_AVAILABLE
            // meanwhile, as Kafka answers); then the leader of the id's partition is named.
            FindCoordinatorResponseData transaction = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> client.<FindCoordinatorResponseData>call(
                                    ApiKeys.FIND_COORDINATOR,
                                    4,
                                    new FindCoordinatorRequestData()
                                            .setKeyType((byte) 1)
                                            .setCoordinatorKeys(List.of("txn"))),
                            r -> r.coordinators().get(0).errorCode() == Errors.NONE.code());
            assertThat(transaction.coordinators().get(0).nodeId()).isEqualTo(1);
        }
    }

    @Test
    void everyAdvertisedVersionOfEveryGroupApiIsAnswered() throws Exception {
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            awaitCoordinator(client, "sweep");
            ApiVersionsResponseData versions = client.call(
                    ApiKeys.API_VERSIONS,
                    3,
                    new ApiVersionsRequestData().setClientSoftwareName("sweep").setClientSoftwareVersion("1"));
            List<ApiKeys> groupApis = List.of(
                    ApiKeys.FIND_COORDINATOR,
                    ApiKeys.JOIN_GROUP,
                    ApiKeys.SYNC_GROUP,
                    ApiKeys.HEARTBEAT,
                    ApiKeys.LEAVE_GROUP,
                    ApiKeys.OFFSET_COMMIT,
                    ApiKeys.OFFSET_FETCH,
                    ApiKeys.OFFSET_DELETE,
                    ApiKeys.LIST_GROUPS,
                    ApiKeys.DESCRIBE_GROUPS,
                    ApiKeys.DELETE_GROUPS,
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                    ApiKeys.CONSUMER_GROUP_DESCRIBE);
            for (ApiKeys key : groupApis) {
                ApiVersionsResponseData.ApiVersion range = versions.apiKeys().find(key.id);
                assertThat(range).as(key + " advertised").isNotNull();
                for (int v = range.minVersion(); v <= range.maxVersion(); v++) {
                    ApiMessage response = client.call(key, v, request(key, v));
                    assertThat(response).as(key + " v" + v).isNotNull();
                    assertThat(response.toString()).as(key + " v" + v).doesNotContain("errorCode=-1,");
                }
            }
        }
    }

    private static ApiMessage request(ApiKeys key, int v) {
        String group = "sweep";
        return switch (key) {
            case FIND_COORDINATOR ->
                v >= 4
                        ? new FindCoordinatorRequestData().setCoordinatorKeys(List.of(group))
                        : new FindCoordinatorRequestData().setKey(group);
            case JOIN_GROUP -> {
                JoinGroupRequestData data = join("sweep-join-" + v, "", "consumer", "range");
                yield v == 0 ? data.setRebalanceTimeoutMs(-1) : data;
            }
            case SYNC_GROUP ->
                new SyncGroupRequestData().setGroupId(group).setMemberId("m").setGenerationId(1);
            case HEARTBEAT ->
                new HeartbeatRequestData().setGroupId(group).setMemberId("m").setGenerationId(1);
            case LEAVE_GROUP ->
                v >= 3
                        ? new LeaveGroupRequestData()
                                .setGroupId(group)
                                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m")))
                        : new LeaveGroupRequestData().setGroupId(group).setMemberId("m");
            case OFFSET_COMMIT -> {
                OffsetCommitRequestData data = new OffsetCommitRequestData()
                        .setGroupId(group)
                        .setGenerationIdOrMemberEpoch(-1)
                        .setMemberId("");
                data.topics()
                        .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                .setName("raw")
                                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(0)
                                        .setCommittedOffset(v))));
                yield data;
            }
            case OFFSET_FETCH -> {
                if (v >= 8) {
                    OffsetFetchRequestData data = new OffsetFetchRequestData();
                    data.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group));
                    yield data;
                }
                OffsetFetchRequestData data = new OffsetFetchRequestData().setGroupId(group);
                data.topics()
                        .add(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                                .setName("raw")
                                .setPartitionIndexes(List.of(0)));
                yield data;
            }
            case OFFSET_DELETE -> {
                OffsetDeleteRequestData data = new OffsetDeleteRequestData().setGroupId("no-such-group");
                yield data;
            }
            case LIST_GROUPS -> new ListGroupsRequestData();
            case DESCRIBE_GROUPS -> new DescribeGroupsRequestData().setGroups(List.of(group, "no-such-group"));
            case DELETE_GROUPS -> new DeleteGroupsRequestData().setGroupsNames(List.of("no-such-group"));
            case CONSUMER_GROUP_HEARTBEAT ->
                new ConsumerGroupHeartbeatRequestData()
                        .setGroupId("sweep-consumer-" + v)
                        .setMemberId(v >= 1 ? Uuid.randomUuid().toString() : "")
                        .setMemberEpoch(0)
                        .setRebalanceTimeoutMs(10_000)
                        .setSubscribedTopicNames(List.of("raw"))
                        .setTopicPartitions(List.of());
            case CONSUMER_GROUP_DESCRIBE ->
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of("sweep-consumer-0", group));
            default -> throw new IllegalArgumentException(key.toString());
        };
    }
}
