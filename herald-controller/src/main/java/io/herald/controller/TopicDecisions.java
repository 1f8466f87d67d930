package io.herald.controller;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.ReplicaPlacer;
import io.herald.metadata.TopicConfigs;
import io.herald.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * Topic creation and deletion decided against the committed image: validation with Kafka's errors and messages,
 * replica placement over the live brokers, and the records that make the change. Pure: no I/O, no clock.
 */
final class TopicDecisions {
    /** The most metadata records one user operation may produce, as Kafka's controller bounds it. */
    static final int MAX_RECORDS_PER_REQUEST = 10_000;

    private static final String TOO_MANY_PARTITIONS = "Excessively large number of partitions per request.";
    private static final String TOO_MANY_RECORDS = "Unable to perform excessively large batch operation.";

    private TopicDecisions() {}

    static Decision<CreateTopicsResponseData> create(
            MetadataImage image, CreateTopicsRequestData request, int defaultPartitions, short defaultReplication) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        List<Integer> liveBrokers =
                image.liveBrokers().stream().map(BrokerRegistration::id).toList();
        long requestedPartitions = 0;
        for (CreatableTopic topic : request.topics()) {
            requestedPartitions += topic.assignments().isEmpty()
                    ? (topic.numPartitions() == -1 ? defaultPartitions : Math.max(0, topic.numPartitions()))
                    : topic.assignments().size();
        }
        if (requestedPartitions > MAX_RECORDS_PER_REQUEST) {
            // Checked before any placement, so a huge count cannot exhaust memory; Kafka refuses the whole request.
            return refuseAll(request, TOO_MANY_PARTITIONS);
        }
        Map<String, Uuid> createdHere = new HashMap<>();
        long recordCount = 0;
        for (CreatableTopic topic : request.topics()) {
            // Kafka answers a created (or validated) topic with a null message, not the schema's empty default.
            CreatableTopicResult result =
                    new CreatableTopicResult().setName(topic.name()).setErrorMessage(null);
            if (duplicates.contains(topic.name())) {
                if (response.topics().find(topic.name()) == null) {
                    response.topics()
                            .add(result.setErrorCode(Errors.INVALID_REQUEST.code())
                                    .setErrorMessage("Duplicate topic name."));
                }
                continue;
            }
            try {
                List<MetadataRecord> topicRecords = createOne(
                        image, topic, createdHere, liveBrokers, defaultPartitions, defaultReplication, result);
                recordCount += topicRecords.size();
                if (!request.validateOnly()) {
                    records.addAll(topicRecords);
                }
            } catch (ApiException e) {
                result = new CreatableTopicResult()
                        .setName(topic.name())
                        .setErrorCode(Errors.forException(e).code())
                        .setErrorMessage(e.getMessage());
            }
            response.topics().add(result);
        }
        if (recordCount > MAX_RECORDS_PER_REQUEST) {
            return refuseAll(request, TOO_MANY_RECORDS);
        }
        return new Decision<>(records, response);
    }

    /** Kafka refuses an oversized request as a whole: every topic gets the same error and none is created. */
    private static Decision<CreateTopicsResponseData> refuseAll(CreateTopicsRequestData request, String message) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreatableTopic topic : request.topics()) {
            if (response.topics().find(topic.name()) == null) {
                response.topics()
                        .add(new CreatableTopicResult()
                                .setName(topic.name())
                                .setErrorCode(Errors.POLICY_VIOLATION.code())
                                .setErrorMessage(message));
            }
        }
        return new Decision<>(List.of(), response);
    }

    private static List<MetadataRecord> createOne(
            MetadataImage image,
            CreatableTopic topic,
            Map<String, Uuid> createdHere,
            List<Integer> liveBrokers,
            int defaultPartitions,
            short defaultReplication,
            CreatableTopicResult result) {
        String name = topic.name();
        Topic.validate(name);
        if (image.topic(name).isPresent()) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        if (Topic.hasCollisionChars(name)) {
            String unified = Topic.unifyCollisionChars(name);
            for (String other : allNames(image, createdHere)) {
                if (Topic.unifyCollisionChars(other).equals(unified)) {
                    throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + other);
                }
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        topic.configs().forEach(c -> overrides.put(c.name(), c.value()));
        TopicConfigs.validate(overrides);

        List<List<Integer>> assignments;
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
                throw new InvalidRequestException(
                        "Both numPartitions or replicationFactor and replicasAssignments were set. "
                                + "Both cannot be used at the same time.");
            }
            assignments = manualAssignments(topic, image);
        } else {
            int partitions = topic.numPartitions() == -1 ? defaultPartitions : topic.numPartitions();
            short replication = topic.replicationFactor() == -1 ? defaultReplication : topic.replicationFactor();
            if (partitions <= 0) {
                throw new InvalidPartitionsException("Number of partitions was set to an invalid non-positive value.");
            }
            if (replication <= 0) {
                throw new InvalidReplicationFactorException(
                        "Replication factor must be larger than 0, or -1 to use the default value.");
            }
            int start = Math.floorMod(name.hashCode(), Math.max(1, liveBrokers.size()));
            assignments = ReplicaPlacer.place(0, partitions, replication, liveBrokers, start);
        }
        Uuid topicId = Uuid.randomUuid();
        createdHere.put(name, topicId);
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new MetadataRecord.Topic(name, topicId));
        for (int p = 0; p < assignments.size(); p++) {
            List<Integer> replicas = assignments.get(p);
            records.add(new MetadataRecord.Partition(topicId, p, replicas, replicas, replicas.get(0), 0, 0));
        }
        new TreeMap<>(overrides)
                .forEach((key, value) ->
                        records.add(new MetadataRecord.Config(ConfigResourceType.TOPIC, name, key, value.trim())));
        result.setTopicId(topicId)
                .setNumPartitions(assignments.size())
                .setReplicationFactor((short) assignments.get(0).size())
                .setConfigs(describe(overrides));
        return records;
    }

    private static Set<String> allNames(MetadataImage image, Map<String, Uuid> createdHere) {
        Set<String> names = new HashSet<>(image.topicsByName().keySet());
        names.addAll(createdHere.keySet());
        return names;
    }

    private static List<List<Integer>> manualAssignments(CreatableTopic topic, MetadataImage image) {
        List<List<Integer>> assignments = new ArrayList<>();
        int expected = -1;
        List<CreatableReplicaAssignment> sorted = new ArrayList<>(topic.assignments());
        sorted.sort((a, b) -> Integer.compare(a.partitionIndex(), b.partitionIndex()));
        for (int i = 0; i < sorted.size(); i++) {
            CreatableReplicaAssignment assignment = sorted.get(i);
            if (assignment.partitionIndex() != i) {
                throw new InvalidReplicaAssignmentException(
                        "partitions should be a consecutive 0-based integer sequence");
            }
            List<Integer> replicas = assignment.brokerIds();
            if (replicas.isEmpty()) {
                throw new InvalidReplicaAssignmentException(
                        "The manual partition assignment includes an empty replica list.");
            }
            validateReplicas(replicas, image);
            if (expected != -1 && replicas.size() != expected) {
                throw new InvalidReplicaAssignmentException(
                        "The manual partition assignment includes a partition with " + replicas.size()
                                + " replica(s), but this is not consistent with previous partitions, which have "
                                + expected + " replica(s).");
            }
            expected = replicas.size();
            assignments.add(List.copyOf(replicas));
        }
        return assignments;
    }

    /** Kafka's checks on one manually assigned replica list: each broker once, and only registered brokers. */
    static void validateReplicas(List<Integer> replicas, MetadataImage image) {
        Set<Integer> distinct = new HashSet<>();
        for (int broker : replicas) {
            if (!distinct.add(broker)) {
                throw new InvalidReplicaAssignmentException(
                        "The manual partition assignment includes the broker " + broker + " more than once.");
            }
        }
        for (int broker : replicas) {
            if (!image.brokers().containsKey(broker)) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker " + broker
                        + ", but no such broker is registered.");
            }
        }
    }

    /** Kafka's bound on the records one request may add (a controller limit, answered as a policy violation). */
    static void checkRecordBound(long records) {
        if (records > MAX_RECORDS_PER_REQUEST) {
            throw new PolicyViolationException(TOO_MANY_RECORDS);
        }
    }

    private static List<CreatableTopicConfigs> describe(Map<String, String> overrides) {
        List<CreatableTopicConfigs> configs = new ArrayList<>();
        for (String name : TopicConfigs.names()) {
            String override = overrides.get(name);
            configs.add(new CreatableTopicConfigs()
                    .setName(name)
                    .setValue(override != null ? override.trim() : TopicConfigs.defaultValue(name))
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource(
                            override != null ? ConfigSource.TOPIC_CONFIG.id() : ConfigSource.DEFAULT_CONFIG.id()));
        }
        return configs;
    }

    static Decision<DeleteTopicsResponseData> delete(MetadataImage image, DeleteTopicsRequestData request) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        Set<Uuid> deleting = new HashSet<>();
        List<DeleteTopicsRequestData.DeleteTopicState> targets = new ArrayList<>(request.topics());
        request.topicNames().forEach(n -> targets.add(new DeleteTopicsRequestData.DeleteTopicState().setName(n)));
        for (DeleteTopicsRequestData.DeleteTopicState target : targets) {
            DeletableTopicResult result =
                    new DeletableTopicResult().setName(target.name()).setTopicId(target.topicId());
            boolean byName = target.name() != null;
            boolean byId = target.topicId() != null && !Uuid.ZERO_UUID.equals(target.topicId());
            TopicImage topic = null;
            if (byName && byId) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Cannot specify both a topic name and a topic id.");
            } else if (byName) {
                topic = image.topic(target.name()).orElse(null);
                if (topic == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("This server does not host this topic-partition.");
                }
            } else if (byId) {
                topic = image.topic(target.topicId()).orElse(null);
                if (topic == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                            .setErrorMessage("This server does not host this topic ID.");
                }
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Neither topic name nor id were specified.");
            }
            if (topic != null) {
                result.setName(topic.name()).setTopicId(topic.id());
                if (deleting.add(topic.id())) {
                    records.add(new MetadataRecord.RemoveTopic(topic.id()));
                }
            }
            response.responses().add(result);
        }
        return new Decision<>(records, response);
    }
}
