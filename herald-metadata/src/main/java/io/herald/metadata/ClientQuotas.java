package io.herald.metadata;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client quotas of the cluster (KIP-546), immutable: entity (its {@code user}, {@code client-id}, {@code ip}
 * parts, a null name being that part's default) to quota key to value. Entities without quotas are not kept.
 */
public final class ClientQuotas {
    public static final ClientQuotas EMPTY = new ClientQuotas(Map.of());

    private final Map<Map<String, String>, Map<String, Double>> byEntity;

    private ClientQuotas(Map<Map<String, String>, Map<String, Double>> byEntity) {
        this.byEntity = Collections.unmodifiableMap(byEntity);
    }

    public Map<Map<String, String>, Map<String, Double>> byEntity() {
        return byEntity;
    }

    /** This state with one quota record applied. */
    ClientQuotas with(MetadataRecord.ClientQuota record) {
        Map<Map<String, String>, Map<String, Double>> next = new HashMap<>(byEntity);
        Map<String, Double> values = new TreeMap<>(next.getOrDefault(record.entity(), Map.of()));
        if (record.value() == null) {
            values.remove(record.key());
        } else {
            values.put(record.key(), record.value());
        }
        if (values.isEmpty()) {
            next.remove(record.entity());
        } else {
            next.put(record.entity(), Collections.unmodifiableMap(values));
        }
        return new ClientQuotas(next);
    }
}
