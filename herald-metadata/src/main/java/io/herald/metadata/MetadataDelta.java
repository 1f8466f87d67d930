package io.herald.metadata;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The changes of one or more metadata records on top of a base image. Replay records in log order, then
 * {@link #apply(long)} builds the next immutable image; the delta also tells a broker what changed (topics created,
 * deleted, partitions changed) so it can act on just that.
 */
public final class MetadataDelta {
    private final MetadataImage base;
    private Map<Integer, BrokerRegistration> brokers;
    private final Map<Uuid, TopicBuilder> changedTopics = new HashMap<>();
    private final Set<Uuid> deletedTopics = new HashSet<>();
    private final Set<Uuid> createdTopics = new HashSet<>();
    private final Set<MetadataImage.ConfigResourceKey> changedConfigs = new HashSet<>();
    private Map<MetadataImage.ConfigResourceKey, Map<String, String>> configs;
    private long nextProducerId;
    private Map<String, Short> features;
    private ClientQuotas clientQuotas;
    private ScramCredentials scramCredentials;

    public MetadataDelta(MetadataImage base) {
        this.base = base;
        this.nextProducerId = base.nextProducerId();
    }

    public MetadataImage base() {
        return base;
    }

    public void replay(MetadataRecord record) {
        switch (record) {
            case MetadataRecord.RegisterBroker r ->
                brokers()
                        .put(
                                r.brokerId(),
                                new BrokerRegistration(
                                        r.brokerId(),
                                        r.incarnationId(),
                                        r.brokerEpoch(),
                                        r.endpoints(),
                                        r.rack(),
                                        true));
            case MetadataRecord.BrokerFencing r -> {
                BrokerRegistration broker = brokers().get(r.brokerId());
                if (broker != null && broker.epoch() == r.brokerEpoch()) {
                    brokers().put(r.brokerId(), broker.withFenced(r.fenced()));
                }
            }
            case MetadataRecord.UnregisterBroker r -> {
                BrokerRegistration broker = brokers().get(r.brokerId());
                if (broker != null && broker.epoch() == r.brokerEpoch()) {
                    brokers().remove(r.brokerId());
                }
            }
            case MetadataRecord.Topic r -> {
                changedTopics.put(r.topicId(), new TopicBuilder(r.name(), r.topicId(), new TreeMap<>()));
                createdTopics.add(r.topicId());
                deletedTopics.remove(r.topicId());
            }
            case MetadataRecord.Partition r ->
                topicBuilder(r.topicId()).partitions().put(r.partitionId(), r.registration());
            case MetadataRecord.RemoveTopic r -> {
                TopicBuilder topic = topicBuilder(r.topicId());
                changedTopics.remove(r.topicId());
                createdTopics.remove(r.topicId());
                deletedTopics.add(r.topicId());
                configs().remove(new MetadataImage.ConfigResourceKey(ConfigResourceType.TOPIC, topic.name()));
            }
            case MetadataRecord.Config r -> {
                MetadataImage.ConfigResourceKey key =
                        new MetadataImage.ConfigResourceKey(r.resourceType(), r.resourceName());
                changedConfigs.add(key);
                Map<String, String> values = new HashMap<>(configs().getOrDefault(key, Map.of()));
                if (r.value() == null) {
                    values.remove(r.name());
                } else {
                    values.put(r.name(), r.value());
                }
                if (values.isEmpty()) {
                    configs().remove(key);
                } else {
                    configs().put(key, Map.copyOf(values));
                }
            }
            case MetadataRecord.ProducerIds r -> nextProducerId = Math.max(nextProducerId, r.nextProducerId());
            case MetadataRecord.FeatureLevel r -> features().put(r.name(), r.level());
            case MetadataRecord.ClientQuota r -> clientQuotas = clientQuotas().with(r);
            case MetadataRecord.ScramCredential r ->
                scramCredentials = scramCredentials().with(r);
            case MetadataRecord.RemoveScramCredential r ->
                scramCredentials = scramCredentials().without(r);
        }
    }

    /** Builds the image after every replayed record; {@code offset} is the last record's offset. */
    public MetadataImage apply(long offset) {
        Map<Uuid, TopicImage> byId = base.topicsById();
        Map<String, TopicImage> byName = base.topicsByName();
        if (!changedTopics.isEmpty() || !deletedTopics.isEmpty()) {
            byId = new HashMap<>(byId);
            byName = new HashMap<>(byName);
            for (Uuid id : deletedTopics) {
                TopicImage old = byId.remove(id);
                if (old != null) {
                    byName.remove(old.name());
                }
            }
            for (TopicBuilder builder : changedTopics.values()) {
                TopicImage topic = new TopicImage(builder.name(), builder.id(), builder.partitions());
                TopicImage old = byId.put(topic.id(), topic);
                if (old != null && !old.name().equals(topic.name())) {
                    byName.remove(old.name());
                }
                byName.put(topic.name(), topic);
            }
        }
        return new MetadataImage(
                offset,
                brokers == null ? base.brokers() : brokers,
                byId,
                byName,
                configs == null ? base.allConfigs() : configs,
                nextProducerId,
                features == null ? base.features() : features,
                clientQuotas(),
                scramCredentials());
    }

    /** Resources whose dynamic configs changed in this delta. */
    public Set<MetadataImage.ConfigResourceKey> changedConfigs() {
        return Set.copyOf(changedConfigs);
    }

    /** Topics created in this delta (and not deleted again). */
    public Set<Uuid> createdTopics() {
        return Set.copyOf(createdTopics);
    }

    /** Topics of the base image deleted in this delta. */
    public Set<Uuid> deletedTopics() {
        Set<Uuid> deleted = new HashSet<>(deletedTopics);
        deleted.retainAll(base.topicsById().keySet());
        return deleted;
    }

    /** Topics whose partitions changed or were added in this delta, including created ones. */
    public Set<Uuid> changedTopics() {
        return Set.copyOf(changedTopics.keySet());
    }

    private TopicBuilder topicBuilder(Uuid topicId) {
        TopicBuilder builder = changedTopics.get(topicId);
        if (builder != null) {
            return builder;
        }
        TopicImage existing = base.topicsById().get(topicId);
        if (existing == null || deletedTopics.contains(topicId)) {
            throw new IllegalStateException("metadata record for unknown topic id " + topicId);
        }
        builder = new TopicBuilder(existing.name(), topicId, new TreeMap<>(existing.partitions()));
        changedTopics.put(topicId, builder);
        return builder;
    }

    private Map<Integer, BrokerRegistration> brokers() {
        if (brokers == null) {
            brokers = MetadataImage.copy(base.brokers());
        }
        return brokers;
    }

    private Map<MetadataImage.ConfigResourceKey, Map<String, String>> configs() {
        if (configs == null) {
            configs = MetadataImage.copy(base.allConfigs());
        }
        return configs;
    }

    private ClientQuotas clientQuotas() {
        return clientQuotas == null ? base.clientQuotas() : clientQuotas;
    }

    private ScramCredentials scramCredentials() {
        return scramCredentials == null ? base.scramCredentials() : scramCredentials;
    }

    private Map<String, Short> features() {
        if (features == null) {
            features = MetadataImage.copy(base.features());
        }
        return features;
    }

    private record TopicBuilder(String name, Uuid id, Map<Integer, PartitionRegistration> partitions) {}
}
