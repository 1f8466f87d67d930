package io.herald.controller;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.ReplicaPlacer;
import io.herald.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.protocol.Errors;

/** CreatePartitions decided against the committed image: topics only grow, with replicas placed as at creation. Pure. */
final class PartitionDecisions {
    private PartitionDecisions() {}

    static Decision<CreatePartitionsResponseData> create(MetadataImage image, CreatePartitionsRequestData request) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        request.topics().forEach(t -> {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        });
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult result =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(topic.name());
            try {
                if (duplicates.contains(topic.name())) {
                    throw new InvalidRequestException("Duplicate topic name.");
                }
                List<MetadataRecord> topicRecords = grow(image, topic);
                if (!request.validateOnly()) {
                    records.addAll(topicRecords);
                }
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return new Decision<>(records, response);
    }

    private static List<MetadataRecord> grow(
            MetadataImage image, CreatePartitionsRequestData.CreatePartitionsTopic topic) {
        TopicImage existing = image.topic(topic.name())
                .orElseThrow(
                        () -> new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
        int current = existing.partitions().size();
        if (topic.count() == current) {
            throw new InvalidPartitionsException("Topic already has " + current + " partition(s).");
        }
        if (topic.count() < current) {
            throw new InvalidPartitionsException("The topic " + topic.name() + " currently has " + current
                    + " partition(s); " + topic.count() + " would not be an increase.");
        }
        int added = topic.count() - current;
        TopicDecisions.checkRecordBound(added);
        short replication = (short) existing.partition(0).replicas().size();
        List<List<Integer>> assignments;
        if (topic.assignments() != null && !topic.assignments().isEmpty()) {
            if (topic.assignments().size() != added) {
                throw new InvalidReplicaAssignmentException("Attempted to add " + added + " additional partition(s),"
                        + " but only " + topic.assignments().size() + " assignment(s) were specified.");
            }
            assignments = new ArrayList<>();
            for (CreatePartitionsRequestData.CreatePartitionsAssignment assignment : topic.assignments()) {
                List<Integer> replicas = assignment.brokerIds();
                TopicDecisions.validateReplicas(replicas, image);
                if (replicas.size() != replication) {
                    throw new InvalidReplicaAssignmentException("The manual partition assignment includes a partition"
                            + " with " + replicas.size() + " replica(s), but this is not consistent with previous"
                            + " partitions, which have " + replication + " replica(s).");
                }
                assignments.add(List.copyOf(replicas));
            }
        } else {
            List<Integer> live =
                    image.liveBrokers().stream().map(BrokerRegistration::id).toList();
            assignments = ReplicaPlacer.place(
                    current,
                    added,
                    replication,
                    live,
                    Math.floorMod(topic.name().hashCode(), Math.max(1, live.size())));
        }
        List<MetadataRecord> records = new ArrayList<>();
        for (int i = 0; i < assignments.size(); i++) {
            List<Integer> replicas = assignments.get(i);
            records.add(new MetadataRecord.Partition(
                    existing.id(), current + i, replicas, replicas, replicas.get(0), 0, 0));
        }
        return records;
    }
}
