package io.herald.broker;

import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecordCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchSnapshotRequestData;
import org.apache.kafka.common.message.FetchSnapshotResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the controller quorum's metadata log: long-polls it with Fetch on {@code __cluster_metadata}, loads a
 * snapshot with FetchSnapshot when it is behind the log's start, and publishes each applied batch as a new image. One
 * thread applies, so images are published in log order.
 */
final class MetadataFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFollower.class);
    private static final short FETCH_VERSION = 12;
    private static final short FETCH_SNAPSHOT_VERSION = 1;
    private static final int MAX_WAIT_MS = 500;
    private static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final long RETRY_MS = 200;

    private final int nodeId;
    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;
    private final ScheduledExecutorService thread;
    private volatile boolean running = true;
    private volatile long controllerHighWatermark = -1;

    MetadataFollower(int nodeId, ControllerChannel channel, MetadataCache cache, long requestTimeoutMs) {
        this.nodeId = nodeId;
        this.channel = channel;
        this.cache = cache;
        this.requestTimeoutMs = requestTimeoutMs;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-metadata-follower");
            t.setDaemon(true);
            return t;
        });
    }

    /** The metadata log's committed end (exclusive) the controller last told this broker, -1 before it did. */
    long controllerHighWatermark() {
        return controllerHighWatermark;
    }

    void start() {
        thread.execute(this::fetch);
    }

    private void fetch() {
        if (!running) {
            return;
        }
        long lastApplied = cache.image().offset();
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(MAX_WAIT_MS)
                .setMinBytes(1)
                .setMaxBytes(MAX_BYTES);
        request.topics()
                .add(new FetchRequestData.FetchTopic()
                        .setTopic(Topic.CLUSTER_METADATA_TOPIC_NAME)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(lastApplied + 1)
                                .setPartitionMaxBytes(MAX_BYTES))));
        channel.<FetchResponseData>send(ApiKeys.FETCH, FETCH_VERSION, request, requestTimeoutMs)
                .whenCompleteAsync(
                        (response, error) -> {
                            if (error != null) {
                                retryLater("fetching metadata", error);
                                return;
                            }
                            try {
                                handle(response);
                            } catch (RuntimeException e) {
                                retryLater("applying metadata", e);
                                return;
                            }
                            thread.execute(this::fetch);
                        },
                        thread);
    }

    private void handle(FetchResponseData response) {
        FetchResponseData.PartitionData partition =
                response.responses().get(0).partitions().get(0);
        if (partition.errorCode() != Errors.NONE.code()) {
            throw Errors.forCode(partition.errorCode()).exception();
        }
        controllerHighWatermark = partition.highWatermark();
        if (partition.snapshotId().endOffset() >= 0) {
            loadSnapshot(partition.snapshotId().endOffset());
            return;
        }
        MemoryRecords records = (MemoryRecords) partition.records();
        if (records == null || records.sizeInBytes() == 0) {
            return;
        }
        MetadataImage image = cache.image();
        for (RecordBatch batch : records.batches()) {
            for (Record record : batch) {
                if (record.offset() <= image.offset()) {
                    continue;
                }
                MetadataDelta delta = new MetadataDelta(image);
                MetadataRecordCodec.decode(Utils.toArray(record.value())).forEach(delta::replay);
                image = delta.apply(record.offset());
                cache.publish(image, delta);
            }
        }
    }

    /** Loads the controller's snapshot (in chunks) and publishes it as a whole new image. */
    private void loadSnapshot(long endOffset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long size = Long.MAX_VALUE;
        while (bytes.size() < size) {
            FetchSnapshotRequestData request =
                    new FetchSnapshotRequestData().setReplicaId(-1).setMaxBytes(MAX_BYTES);
            request.topics()
                    .add(new FetchSnapshotRequestData.TopicSnapshot()
                            .setName(Topic.CLUSTER_METADATA_TOPIC_NAME)
                            .setPartitions(List.of(new FetchSnapshotRequestData.PartitionSnapshot()
                                    .setPartition(0)
                                    .setSnapshotId(new FetchSnapshotRequestData.SnapshotId()
                                            .setEndOffset(endOffset)
                                            .setEpoch(0))
                                    .setPosition(bytes.size()))));
            FetchSnapshotResponseData response = channel.<FetchSnapshotResponseData>send(
                            ApiKeys.FETCH_SNAPSHOT, FETCH_SNAPSHOT_VERSION, request, requestTimeoutMs)
                    .join();
            FetchSnapshotResponseData.PartitionSnapshot partition =
                    response.topics().get(0).partitions().get(0);
            if (partition.errorCode() != Errors.NONE.code()) {
                throw Errors.forCode(partition.errorCode()).exception();
            }
            size = partition.size();
            ByteBuffer chunk = ((MemoryRecords) partition.unalignedRecords()).buffer();
            if (!chunk.hasRemaining() && bytes.size() < size) {
                throw new IllegalStateException("empty metadata snapshot chunk");
            }
            bytes.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        }
        // One replay builds both the image and the delta listeners need (everything in it is "created").
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        MetadataRecordCodec.decode(bytes.toByteArray()).forEach(delta::replay);
        cache.publish(delta.apply(endOffset - 1), delta);
        LOG.info("Broker {} loaded the metadata snapshot at offset {}", nodeId, endOffset - 1);
    }

    private void retryLater(String what, Throwable error) {
        if (!running) {
            return;
        }
        LOG.debug("Broker {} retries {} after: {}", nodeId, what, error.toString());
        thread.schedule(this::fetch, RETRY_MS, TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Void> stopAsync() {
        running = false;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        running = false;
        thread.shutdownNow();
    }
}
