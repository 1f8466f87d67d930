package io.herald.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The whole cluster metadata at one offset of the metadata log, immutable: readers share it without locks and a
 * writer publishes a new image built by a {@link MetadataDelta}.
 */
public final class MetadataImage {
    public static final MetadataImage EMPTY = new MetadataImage(
            -1, Map.of(), Map.of(), Map.of(), Map.of(), 0L, Map.of(), ClientQuotas.EMPTY, ScramCredentials.EMPTY);

    private final long offset;
    private final Map<Integer, BrokerRegistration> brokers;
    private final Map<Uuid, TopicImage> topicsById;
    private final Map<String, TopicImage> topicsByName;
    private final Map<ConfigResourceKey, Map<String, String>> configs;
    private final long nextProducerId;
    private final Map<String, Short> features;
    private final ClientQuotas clientQuotas;
    private final ScramCredentials scramCredentials;

    MetadataImage(
            long offset,
            Map<Integer, BrokerRegistration> brokers,
            Map<Uuid, TopicImage> topicsById,
            Map<String, TopicImage> topicsByName,
            Map<ConfigResourceKey, Map<String, String>> configs,
            long nextProducerId,
            Map<String, Short> features,
            ClientQuotas clientQuotas,
            ScramCredentials scramCredentials) {
        this.offset = offset;
        this.brokers = Collections.unmodifiableMap(new TreeMap<>(brokers));
        this.topicsById = Collections.unmodifiableMap(topicsById);
        this.topicsByName = Collections.unmodifiableMap(topicsByName);
        this.configs = Collections.unmodifiableMap(configs);
        this.nextProducerId = nextProducerId;
        this.features = Collections.unmodifiableMap(features);
        this.clientQuotas = clientQuotas;
        this.scramCredentials = scramCredentials;
    }

    /** The offset of the last record applied to this image; -1 for the empty image. */
    public long offset() {
        return offset;
    }

    public Map<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    public Optional<BrokerRegistration> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    /** Registered brokers that are not fenced, by id. */
    public List<BrokerRegistration> liveBrokers() {
        List<BrokerRegistration> live = new ArrayList<>();
        for (BrokerRegistration broker : brokers.values()) {
            if (!broker.fenced()) {
                live.add(broker);
            }
        }
        return live;
    }

    public Map<Uuid, TopicImage> topicsById() {
        return topicsById;
    }

    public Map<String, TopicImage> topicsByName() {
        return topicsByName;
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicImage> topic(Uuid id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    /** The dynamic configs set on one resource (empty when none). */
    public Map<String, String> configs(ConfigResourceType type, String name) {
        return configs.getOrDefault(new ConfigResourceKey(type, name), Map.of());
    }

    Map<ConfigResourceKey, Map<String, String>> allConfigs() {
        return configs;
    }

    public long nextProducerId() {
        return nextProducerId;
    }

    public Map<String, Short> features() {
        return features;
    }

    public ClientQuotas clientQuotas() {
        return clientQuotas;
    }

    public ScramCredentials scramCredentials() {
        return scramCredentials;
    }

    /** The records that rebuild this image from empty: the content of a metadata snapshot. */
    public List<MetadataRecord> toRecords() {
        List<MetadataRecord> records = new ArrayList<>();
        features.forEach((name, level) -> records.add(new MetadataRecord.FeatureLevel(name, level)));
        for (BrokerRegistration b : brokers.values()) {
            records.add(
                    new MetadataRecord.RegisterBroker(b.id(), b.incarnationId(), b.epoch(), b.endpoints(), b.rack()));
            records.add(new MetadataRecord.BrokerFencing(b.id(), b.epoch(), b.fenced()));
        }
        for (TopicImage topic : new TreeMap<>(topicsByName).values()) {
            records.add(new MetadataRecord.Topic(topic.name(), topic.id()));
            topic.partitions().forEach((index, p) -> records.add(MetadataRecord.Partition.of(topic.id(), index, p)));
        }
        configs.forEach((key, values) -> new TreeMap<>(values)
                .forEach((name, value) -> records.add(new MetadataRecord.Config(key.type(), key.name(), name, value))));
        if (nextProducerId > 0) {
            records.add(new MetadataRecord.ProducerIds(-1, -1, nextProducerId));
        }
        clientQuotas
                .byEntity()
                .forEach((entity, values) -> values.forEach(
                        (key, value) -> records.add(new MetadataRecord.ClientQuota(entity, key, value))));
        scramCredentials.byUser().values().forEach(mechanisms -> records.addAll(mechanisms.values()));
        return records;
    }

    /** Rebuilds an image from snapshot records. */
    public static MetadataImage fromRecords(long offset, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(EMPTY);
        records.forEach(delta::replay);
        return delta.apply(offset);
    }

    static <K, V> Map<K, V> copy(Map<K, V> map) {
        return new HashMap<>(map);
    }

    /** A config resource: its type and name ("" for the cluster-wide default of a broker config). */
    public record ConfigResourceKey(ConfigResourceType type, String name) {}
}
