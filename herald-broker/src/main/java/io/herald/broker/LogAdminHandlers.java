package io.herald.broker;

import io.herald.protocol.RequestContext;
import io.herald.storage.PartitionLog;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData;
import org.apache.kafka.common.message.AlterReplicaLogDirsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterReplicaLogDirsRequest;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;

/**
 * The partition-level admin APIs a broker answers from its own logs: DeleteRecords (moves the log start offset;
 * refused with POLICY_VIOLATION on a compact-only topic, as in Kafka),
 * DescribeLogDirs (sizes per directory and partition) and AlterReplicaLogDirs. ElectLeaders is the controller's
 * ({@link LeaderElectionHandler}).
 */
final class LogAdminHandlers {
    private static final long HIGH_WATERMARK = -1L;

    private final ReplicaManager replicas;
    private final MetadataCache cache;
    private final List<File> logDirs;
    private final Supplier<Set<File>> offlineDirs;

    LogAdminHandlers(
            ReplicaManager replicas, MetadataCache cache, List<File> logDirs, Supplier<Set<File>> offlineDirs) {
        this.replicas = replicas;
        this.cache = cache;
        this.logDirs = List.copyOf(logDirs);
        this.offlineDirs = offlineDirs;
    }

    CompletableFuture<ApiMessage> deleteRecords(RequestContext context, AbstractRequest request) {
        DeleteRecordsRequestData data = ((DeleteRecordsRequest) request).data();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : data.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult =
                    new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult result =
                        new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(partition.partitionIndex())
                                .setLowWatermark(-1);
                try {
                    PartitionLog log = replicas.leaderPartition(
                                    new TopicPartition(topic.name(), partition.partitionIndex()))
                            .log();
                    if (!log.config().deleteRetentionEnabled()) {
                        // Kafka deletes records only where cleanup.policy includes "delete".
                        throw new PolicyViolationException("Records of partition " + log.topicPartition()
                                + " can not be deleted due to the configured policy");
                    }
                    long offset = partition.offset() == HIGH_WATERMARK ? log.highWatermark() : partition.offset();
                    result.setLowWatermark(log.deleteRecordsBefore(offset));
                } catch (ApiException e) {
                    result.setErrorCode(Errors.forException(e).code());
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    CompletableFuture<ApiMessage> describeLogDirs(RequestContext context, AbstractRequest request) {
        DescribeLogDirsRequestData data = ((DescribeLogDirsRequest) request).data();
        Map<String, DescribeLogDirsResponseData.DescribeLogDirsResult> byDir = new HashMap<>();
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        Set<File> offline = offlineDirs.get();
        for (File dir : logDirs) {
            if (offline.contains(dir.getAbsoluteFile())) {
                // As Kafka: a failed dir is listed with its error, without sizes or partitions.
                response.results()
                        .add(new DescribeLogDirsResponseData.DescribeLogDirsResult()
                                .setLogDir(dir.getAbsolutePath())
                                .setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()));
                continue;
            }
            DescribeLogDirsResponseData.DescribeLogDirsResult result =
                    new DescribeLogDirsResponseData.DescribeLogDirsResult()
                            .setLogDir(dir.getAbsolutePath())
                            .setTotalBytes(dir.getTotalSpace())
                            .setUsableBytes(dir.getUsableSpace());
            byDir.put(dir.getAbsolutePath(), result);
            response.results().add(result);
        }
        Map<String, DescribeLogDirsResponseData.DescribeLogDirsTopic> topics = new HashMap<>();
        for (PartitionLog log : replicas.allLogs()) {
            TopicPartition tp = log.topicPartition();
            if (!wanted(data, tp)) {
                continue;
            }
            String dir = log.dir().getAbsoluteFile().getParentFile().getAbsolutePath();
            DescribeLogDirsResponseData.DescribeLogDirsResult result = byDir.get(dir);
            if (result == null) {
                continue;
            }
            DescribeLogDirsResponseData.DescribeLogDirsTopic topic =
                    topics.computeIfAbsent(dir + "/" + tp.topic(), k -> {
                        DescribeLogDirsResponseData.DescribeLogDirsTopic created =
                                new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(tp.topic());
                        result.topics().add(created);
                        return created;
                    });
            topic.partitions()
                    .add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                            .setPartitionIndex(tp.partition())
                            .setPartitionSize(log.sizeInBytes())
                            .setOffsetLag(0)
                            .setIsFutureKey(false));
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * AlterReplicaLogDirs: a replica already in the named directory is where it was asked to be (Kafka answers NONE);
     * a directory that is not one of {@code log.dirs} is LOG_DIR_NOT_FOUND; a partition without a local replica is
     * UNKNOWN_TOPIC_OR_PARTITION. Moving a replica to another directory (a future replica copied in the background)
     * is not built yet and answers KAFKA_STORAGE_ERROR.
     */
    CompletableFuture<ApiMessage> alterReplicaLogDirs(RequestContext context, AbstractRequest request) {
        AlterReplicaLogDirsRequestData data = ((AlterReplicaLogDirsRequest) request).data();
        Map<TopicPartition, String> current = new HashMap<>();
        for (PartitionLog log : replicas.allLogs()) {
            current.put(
                    log.topicPartition(), canonical(log.dir().getAbsoluteFile().getParentFile()));
        }
        List<String> dirs = logDirs.stream().map(LogAdminHandlers::canonical).toList();
        Map<String, AlterReplicaLogDirsResponseData.AlterReplicaLogDirTopicResult> byTopic = new LinkedHashMap<>();
        for (AlterReplicaLogDirsRequestData.AlterReplicaLogDir dir : data.dirs()) {
            String target = canonical(new File(dir.path()));
            for (AlterReplicaLogDirsRequestData.AlterReplicaLogDirTopic topic : dir.topics()) {
                AlterReplicaLogDirsResponseData.AlterReplicaLogDirTopicResult result = byTopic.computeIfAbsent(
                        topic.name(),
                        name -> new AlterReplicaLogDirsResponseData.AlterReplicaLogDirTopicResult().setTopicName(name));
                for (int partition : topic.partitions()) {
                    String now = current.get(new TopicPartition(topic.name(), partition));
                    Errors error;
                    if (!dirs.contains(target)) {
                        error = Errors.LOG_DIR_NOT_FOUND;
                    } else if (now == null) {
                        error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    } else if (now.equals(target)) {
                        error = Errors.NONE;
                    } else {
                        error = Errors.KAFKA_STORAGE_ERROR;
                    }
                    result.partitions()
                            .add(new AlterReplicaLogDirsResponseData.AlterReplicaLogDirPartitionResult()
                                    .setPartitionIndex(partition)
                                    .setErrorCode(error.code()));
                }
            }
        }
        return CompletableFuture.completedFuture(
                new AlterReplicaLogDirsResponseData().setResults(new ArrayList<>(byTopic.values())));
    }

    private static String canonical(File dir) {
        return dir.toPath().toAbsolutePath().normalize().toString();
    }

    private static boolean wanted(DescribeLogDirsRequestData data, TopicPartition tp) {
        if (data.topics() == null) {
            return true;
        }
        DescribeLogDirsRequestData.DescribableLogDirTopic topic = data.topics().find(tp.topic());
        return topic != null && topic.partitions().contains(tp.partition());
    }
}
