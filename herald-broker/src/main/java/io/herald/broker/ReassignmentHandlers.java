package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.protocol.RequestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;

/**
 * Alter- and ListPartitionReassignments (KIP-455) on a broker: forwarded to the active controller, which decides (as
 * KRaft brokers do). An accepted change is answered once this broker's metadata shows it (the new target, or no
 * reassignment after a cancel), so a client that describes the topic next sees the replicas being added and removed.
 */
final class ReassignmentHandlers {
    private static final short ALTER_VERSION = 1;
    private static final short LIST_VERSION = 0;
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;

    ReassignmentHandlers(ControllerChannel channel, MetadataCache cache, long requestTimeoutMs) {
        this.channel = channel;
        this.cache = cache;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    CompletableFuture<ApiMessage> list(RequestContext context, AbstractRequest request) {
        ListPartitionReassignmentsRequestData data =
                ((ListPartitionReassignmentsRequest) request).data().duplicate();
        long timeoutMs = data.timeoutMs() > 0 ? Math.min(data.timeoutMs(), requestTimeoutMs) : requestTimeoutMs;
        return channel.<ListPartitionReassignmentsResponseData>send(
                        ApiKeys.LIST_PARTITION_REASSIGNMENTS, LIST_VERSION, data, timeoutMs)
                .thenApply(ApiMessage.class::cast);
    }

    CompletableFuture<ApiMessage> alter(RequestContext context, AbstractRequest request) {
        AlterPartitionReassignmentsRequestData data =
                ((AlterPartitionReassignmentsRequest) request).data().duplicate();
        long timeoutMs = data.timeoutMs() > 0 ? Math.min(data.timeoutMs(), requestTimeoutMs) : requestTimeoutMs;
        // A null target is a cancel; the map holds what the image must show for each partition.
        Map<TopicPartition, List<Integer>> targets = new HashMap<>();
        data.topics().forEach(t -> t.partitions()
                .forEach(p -> targets.put(new TopicPartition(t.name(), p.partitionIndex()), p.replicas())));
        return channel.<AlterPartitionReassignmentsResponseData>send(
                        ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ALTER_VERSION, data, timeoutMs)
                .thenCompose(response -> {
                    Map<TopicPartition, List<Integer>> accepted = new HashMap<>();
                    response.responses().forEach(t -> t.partitions().stream()
                            .filter(p -> p.errorCode() == Errors.NONE.code())
                            .forEach(p -> {
                                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                                accepted.put(tp, targets.get(tp));
                            }));
                    if (accepted.isEmpty()) {
                        return CompletableFuture.completedFuture((ApiMessage) response);
                    }
                    CompletableFuture<MetadataImage> waiting = cache.await(image ->
                            accepted.entrySet().stream().allMatch(e -> shows(image, e.getKey(), e.getValue())));
                    return waiting.completeOnTimeout(null, MAX_VISIBILITY_WAIT_MS, TimeUnit.MILLISECONDS)
                            .whenComplete((image, error) -> cache.cancel(waiting))
                            .thenApply(x -> (ApiMessage) response);
                });
    }

    /** Whether the image shows the change: the partition heading for {@code target}, or (null) not reassigning. */
    private static boolean shows(MetadataImage image, TopicPartition tp, List<Integer> target) {
        PartitionRegistration partition =
                image.topic(tp.topic()).map(t -> t.partition(tp.partition())).orElse(null);
        if (partition == null) {
            return true;
        }
        return target == null
                ? !partition.isReassigning()
                : partition.targetReplicas().equals(target);
    }
}
