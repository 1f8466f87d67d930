package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateDelegationTokenRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeDelegationTokenRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.ExpireDelegationTokenRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListConfigResourcesRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RenewDelegationTokenRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every advertised version of every served API gets a well-formed answer: requests are built with kafka-clients'
 * message classes at each version the broker advertises, and the response must parse at that version.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolVersionSweepTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Uuid topicId;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            topicId = admin.createTopics(List.of(new NewTopic("sweep", 1, (short) 1)))
                    .topicId("sweep")
                    .get();
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void everyAdvertisedVersionOfEveryServedApiIsAnswered() throws Exception {
        try (Socket socket = connect()) {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) call(
                            socket,
                            ApiKeys.API_VERSIONS,
                            (short) 3,
                            new ApiVersionsRequestData()
                                    .setClientSoftwareName("sweep")
                                    .setClientSoftwareVersion("1"))
                    .data();
            for (ApiVersionsResponseData.ApiVersion range : versions.apiKeys()) {
                ApiKeys key = ApiKeys.forId(range.apiKey());
                IntFunction<ApiMessage> request = requestFor(key);
                if (request == null) {
                    continue;
                }
                short min = (short) Math.max(range.minVersion(), key.oldestVersion());
                for (short v = min; v <= range.maxVersion(); v++) {
                    AbstractResponse response = call(socket, key, v, request.apply(v));
                    assertThat(response).as(key + " v" + v).isNotNull();
                    // UNKNOWN_SERVER_ERROR is only ever a Herald bug: every client mistake has its own code.
                    assertThat(response.errorCounts())
                            .as(key + " v" + v + " errors")
                            .doesNotContainKey(Errors.UNKNOWN_SERVER_ERROR);
                }
            }
        }
    }

    /**
     * Null is not empty on the wire: a successful result's error message is null in Kafka's answers (a created or
     * validated topic, an altered quota, a reassignment listing), so every answer of the sweep, and a few successful
     * requests beyond it, must carry null there.
     */
    @Test
    void successfulResultsCarryANullErrorMessageAsKafkasDo() throws Exception {
        List<String> nonNull = new java.util.ArrayList<>();
        try (Socket socket = connect()) {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) call(
                            socket,
                            ApiKeys.API_VERSIONS,
                            (short) 3,
                            new ApiVersionsRequestData()
                                    .setClientSoftwareName("sweep")
                                    .setClientSoftwareVersion("1"))
                    .data();
            for (ApiVersionsResponseData.ApiVersion range : versions.apiKeys()) {
                ApiKeys key = ApiKeys.forId(range.apiKey());
                List<IntFunction<ApiMessage>> requests = new java.util.ArrayList<>();
                if (requestFor(key) != null) {
                    requests.add(requestFor(key));
                }
                if (key == ApiKeys.CREATE_TOPICS) {
                    requests.add(v -> {
                        CreateTopicsRequestData data = new CreateTopicsRequestData()
                                .setTimeoutMs(10_000)
                                .setValidateOnly(true);
                        data.topics()
                                .add(new CreateTopicsRequestData.CreatableTopic()
                                        .setName("sweep-validated")
                                        .setNumPartitions(2)
                                        .setReplicationFactor((short) 1));
                        return data;
                    });
                }
                if (key == ApiKeys.ALTER_CLIENT_QUOTAS) {
                    requests.add(v -> new AlterClientQuotasRequestData()
                            .setValidateOnly(true)
                            .setEntries(List.of(new AlterClientQuotasRequestData.EntryData()
                                    .setEntity(List.of(new AlterClientQuotasRequestData.EntityData()
                                            .setEntityType("client-id")
                                            .setEntityName("sweep")))
                                    .setOps(List.of(new AlterClientQuotasRequestData.OpData()
                                            .setKey("producer_byte_rate")
                                            .setValue(1024))))));
                }
                short min = (short) Math.max(range.minVersion(), key.oldestVersion());
                for (IntFunction<ApiMessage> request : requests) {
                    for (short v = min; v <= range.maxVersion(); v++) {
                        AbstractResponse response = call(socket, key, v, request.apply(v));
                        for (String path : NullableFields.messagesOnSuccess(response.data())) {
                            nonNull.add(key + " v" + v + " " + path);
                        }
                    }
                }
            }
        }
        assertThat(nonNull).isEmpty();
    }

    private static IntFunction<ApiMessage> requestFor(ApiKeys key) {
        return switch (key) {
            case API_VERSIONS ->
                v -> new ApiVersionsRequestData()
                        .setClientSoftwareName(v >= 3 ? "sweep" : "")
                        .setClientSoftwareVersion(v >= 3 ? "1" : "");
            case METADATA ->
                v -> {
                    MetadataRequestData data = new MetadataRequestData().setAllowAutoTopicCreation(v < 4 || false);
                    data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("sweep"));
                    return data;
                };
            case PRODUCE ->
                v -> {
                    ProduceRequestData data =
                            new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5000);
                    ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
                    if (v >= 13) {
                        topic.setTopicId(topicId);
                    } else {
                        topic.setName("sweep");
                    }
                    topic.partitionData()
                            .add(new ProduceRequestData.PartitionProduceData()
                                    .setIndex(0)
                                    .setRecords(MemoryRecords.withRecords(
                                            Compression.NONE, new SimpleRecord(("v" + v).getBytes()))));
                    data.topicData().add(topic);
                    return data;
                };
            case FETCH ->
                v -> {
                    FetchRequestData data = new FetchRequestData()
                            .setReplicaId(-1)
                            .setMaxWaitMs(10)
                            .setMinBytes(1)
                            .setMaxBytes(1 << 20)
                            .setIsolationLevel((byte) (v % 2))
                            .setSessionEpoch(-1);
                    FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic();
                    if (v >= 13) {
                        topic.setTopicId(topicId);
                    } else {
                        topic.setTopic("sweep");
                    }
                    topic.partitions()
                            .add(new FetchRequestData.FetchPartition()
                                    .setPartition(0)
                                    .setFetchOffset(0)
                                    .setPartitionMaxBytes(1 << 20));
                    data.topics().add(topic);
                    return data;
                };
            case LIST_OFFSETS ->
                v -> {
                    ListOffsetsRequestData data = new ListOffsetsRequestData().setReplicaId(-1);
                    data.topics()
                            .add(new ListOffsetsRequestData.ListOffsetsTopic()
                                    .setName("sweep")
                                    .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                            .setPartitionIndex(0)
                                            .setTimestamp(-1))));
                    return data;
                };
            case OFFSET_FOR_LEADER_EPOCH ->
                v -> {
                    OffsetForLeaderEpochRequestData data = new OffsetForLeaderEpochRequestData();
                    OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic =
                            new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("sweep");
                    topic.partitions()
                            .add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                                    .setPartition(0)
                                    .setLeaderEpoch(0));
                    data.topics().add(topic);
                    return data;
                };
            case INIT_PRODUCER_ID -> v -> new InitProducerIdRequestData().setTransactionTimeoutMs(1000);
            case DESCRIBE_CONFIGS ->
                v -> {
                    DescribeConfigsRequestData data = new DescribeConfigsRequestData();
                    data.resources()
                            .add(new DescribeConfigsRequestData.DescribeConfigsResource()
                                    .setResourceType((byte) 2)
                                    .setResourceName("sweep"));
                    data.resources()
                            .add(new DescribeConfigsRequestData.DescribeConfigsResource()
                                    .setResourceType((byte) 4)
                                    .setResourceName("1"));
                    return data;
                };
            case DESCRIBE_QUORUM ->
                v -> {
                    DescribeQuorumRequestData data = new DescribeQuorumRequestData();
                    data.topics()
                            .add(new DescribeQuorumRequestData.TopicData()
                                    .setTopicName("__cluster_metadata")
                                    .setPartitions(List.of(new DescribeQuorumRequestData.PartitionData())));
                    return data;
                };
            case DESCRIBE_LOG_DIRS -> v -> new DescribeLogDirsRequestData().setTopics(null);
            case DESCRIBE_CLUSTER -> v -> new DescribeClusterRequestData();
            case CREATE_TOPICS ->
                v -> {
                    CreateTopicsRequestData data = new CreateTopicsRequestData().setTimeoutMs(10_000);
                    data.topics()
                            .add(new CreateTopicsRequestData.CreatableTopic()
                                    .setName("sweep-created-" + v)
                                    .setNumPartitions(1)
                                    .setReplicationFactor((short) 1));
                    return data;
                };
            case DELETE_TOPICS ->
                v -> {
                    DeleteTopicsRequestData data = new DeleteTopicsRequestData().setTimeoutMs(10_000);
                    if (v >= 6) {
                        data.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("sweep-created-" + v));
                    } else {
                        data.topicNames().add("sweep-created-" + v);
                    }
                    return data;
                };
            // ACL filters of type ANY (1): kafka-clients refuses UNKNOWN (0) elements when parsing.
            case DESCRIBE_ACLS ->
                v -> new DescribeAclsRequestData()
                        .setResourceTypeFilter((byte) 1)
                        .setPatternTypeFilter((byte) 1)
                        .setOperation((byte) 1)
                        .setPermissionType((byte) 1);
            case CREATE_ACLS ->
                v -> new CreateAclsRequestData()
                        .setCreations(List.of(new CreateAclsRequestData.AclCreation()
                                .setResourceType((byte) 2)
                                .setResourceName("sweep")
                                .setResourcePatternType((byte) 3)
                                .setPrincipal("User:sweep")
                                .setHost("*")
                                .setOperation((byte) 3)
                                .setPermissionType((byte) 3)));
            case DELETE_ACLS ->
                v -> new DeleteAclsRequestData()
                        .setFilters(List.of(new DeleteAclsRequestData.DeleteAclsFilter()
                                .setResourceTypeFilter((byte) 1)
                                .setPatternTypeFilter((byte) 1)
                                .setOperation((byte) 1)
                                .setPermissionType((byte) 1)));
            case CREATE_DELEGATION_TOKEN -> v -> new CreateDelegationTokenRequestData();
            case RENEW_DELEGATION_TOKEN -> v -> new RenewDelegationTokenRequestData().setHmac(new byte[] {1});
            case EXPIRE_DELEGATION_TOKEN -> v -> new ExpireDelegationTokenRequestData().setHmac(new byte[] {1});
            case DESCRIBE_DELEGATION_TOKEN -> v -> new DescribeDelegationTokenRequestData();
            case LIST_TRANSACTIONS -> v -> new ListTransactionsRequestData();
            case DESCRIBE_TRANSACTIONS ->
                v -> new org.apache.kafka.common.message.DescribeTransactionsRequestData()
                        .setTransactionalIds(List.of("sweep-txn"));
            case ADD_PARTITIONS_TO_TXN ->
                v -> {
                    var data = new org.apache.kafka.common.message.AddPartitionsToTxnRequestData();
                    var topics = new org.apache.kafka.common.message.AddPartitionsToTxnRequestData
                            .AddPartitionsToTxnTopicCollection();
                    topics.add(
                            new org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                                    .setName("sweep")
                                    .setPartitions(List.of(0)));
                    if (v <= 3) {
                        return data.setV3AndBelowTransactionalId("sweep-txn")
                                .setV3AndBelowProducerId(1)
                                .setV3AndBelowProducerEpoch((short) 0)
                                .setV3AndBelowTopics(topics);
                    }
                    data.transactions()
                            .add(
                                    new org.apache.kafka.common.message.AddPartitionsToTxnRequestData
                                                    .AddPartitionsToTxnTransaction()
                                            .setTransactionalId("sweep-txn")
                                            .setProducerId(1)
                                            .setProducerEpoch((short) 0)
                                            .setVerifyOnly(true)
                                            .setTopics(topics));
                    return data;
                };
            case ADD_OFFSETS_TO_TXN ->
                v -> new org.apache.kafka.common.message.AddOffsetsToTxnRequestData()
                        .setTransactionalId("sweep-txn")
                        .setProducerId(1)
                        .setGroupId("sweep-group");
            case END_TXN ->
                v -> new org.apache.kafka.common.message.EndTxnRequestData()
                        .setTransactionalId("sweep-txn")
                        .setProducerId(1)
                        .setCommitted(true);
            case TXN_OFFSET_COMMIT ->
                v -> new org.apache.kafka.common.message.TxnOffsetCommitRequestData()
                        .setTransactionalId("sweep-txn")
                        .setGroupId("sweep-group")
                        .setProducerId(1)
                        .setTopics(List.of(
                                new org.apache.kafka.common.message.TxnOffsetCommitRequestData
                                                .TxnOffsetCommitRequestTopic()
                                        .setName("sweep")
                                        .setPartitions(List.of(new org.apache.kafka.common.message
                                                        .TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                                .setPartitionIndex(0)
                                                .setCommittedOffset(0)))));
            case LIST_CONFIG_RESOURCES -> v -> new ListConfigResourcesRequestData();
            case LIST_PARTITION_REASSIGNMENTS -> v -> new ListPartitionReassignmentsRequestData();
            case ALTER_PARTITION_REASSIGNMENTS ->
                v -> new AlterPartitionReassignmentsRequestData()
                        .setTopics(List.of(new AlterPartitionReassignmentsRequestData.ReassignableTopic()
                                .setName("sweep")
                                .setPartitions(
                                        List.of(new AlterPartitionReassignmentsRequestData.ReassignablePartition()
                                                .setPartitionIndex(0)
                                                .setReplicas(List.of(1))))));
            case ALTER_REPLICA_LOG_DIRS -> v -> new AlterReplicaLogDirsRequestData();
            case DESCRIBE_CLIENT_QUOTAS -> v -> new DescribeClientQuotasRequestData();
            case ALTER_CLIENT_QUOTAS -> v -> new AlterClientQuotasRequestData().setValidateOnly(true);
            case DESCRIBE_USER_SCRAM_CREDENTIALS -> v -> new DescribeUserScramCredentialsRequestData();
            case ALTER_USER_SCRAM_CREDENTIALS -> v -> new AlterUserScramCredentialsRequestData();
            case UPDATE_FEATURES -> v -> new UpdateFeaturesRequestData();
            case UNREGISTER_BROKER -> v -> new UnregisterBrokerRequestData().setBrokerId(99);
            case SASL_HANDSHAKE -> v -> new SaslHandshakeRequestData().setMechanism("PLAIN");
            case SASL_AUTHENTICATE -> v -> new SaslAuthenticateRequestData().setAuthBytes(new byte[0]);
            default -> null;
        };
    }

    private static int correlationId;

    private static AbstractResponse call(Socket socket, ApiKeys key, short version, ApiMessage body)
            throws IOException {
        int id = ++correlationId;
        RequestHeader header = new RequestHeader(key, version, "sweep", id);
        ByteBuffer bytes = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(bytes.remaining());
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        ByteBuffer response = ByteBuffer.wrap(frame);
        assertThat(ResponseHeader.parse(response, key.responseHeaderVersion(version))
                        .correlationId())
                .isEqualTo(id);
        return AbstractResponse.parseResponse(key, new ByteBufferAccessor(response), version);
    }

    private static Socket connect() throws IOException {
        String[] hostPort = node.bootstrapServers().split(":");
        Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setSoTimeout(20_000);
        return socket;
    }
}
