package io.herald.controller;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.PartitionChanges;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the controller decides about partition leadership and ISRs, on the rules of {@link PartitionChanges}: moving
 * leadership and ISR membership away from brokers that are fenced, unregistered or shutting down, leaders for
 * leaderless partitions when a broker returns, AlterPartition from partition leaders, ElectLeaders, and the automatic
 * preferred-leader rebalance. Pure: the brokers in controlled shutdown are passed in.
 */
final class LeadershipDecisions {
    static final String UNCLEAN_LEADER_ELECTION = "unclean.leader.election.enable";

    private LeadershipDecisions() {}

    /** Brokers that may lead or join an ISR: registered, unfenced, not shutting down and not {@code excluded}. */
    static IntPredicate acceptable(MetadataImage image, Set<Integer> shuttingDown, Set<Integer> excluded) {
        return id -> {
            BrokerRegistration broker = image.brokers().get(id);
            return broker != null && !broker.fenced() && !shuttingDown.contains(id) && !excluded.contains(id);
        };
    }

    /** The topic's unclean.leader.election.enable: topic config, else the dynamic cluster default, else the static one. */
    static boolean uncleanEnabled(MetadataImage image, String topic, boolean staticDefault) {
        String value = image.configs(ConfigResourceType.TOPIC, topic).get(UNCLEAN_LEADER_ELECTION);
        if (value == null) {
            value = image.configs(ConfigResourceType.BROKER, "").get(UNCLEAN_LEADER_ELECTION);
        }
        return value == null ? staticDefault : Boolean.parseBoolean(value.trim());
    }

    static MetadataRecord.Partition record(Uuid topicId, int partitionId, PartitionRegistration p) {
        return MetadataRecord.Partition.of(topicId, partitionId, p);
    }

    /**
     * Records that take the {@code leaving} brokers out of every ISR and give the partitions they led a new leader
     * from the remaining ISR (or none); {@code acceptable} must already refuse the leaving brokers.
     */
    static List<MetadataRecord> brokersLeaving(
            MetadataImage image, Set<Integer> leaving, IntPredicate acceptable, boolean uncleanDefault) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsById().values()) {
            boolean unclean = uncleanEnabled(image, topic.name(), uncleanDefault);
            topic.partitions().forEach((index, p) -> {
                if (p.isr().stream().anyMatch(leaving::contains) || leaving.contains(p.leader())) {
                    PartitionChanges.removeFromIsr(p, leaving, acceptable, unclean)
                            .ifPresent(next -> records.add(record(topic.id(), index, next)));
                }
            });
        }
        return records;
    }

    /**
     * Records that take fenced or unregistered brokers out of the ISRs and leaderships they still hold: metadata written
     * before the controller moved leadership on fencing. Run once by each newly active controller; answers how many
     * partitions changed.
     */
    static Decision<Integer> sweepFencedLeaders(
            MetadataImage image, Set<Integer> shuttingDown, boolean uncleanDefault) {
        Set<Integer> gone = new java.util.HashSet<>();
        for (TopicImage topic : image.topicsById().values()) {
            for (PartitionRegistration p : topic.partitions().values()) {
                for (int id : p.isr()) {
                    BrokerRegistration broker = image.brokers().get(id);
                    if (broker == null || broker.fenced()) {
                        gone.add(id);
                    }
                }
            }
        }
        if (gone.isEmpty()) {
            return Decision.answer(0);
        }
        List<MetadataRecord> records =
                brokersLeaving(image, gone, acceptable(image, shuttingDown, gone), uncleanDefault);
        return new Decision<>(records, records.size());
    }

    /** Records that give leaderless partitions a leader, now that {@code acceptable} accepts a returning broker. */
    static List<MetadataRecord> electLeaderless(MetadataImage image, IntPredicate acceptable, boolean uncleanDefault) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsById().values()) {
            boolean unclean = uncleanEnabled(image, topic.name(), uncleanDefault);
            topic.partitions().forEach((index, p) -> PartitionChanges.electIfLeaderless(p, acceptable, unclean)
                    .ifPresent(next -> records.add(record(topic.id(), index, next))));
        }
        return records;
    }

    /**
     * AlterPartition from a partition leader, validated as Kafka does: a stale broker epoch refuses the whole request
     * (STALE_BROKER_EPOCH); unknown topic ids answer UNKNOWN_TOPIC_ID (v2+ names topics by id only); each
     * partition is checked by {@link PartitionChanges#validateAlterPartition}. An accepted change answers the committed
     * state; one whose leader may no longer lead gets a new leader and NEW_LEADER_ELECTED.
     */
    static Decision<AlterPartitionResponseData> alterPartition(
            MetadataImage image, AlterPartitionRequestData request, short version, Set<Integer> shuttingDown) {
        BrokerRegistration requester = image.brokers().get(request.brokerId());
        if (requester == null || requester.epoch() != request.brokerEpoch()) {
            return Decision.answer(new AlterPartitionResponseData().setErrorCode(Errors.STALE_BROKER_EPOCH.code()));
        }
        IntPredicate acceptable = acceptable(image, shuttingDown, Set.of());
        PartitionChanges.BrokerStates states = new PartitionChanges.BrokerStates() {
            @Override
            public long epoch(int brokerId) {
                BrokerRegistration broker = image.brokers().get(brokerId);
                return broker == null ? -1 : broker.epoch();
            }

            @Override
            public boolean acceptable(int brokerId) {
                return acceptable.test(brokerId);
            }
        };
        AlterPartitionResponseData response = new AlterPartitionResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        Map<String, PartitionRegistration> changed = new HashMap<>();
        for (AlterPartitionRequestData.TopicData topicData : request.topics()) {
            Optional<TopicImage> topic = image.topic(topicData.topicId());
            AlterPartitionResponseData.TopicData topicResponse =
                    new AlterPartitionResponseData.TopicData().setTopicId(topicData.topicId());
            response.topics().add(topicResponse);
            for (AlterPartitionRequestData.PartitionData data : topicData.partitions()) {
                AlterPartitionResponseData.PartitionData result =
                        new AlterPartitionResponseData.PartitionData().setPartitionIndex(data.partitionIndex());
                topicResponse.partitions().add(result);
                if (topic.isEmpty()) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                    continue;
                }
                String key = topic.get().id() + ":" + data.partitionIndex();
                PartitionRegistration current =
                        changed.getOrDefault(key, topic.get().partition(data.partitionIndex()));
                if (current == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                List<PartitionChanges.IsrMember> newIsr = new ArrayList<>();
                if (version >= 3) {
                    data.newIsrWithEpochs()
                            .forEach(b -> newIsr.add(new PartitionChanges.IsrMember(b.brokerId(), b.brokerEpoch())));
                } else {
                    data.newIsr().forEach(b -> newIsr.add(new PartitionChanges.IsrMember(b, -1)));
                }
                Errors error = PartitionChanges.validateAlterPartition(
                        current, request.brokerId(), data.leaderEpoch(), data.partitionEpoch(), newIsr, states);
                if (error != Errors.NONE) {
                    result.setErrorCode(error.code());
                    continue;
                }
                List<Integer> ids = newIsr.stream()
                        .map(PartitionChanges.IsrMember::brokerId)
                        .toList();
                Optional<PartitionRegistration> next = PartitionChanges.changeIsr(current, ids, acceptable);
                if (next.isPresent()) {
                    records.add(record(topic.get().id(), data.partitionIndex(), next.get()));
                    changed.put(key, next.get());
                    if (next.get().leader() != request.brokerId()) {
                        result.setErrorCode(Errors.NEW_LEADER_ELECTED.code());
                        continue;
                    }
                }
                PartitionRegistration state = next.orElse(current);
                result.setLeaderId(state.leader())
                        .setLeaderEpoch(state.leaderEpoch())
                        .setIsr(state.isr())
                        .setPartitionEpoch(state.partitionEpoch());
            }
        }
        return new Decision<>(records, response);
    }

    /**
     * ElectLeaders as Kafka's controller answers it: PREFERRED elects the first replica when it is in the ISR and
     * live, UNCLEAN any live replica of a leaderless partition (the ISR then is that replica alone). With no
     * partitions named, every partition is tried and those that need no election are left out of the answer.
     */
    static Decision<ElectLeadersResponseData> electLeaders(
            MetadataImage image, ElectLeadersRequestData request, Set<Integer> shuttingDown) {
        ElectionType type;
        try {
            type = ElectionType.valueOf(request.electionType());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Unknown election type " + request.electionType());
        }
        IntPredicate acceptable = acceptable(image, shuttingDown, Set.of());
        List<MetadataRecord> records = new ArrayList<>();
        ElectLeadersResponseData response = new ElectLeadersResponseData();
        if (request.topicPartitions() == null) {
            for (TopicImage topic : new java.util.TreeMap<>(image.topicsByName()).values()) {
                ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.name());
                response.replicaElectionResults().add(result);
                for (int partition : topic.partitions().keySet()) {
                    PartitionResult outcome = elect(image, topic.name(), partition, type, acceptable, records);
                    if (outcome.errorCode() != Errors.ELECTION_NOT_NEEDED.code()) {
                        result.partitionResult().add(outcome);
                    }
                }
            }
        } else {
            for (ElectLeadersRequestData.TopicPartitions topic : request.topicPartitions()) {
                ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
                response.replicaElectionResults().add(result);
                for (int partition : topic.partitions()) {
                    result.partitionResult().add(elect(image, topic.topic(), partition, type, acceptable, records));
                }
            }
        }
        return new Decision<>(records, response);
    }

    private static PartitionResult elect(
            MetadataImage image,
            String topicName,
            int partitionId,
            ElectionType type,
            IntPredicate acceptable,
            List<MetadataRecord> records) {
        PartitionResult result = new PartitionResult().setPartitionId(partitionId);
        Optional<TopicImage> topic = image.topic(topicName);
        if (topic.isEmpty()) {
            return error(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "No such topic as " + topicName);
        }
        PartitionRegistration partition = topic.get().partition(partitionId);
        if (partition == null) {
            return error(
                    result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "No such partition as " + topicName + "-" + partitionId);
        }
        boolean preferred = type == ElectionType.PREFERRED;
        if (preferred
                ? PartitionChanges.hasPreferredLeader(partition)
                : partition.leader() != PartitionRegistration.NO_LEADER) {
            return error(result, Errors.ELECTION_NOT_NEEDED, "Leader election not needed for topic partition.");
        }
        Optional<PartitionRegistration> next = PartitionChanges.change(
                partition,
                partition.isr(),
                preferred ? PartitionChanges.Election.PREFERRED : PartitionChanges.Election.UNCLEAN,
                acceptable);
        if (next.isEmpty()) {
            return preferred
                    ? error(
                            result,
                            Errors.PREFERRED_LEADER_NOT_AVAILABLE,
                            "Failed to elect leader for partition " + topicName + "-" + partitionId
                                    + " under strategy PreferredLeaderElectionStrategy")
                    : error(
                            result,
                            Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE,
                            "Failed to elect leader for partition " + topicName + "-" + partitionId
                                    + " under strategy UncleanLeaderElectionStrategy");
        }
        records.add(record(topic.get().id(), partitionId, next.get()));
        return result;
    }

    private static PartitionResult error(PartitionResult result, Errors error, String message) {
        return result.setErrorCode(error.code()).setErrorMessage(message);
    }

    /**
     * The automatic preferred-leader rebalance ({@code auto.leader.rebalance.enable}): for every broker whose share of
     * partitions it should lead but does not exceeds {@code imbalancePercentage}, a preferred-leader election of those
     * partitions (each only when the preferred replica is in the ISR and live). Answers how many leaders moved.
     */
    static Decision<Integer> rebalance(MetadataImage image, Set<Integer> shuttingDown, int imbalancePercentage) {
        IntPredicate acceptable = acceptable(image, shuttingDown, Set.of());
        Map<Integer, Integer> preferredCount = new HashMap<>();
        Map<Integer, Integer> notLeading = new HashMap<>();
        for (TopicImage topic : image.topicsById().values()) {
            for (PartitionRegistration p : topic.partitions().values()) {
                if (p.replicas().isEmpty()) {
                    continue;
                }
                int preferred = p.replicas().get(0);
                preferredCount.merge(preferred, 1, Integer::sum);
                if (p.leader() != preferred) {
                    notLeading.merge(preferred, 1, Integer::sum);
                }
            }
        }
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsById().values()) {
            topic.partitions().forEach((index, p) -> {
                if (p.replicas().isEmpty() || PartitionChanges.hasPreferredLeader(p)) {
                    return;
                }
                int preferred = p.replicas().get(0);
                double ratio = (double) notLeading.getOrDefault(preferred, 0) / preferredCount.get(preferred);
                if (ratio * 100 > imbalancePercentage && acceptable.test(preferred)) {
                    PartitionChanges.electPreferred(p, acceptable)
                            .filter(PartitionChanges::hasPreferredLeader)
                            .ifPresent(next -> records.add(record(topic.id(), index, next)));
                }
            });
        }
        return new Decision<>(records, records.size());
    }
}
