package io.herald.tools.groups;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.DeleteConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The group operations {@code kafka-consumer-groups.sh} needs, as plain futures and maps. {@link #of(Admin)} serves
 * them from an {@link Admin} client; tests substitute an in-memory implementation because several of the Admin
 * result types cannot be built outside kafka-clients.
 */
public interface GroupClient {
    KafkaFuture<Collection<GroupListing>> listGroups(ListGroupsOptions options);

    Map<String, KafkaFuture<ConsumerGroupDescription>> describeGroups(Collection<String> groups, int timeoutMs);

    /** Committed offsets; partitions without one may map to null. */
    KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committed(String group, int timeoutMs);

    Map<String, KafkaFuture<Void>> deleteGroups(Collection<String> groups, int timeoutMs);

    KafkaFuture<Void> alterOffsets(String group, Map<TopicPartition, OffsetAndMetadata> offsets, int timeoutMs);

    /** The outcome of deleting a group's offsets: the whole request and each partition. */
    record DeletedOffsets(KafkaFuture<Void> all, Map<TopicPartition, KafkaFuture<Void>> partitions) {}

    DeletedOffsets deleteOffsets(String group, Set<TopicPartition> partitions, int timeoutMs);

    Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> listOffsets(
            Map<TopicPartition, OffsetSpec> request, int timeoutMs);

    Map<String, KafkaFuture<TopicDescription>> describeTopics(Collection<String> topics, int timeoutMs);

    /** Serves every operation from {@code admin}. */
    static GroupClient of(Admin admin) {
        return new GroupClient() {
            @Override
            public KafkaFuture<Collection<GroupListing>> listGroups(ListGroupsOptions options) {
                return admin.listGroups(options).all();
            }

            @Override
            public Map<String, KafkaFuture<ConsumerGroupDescription>> describeGroups(
                    Collection<String> groups, int timeoutMs) {
                return admin.describeConsumerGroups(groups, new DescribeConsumerGroupsOptions().timeoutMs(timeoutMs))
                        .describedGroups();
            }

            @Override
            public KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committed(String group, int timeoutMs) {
                return admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs))
                        .partitionsToOffsetAndMetadata();
            }

            @Override
            public Map<String, KafkaFuture<Void>> deleteGroups(Collection<String> groups, int timeoutMs) {
                return admin.deleteConsumerGroups(groups, new DeleteConsumerGroupsOptions().timeoutMs(timeoutMs))
                        .deletedGroups();
            }

            @Override
            public KafkaFuture<Void> alterOffsets(
                    String group, Map<TopicPartition, OffsetAndMetadata> offsets, int timeoutMs) {
                return admin.alterConsumerGroupOffsets(
                                group, offsets, new AlterConsumerGroupOffsetsOptions().timeoutMs(timeoutMs))
                        .all();
            }

            @Override
            public DeletedOffsets deleteOffsets(String group, Set<TopicPartition> partitions, int timeoutMs) {
                var result = admin.deleteConsumerGroupOffsets(
                        group, partitions, new DeleteConsumerGroupOffsetsOptions().timeoutMs(timeoutMs));
                var each = new java.util.HashMap<TopicPartition, KafkaFuture<Void>>();
                partitions.forEach(tp -> each.put(tp, result.partitionResult(tp)));
                return new DeletedOffsets(result.all(), each);
            }

            @Override
            public Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> listOffsets(
                    Map<TopicPartition, OffsetSpec> request, int timeoutMs) {
                var listed = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(timeoutMs));
                var each = new java.util.HashMap<TopicPartition, KafkaFuture<ListOffsetsResultInfo>>();
                request.keySet().forEach(tp -> each.put(tp, listed.partitionResult(tp)));
                return each;
            }

            @Override
            public Map<String, KafkaFuture<TopicDescription>> describeTopics(Collection<String> topics, int timeoutMs) {
                return admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(timeoutMs))
                        .topicNameValues();
            }
        };
    }
}
