package io.herald.tools.configs;

import io.herald.common.ClientQuotaConfigs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;

/**
 * {@code kafka-configs.sh} for client quotas ({@code --entity-type users}, {@code clients}, {@code ips}): alter and
 * describe through Admin's client-quota API, with Kafka's checks, messages and {@code Quota configs for …} lines.
 */
public final class QuotaConfigs {
    private QuotaConfigs() {}

    /** Kafka's entity type of an {@code --entity-type}: users → user, clients → client-id, ips → ip. */
    private static String entityType(String type) {
        return switch (type) {
            case "users" -> ClientQuotaEntity.USER;
            case "clients" -> ClientQuotaEntity.CLIENT_ID;
            default -> ClientQuotaEntity.IP;
        };
    }

    public static void alter(Admin admin, ConfigsOptions opts, PrintStream out) throws Exception {
        List<String> types = opts.entityTypes();
        List<String> names = opts.entityNames();
        Map<String, String> entity = new HashMap<>();
        for (int i = 0; i < types.size(); i++) {
            entity.put(entityType(types.get(i)), names.get(i).isEmpty() ? null : names.get(i));
        }
        Map<String, String> toAdd = new java.util.LinkedHashMap<>(opts.configsToAdd());
        List<String> toDelete = new ArrayList<>(opts.configsToDelete());
        boolean scram = types.get(0).equals("users")
                && names.size() == 1
                && !names.get(0).isEmpty()
                && ScramConfigs.alter(admin, names.get(0), toAdd, toDelete);
        checkKeys(types.get(0), toAdd.keySet());
        var current = describe(admin, types, names).getOrDefault(new ClientQuotaEntity(entity), Map.of());
        var missing = toDelete.stream().filter(k -> !current.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException("Invalid config(s): " + String.join(",", missing));
        }
        var ops = new ArrayList<ClientQuotaAlteration.Op>();
        toAdd.forEach((key, value) -> {
            try {
                ops.add(new ClientQuotaAlteration.Op(key, Double.valueOf(value)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Cannot parse quota configuration value for " + key + ": " + value);
            }
        });
        toDelete.forEach(key -> ops.add(new ClientQuotaAlteration.Op(key, null)));
        if (!(scram && ops.isEmpty())) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(entity), ops)))
                    .all()
                    .get();
        }
        String type = types.get(0);
        String name = names.get(0);
        if (name.isEmpty()) {
            out.println("Completed updating default config for " + type + " in the cluster.");
        } else {
            out.println("Completed updating config for " + type.substring(0, type.length() - 1) + " " + name + ".");
        }
    }

    private static void checkKeys(String type, Set<String> keys) {
        Set<String> allowed = type.equals("ips") ? ClientQuotaConfigs.ipKeys() : ClientQuotaConfigs.clientKeys();
        var unexpected = new LinkedHashSet<String>();
        keys.stream().filter(k -> !allowed.contains(k)).forEach(unexpected::add);
        if (unexpected.isEmpty()) {
            return;
        }
        // Kafka prints the names as a Scala Set, except for ips.
        String set = "Set(" + String.join(", ", unexpected) + ")";
        throw new IllegalArgumentException(
                switch (type) {
                    case "users" ->
                        "Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server."
                                + " Unexpected config names: " + set;
                    case "clients" ->
                        "Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config"
                                + " names: " + set;
                    default ->
                        "Only connection quota configs can be added for 'ips' using --bootstrap-server. Unexpected"
                                + " config names: " + String.join(", ", unexpected);
                });
    }

    /** {@code --describe}: one {@code Quota configs for … are k=v, …} line per matching entity. */
    public static void describe(Admin admin, ConfigsOptions opts, PrintStream out) throws Exception {
        describe(admin, opts.entityTypes(), opts.entityNames()).forEach((entity, values) -> {
            String entries = values.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", "));
            out.println("Quota configs for " + describe(entity) + " are " + entries);
        });
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> describe(
            Admin admin, List<String> types, List<String> names) throws Exception {
        var components = new ArrayList<ClientQuotaFilterComponent>();
        for (int i = 0; i < types.size(); i++) {
            String type = entityType(types.get(i));
            String name = i < names.size() ? names.get(i) : null;
            components.add(
                    name == null
                            ? ClientQuotaFilterComponent.ofEntityType(type)
                            : name.isEmpty()
                                    ? ClientQuotaFilterComponent.ofDefaultEntity(type)
                                    : ClientQuotaFilterComponent.ofEntity(type, name));
        }
        return admin.describeClientQuotas(ClientQuotaFilter.containsOnly(components))
                .entities()
                .get();
    }

    /** "user-principal 'u', client-id 'c'", with "the default …" for default entities; users first. */
    private static String describe(ClientQuotaEntity entity) {
        var parts = new ArrayList<String>();
        for (String type : List.of(ClientQuotaEntity.USER, ClientQuotaEntity.CLIENT_ID, ClientQuotaEntity.IP)) {
            if (entity.entries().containsKey(type)) {
                String label = type.equals(ClientQuotaEntity.USER) ? "user-principal" : type;
                String name = entity.entries().get(type);
                parts.add(name == null ? "the default " + label : label + " '" + name + "'");
            }
        }
        return String.join(", ", parts);
    }
}
