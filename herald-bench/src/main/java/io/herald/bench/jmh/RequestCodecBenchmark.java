package io.herald.bench.jmh;

import io.herald.protocol.ApiRegistry;
import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestDispatcher;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The request path around the handlers: {@link RequestDispatcher} parses a size-stripped frame with kafka-clients'
 * message classes, routes it, and encodes the handler's response into a Send. The handlers here answer at once with a
 * fixed body, so the figure is the protocol cost alone: a Produce of 6 partitions x one ~128 KiB batch, and a Fetch of
 * 6 partitions answered with 6 such batches (records stay zero-copy in the Send).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestCodecBenchmark {
    private static final short PRODUCE_VERSION = 12; // the newest by topic name; v13 moved to topic ids
    private static final short FETCH_VERSION = 12;
    private static final String TOPIC = "bench";
    private static final ConnectionInfo CONNECTION =
            new ConnectionInfo("PLAINTEXT", InetAddress.getLoopbackAddress(), "bench-connection");

    @Param({"6"})
    int partitions;

    private RequestDispatcher dispatcher;
    private ByteBuffer produceFrame;
    private ByteBuffer fetchFrame;

    @Setup
    public void build() {
        MemoryRecords batch = Batches.batch(128, 1024, "none", 42);
        ProduceResponseData produceResponse = new ProduceResponseData();
        FetchResponseData fetchResponse = new FetchResponseData();
        fetchResponse.responses().add(new FetchResponseData.FetchableTopicResponse().setTopic(TOPIC));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        List<FetchRequestData.FetchPartition> fetchPartitions = new ArrayList<>();
        ProduceResponseData.TopicProduceResponse produced =
                new ProduceResponseData.TopicProduceResponse().setName(TOPIC);
        for (int p = 0; p < partitions; p++) {
            topicData
                    .partitionData()
                    .add(new ProduceRequestData.PartitionProduceData()
                            .setIndex(p)
                            .setRecords(
                                    MemoryRecords.readableRecords(batch.buffer().duplicate())));
            produced.partitionResponses()
                    .add(new ProduceResponseData.PartitionProduceResponse()
                            .setIndex(p)
                            .setBaseOffset(1_000L * p));
            fetchPartitions.add(new FetchRequestData.FetchPartition()
                    .setPartition(p)
                    .setFetchOffset(1_000L * p)
                    .setPartitionMaxBytes(1024 * 1024)
                    .setLogStartOffset(-1));
            fetchResponse
                    .responses()
                    .get(0)
                    .partitions()
                    .add(new FetchResponseData.PartitionData()
                            .setPartitionIndex(p)
                            .setHighWatermark(1_000L * p + 128)
                            .setRecords(
                                    MemoryRecords.readableRecords(batch.buffer().duplicate())));
        }
        produce.topicData().add(topicData);
        produceResponse.responses().add(produced);
        FetchRequestData fetch = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(500)
                .setMinBytes(1)
                .setMaxBytes(50 * 1024 * 1024)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(List.of(
                        new FetchRequestData.FetchTopic().setTopic(TOPIC).setPartitions(fetchPartitions)));

        produceFrame = new ProduceRequest.Builder(PRODUCE_VERSION, PRODUCE_VERSION, produce)
                .build(PRODUCE_VERSION)
                .serializeWithHeader(new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "bench", 1));
        fetchFrame = new FetchRequest(fetch, FETCH_VERSION)
                .serializeWithHeader(new RequestHeader(ApiKeys.FETCH, FETCH_VERSION, "bench", 2));
        dispatcher = new RequestDispatcher(ApiRegistry.builder()
                .register(
                        ApiKeys.PRODUCE,
                        3,
                        PRODUCE_VERSION,
                        (context, request) -> CompletableFuture.completedFuture(produceResponse))
                .register(
                        ApiKeys.FETCH,
                        4,
                        FETCH_VERSION,
                        (context, request) -> CompletableFuture.completedFuture(fetchResponse))
                .build());
    }

    @Benchmark
    public Send produceDecodeRouteEncode() {
        return dispatcher.process(CONNECTION, produceFrame.duplicate()).join();
    }

    @Benchmark
    public Send fetchDecodeRouteEncode() {
        return dispatcher.process(CONNECTION, fetchFrame.duplicate()).join();
    }
}
