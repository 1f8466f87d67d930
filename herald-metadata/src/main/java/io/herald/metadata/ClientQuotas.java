package io.herald.metadata;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The client quotas of the cluster (KIP-546), immutable: entity (its {@code user}, {@code client-id}, {@code ip}
 * parts, a null name being that part's default) to quota key to value. Entities without quotas are not kept.
 */
public final class ClientQuotas {
    public static final ClientQuotas EMPTY = new ClientQuotas(Map.of());
    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";
    public static final String IP = "ip";

    private final Map<Map<String, String>, Map<String, Double>> byEntity;

    private ClientQuotas(Map<Map<String, String>, Map<String, Double>> byEntity) {
        this.byEntity = Collections.unmodifiableMap(byEntity);
    }

    public Map<Map<String, String>, Map<String, Double>> byEntity() {
        return byEntity;
    }

    /**
     * A quota that applies to a client: its bound, and the metric tags of the clients that share it (a quota set for
     * a user alone is shared by that user's clients, tagged with an empty client-id; one for a client id alone by the
     * users of that client id; the others are per user and client id).
     */
    public record Applied(double bound, String userTag, String clientIdTag) {}

    /**
     * The {@code key} quota (producer_byte_rate, consumer_byte_rate, request_percentage) of a client of {@code user}
     * with {@code clientId}, at Kafka's precedence: user and client id, user and default client id, user, default
     * user and client id, default user and default client id, default user, client id, default client id.
     */
    public Optional<Applied> resolve(String user, String clientId, String key) {
        if (byEntity.isEmpty()) {
            return Optional.empty();
        }
        for (int level = 0; level < 8; level++) {
            Map<String, String> entity = new HashMap<>();
            if (level < 6) {
                entity.put(USER, level < 3 ? user : null);
            }
            int clientPart = level % 3;
            if (level >= 6 || clientPart != 2) {
                entity.put(CLIENT_ID, level == 6 || (level < 6 && clientPart == 0) ? clientId : null);
            }
            Map<String, Double> values = byEntity.get(entity);
            Double bound = values == null ? null : values.get(key);
            if (bound != null) {
                boolean userOnly = level < 6 && clientPart == 2;
                return Optional.of(new Applied(bound, level >= 6 ? "" : user, userOnly ? "" : clientId));
            }
        }
        return Optional.empty();
    }

    /** The {@code ip} entities' {@code key} quota for {@code address}: its own, else the default IP's. */
    public OptionalDouble resolveIp(String address, String key) {
        for (String name : new String[] {address, null}) {
            Map<String, String> entity = new HashMap<>();
            entity.put(IP, name);
            Map<String, Double> values = byEntity.get(entity);
            if (values != null && values.get(key) != null) {
                return OptionalDouble.of(values.get(key));
            }
        }
        return OptionalDouble.empty();
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
