package io.herald.metadata;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The records of the cluster metadata log. Every change to cluster state is one or more of these, appended through the
 * controller quorum and replayed in order by every node into its {@link MetadataImage}.
 */
public sealed interface MetadataRecord {

    /** A broker joined (or rejoined) the cluster with a new epoch; it starts fenced until it catches up. */
    record RegisterBroker(
            int brokerId, Uuid incarnationId, long brokerEpoch, List<BrokerEndpoint> endpoints, String rack)
            implements MetadataRecord {
        public RegisterBroker {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** A broker was fenced (stopped heartbeating, or is shutting down) or unfenced (caught up). */
    record BrokerFencing(int brokerId, long brokerEpoch, boolean fenced) implements MetadataRecord {}

    /** A broker left the cluster for good. */
    record UnregisterBroker(int brokerId, long brokerEpoch) implements MetadataRecord {}

    /** A topic exists under this name and id. */
    record Topic(String name, Uuid topicId) implements MetadataRecord {}

    /**
     * The full state of one partition: a new partition, or a new leader/ISR/replica set for an existing one, with the
     * replicas a reassignment is adding and removing (empty when none is in progress).
     */
    record Partition(
            Uuid topicId,
            int partitionId,
            List<Integer> replicas,
            List<Integer> isr,
            int leader,
            int leaderEpoch,
            int partitionEpoch,
            List<Integer> addingReplicas,
            List<Integer> removingReplicas)
            implements MetadataRecord {
        public Partition {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
            addingReplicas = List.copyOf(addingReplicas);
            removingReplicas = List.copyOf(removingReplicas);
        }

        /** A partition with no reassignment in progress. */
        public Partition(
                Uuid topicId,
                int partitionId,
                List<Integer> replicas,
                List<Integer> isr,
                int leader,
                int leaderEpoch,
                int partitionEpoch) {
            this(topicId, partitionId, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
        }

        /** This record of a partition's registration. */
        public static Partition of(Uuid topicId, int partitionId, PartitionRegistration p) {
            return new Partition(
                    topicId,
                    partitionId,
                    p.replicas(),
                    p.isr(),
                    p.leader(),
                    p.leaderEpoch(),
                    p.partitionEpoch(),
                    p.addingReplicas(),
                    p.removingReplicas());
        }

        /** The registration this record describes. */
        public PartitionRegistration registration() {
            return new PartitionRegistration(
                    replicas, isr, leader, leaderEpoch, partitionEpoch, addingReplicas, removingReplicas);
        }
    }

    /** A topic and all its partitions were deleted. */
    record RemoveTopic(Uuid topicId) implements MetadataRecord {}

    /** A dynamic config was set ({@code value} non-null) or removed ({@code value} null). */
    record Config(ConfigResourceType resourceType, String resourceName, String name, String value)
            implements MetadataRecord {}

    /** The next block of producer ids starts at {@code nextProducerId}; ids below it were handed out. */
    record ProducerIds(int brokerId, long brokerEpoch, long nextProducerId) implements MetadataRecord {}

    /** A feature's finalized level, e.g. {@code metadata.version}. */
    record FeatureLevel(String name, short level) implements MetadataRecord {}

    /**
     * A client quota of an entity ({@code user}, {@code client-id} and/or {@code ip} parts; a null name is that
     * part's default entity) was set ({@code value} non-null) or removed.
     */
    record ClientQuota(Map<String, String> entity, String key, Double value) implements MetadataRecord {
        public ClientQuota {
            entity = Collections.unmodifiableMap(new TreeMap<>(entity));
        }
    }

    /** A user's SCRAM credential for one mechanism (Kafka's ScramMechanism type code), as the server keeps it. */
    record ScramCredential(String user, byte mechanism, byte[] salt, byte[] storedKey, byte[] serverKey, int iterations)
            implements MetadataRecord {}

    /** A user's SCRAM credential for one mechanism was deleted. */
    record RemoveScramCredential(String user, byte mechanism) implements MetadataRecord {}
}
