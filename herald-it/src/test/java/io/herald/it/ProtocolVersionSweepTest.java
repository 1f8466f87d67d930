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
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
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
                }
            }
        }
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
