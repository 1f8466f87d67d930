package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ElectLeadersRequest;

/**
 * ElectLeaders on a broker: forwarded to the active controller, which decides (as KRaft brokers do), then answered once
 * this broker's metadata shows the elected leaders, so a client that describes the topic next sees them.
 */
final class LeaderElectionHandler {
    private static final short FORWARD_VERSION = 2;
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;

    LeaderElectionHandler(ControllerChannel channel, MetadataCache cache, long requestTimeoutMs) {
        this.channel = channel;
        this.cache = cache;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    CompletableFuture<ApiMessage> electLeaders(RequestContext context, AbstractRequest request) {
        ElectLeadersRequestData data = ((ElectLeadersRequest) request).data().duplicate();
        if (request.version() == 0) {
            data.setElectionType(ElectionType.PREFERRED.value);
        }
        long timeoutMs = data.timeoutMs() > 0 ? Math.min(data.timeoutMs(), requestTimeoutMs) : requestTimeoutMs;
        boolean preferred = data.electionType() == ElectionType.PREFERRED.value;
        return channel.<ElectLeadersResponseData>send(ApiKeys.ELECT_LEADERS, FORWARD_VERSION, data, timeoutMs)
                .thenCompose(response -> {
                    List<TopicPartition> elected = new ArrayList<>();
                    response.replicaElectionResults().forEach(t -> t.partitionResult().stream()
                            .filter(p -> p.errorCode() == Errors.NONE.code())
                            .forEach(p -> elected.add(new TopicPartition(t.topic(), p.partitionId()))));
                    if (elected.isEmpty()) {
                        return CompletableFuture.completedFuture((ApiMessage) response);
                    }
                    CompletableFuture<MetadataImage> waiting =
                            cache.await(image -> elected.stream().allMatch(tp -> shows(image, tp, preferred)));
                    return waiting.completeOnTimeout(null, MAX_VISIBILITY_WAIT_MS, TimeUnit.MILLISECONDS)
                            .whenComplete((image, error) -> cache.cancel(waiting))
                            .thenApply(x -> (ApiMessage) response);
                });
    }

    /** Whether the image shows the election's outcome: the preferred leader, or any leader after an unclean one. */
    private static boolean shows(MetadataImage image, TopicPartition tp, boolean preferred) {
        PartitionRegistration partition =
                image.topic(tp.topic()).map(t -> t.partition(tp.partition())).orElse(null);
        if (partition == null) {
            return true;
        }
        return preferred
                ? partition.leader() == partition.replicas().get(0)
                : partition.leader() != PartitionRegistration.NO_LEADER;
    }
}
