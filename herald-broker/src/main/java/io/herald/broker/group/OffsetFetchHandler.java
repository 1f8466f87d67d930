package io.herald.broker.group;

import io.herald.coordinator.GroupCoordinator;
import io.herald.coordinator.GroupCoordinator.CommittedOffsetView;
import io.herald.coordinator.GroupCoordinator.FetchedOffsets;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;

/**
 * OffsetFetch v1-9: a group's committed offsets (all of them when no topics are named), or a batch of groups (v8+),
 * each group answered on its own. A partition without a committed offset reads -1. No transactions exist yet, so
 * {@code require_stable} has nothing to wait for.
 */
public final class OffsetFetchHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        OffsetFetchRequestData data = ((OffsetFetchRequest) request).data();
        if (context.apiVersion() >= 8) {
            return batched(data, data.requireStable());
        }
        boolean requireStable = context.apiVersion() >= 7 && data.requireStable();
        List<TopicPartition> wanted = null;
        if (data.topics() != null) {
            wanted = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : data.topics()) {
                for (int p : t.partitionIndexes()) {
                    wanted.add(new TopicPartition(t.name(), p));
                }
            }
        }
        boolean topLevelError = context.apiVersion() >= 2;
        return coordinator.fetchOffsets(data.groupId(), wanted, null, -1).thenApply(fetched -> {
            OffsetFetchResponseData response = new OffsetFetchResponseData();
            if (topLevelError) {
                response.setErrorCode(fetched.error().code());
            }
            Map<String, OffsetFetchResponseTopic> topics = new LinkedHashMap<>();
            fetched.offsets().forEach((tp, offset) -> topics.computeIfAbsent(
                            tp.topic(), name -> new OffsetFetchResponseTopic().setName(name))
                    .partitions()
                    .add(
                            requireStable && fetched.unstable().contains(tp)
                                    ? partition(tp.partition(), null, Errors.UNSTABLE_OFFSET_COMMIT)
                                    : partition(
                                            tp.partition(), offset, topLevelError ? Errors.NONE : fetched.error())));
            response.setTopics(new ArrayList<>(topics.values()));
            return response;
        });
    }

    private static OffsetFetchResponsePartition partition(int index, CommittedOffsetView offset, Errors error) {
        return new OffsetFetchResponsePartition()
                .setPartitionIndex(index)
                .setCommittedOffset(offset == null ? -1 : offset.offset())
                .setCommittedLeaderEpoch(offset == null ? -1 : offset.leaderEpoch())
                .setMetadata(offset == null ? "" : offset.metadata())
                .setErrorCode(error.code());
    }

    private CompletableFuture<ApiMessage> batched(OffsetFetchRequestData data, boolean requireStable) {
        List<CompletableFuture<OffsetFetchResponseGroup>> groups = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
            List<TopicPartition> wanted = null;
            if (group.topics() != null) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopics t : group.topics()) {
                    for (int p : t.partitionIndexes()) {
                        wanted.add(new TopicPartition(t.name(), p));
                    }
                }
            }
            groups.add(coordinator
                    .fetchOffsets(group.groupId(), wanted, group.memberId(), group.memberEpoch())
                    .handle((fetched, error) -> error != null
                            ? new OffsetFetchResponseGroup()
                                    .setGroupId(group.groupId())
                                    .setErrorCode(
                                            Errors.forException(unwrap(error)).code())
                            : groupResponse(group.groupId(), fetched, requireStable)));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(x -> {
            OffsetFetchResponseData response = new OffsetFetchResponseData();
            groups.forEach(g -> response.groups().add(g.join()));
            return response;
        });
    }

    /**
     * With {@code requireStable}, a partition whose offset a transaction is still committing answers
     * UNSTABLE_OFFSET_COMMIT (the client retries) instead of the offset that transaction is about to replace.
     */
    private static OffsetFetchResponseGroup groupResponse(
            String groupId, FetchedOffsets fetched, boolean requireStable) {
        OffsetFetchResponseGroup group = new OffsetFetchResponseGroup()
                .setGroupId(groupId)
                .setErrorCode(fetched.error().code());
        Map<String, OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
        fetched.offsets().forEach((tp, offset) -> topics.computeIfAbsent(
                        tp.topic(), name -> new OffsetFetchResponseTopics().setName(name))
                .partitions()
                .add(new OffsetFetchResponsePartitions()
                        .setPartitionIndex(tp.partition())
                        .setErrorCode(
                                requireStable && fetched.unstable().contains(tp)
                                        ? Errors.UNSTABLE_OFFSET_COMMIT.code()
                                        : Errors.NONE.code())
                        .setCommittedOffset(offset == null ? -1 : offset.offset())
                        .setCommittedLeaderEpoch(offset == null ? -1 : offset.leaderEpoch())
                        .setMetadata(offset == null ? "" : offset.metadata())));
        group.setTopics(new ArrayList<>(topics.values()));
        return group;
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof java.util.concurrent.CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
