package io.herald.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The cluster's ACLs, immutable: each binding under the id its record gave it, indexed by resource type so that an
 * authorization looks only at the bindings of the resource's type (literal ones by name, prefixed ones scanned).
 */
public final class Acls {
    public static final Acls EMPTY = new Acls(Map.of());

    private final Map<Uuid, AclBinding> byId;
    private final Map<ResourceType, Index> byType = new EnumMap<>(ResourceType.class);

    private Acls(Map<Uuid, AclBinding> byId) {
        this.byId = Collections.unmodifiableMap(byId);
        for (AclBinding binding : byId.values()) {
            byType.computeIfAbsent(binding.pattern().resourceType(), t -> new Index())
                    .add(binding);
        }
    }

    /** Every ACL by id, in the order they were added. */
    public Map<Uuid, AclBinding> byId() {
        return byId;
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** The ACLs that match a filter (Kafka's filter rules: ANY, MATCH, wildcards), with their ids. */
    public Map<Uuid, AclBinding> matching(AclBindingFilter filter) {
        Map<Uuid, AclBinding> found = new LinkedHashMap<>();
        byId.forEach((id, binding) -> {
            if (filter.matches(binding)) {
                found.put(id, binding);
            }
        });
        return found;
    }

    /** The literal bindings on exactly this name (the wildcard name {@code *} included when asked for). */
    List<AclBinding> literal(ResourceType type, String name) {
        Index index = byType.get(type);
        return index == null ? List.of() : index.literal.getOrDefault(name, List.of());
    }

    /** The prefixed bindings of a resource type. */
    List<AclBinding> prefixed(ResourceType type) {
        Index index = byType.get(type);
        return index == null ? List.of() : index.prefixed;
    }

    /** Every binding of a resource type. */
    List<AclBinding> ofType(ResourceType type) {
        Index index = byType.get(type);
        return index == null ? List.of() : index.all;
    }

    /** The ACLs of a whole map of bindings by id (built once per delta, not once per record). */
    static Acls of(Map<Uuid, AclBinding> byId) {
        return byId.isEmpty() ? EMPTY : new Acls(new LinkedHashMap<>(byId));
    }

    private static final class Index {
        private final Map<String, List<AclBinding>> literal = new HashMap<>();
        private final List<AclBinding> prefixed = new ArrayList<>();
        private final List<AclBinding> all = new ArrayList<>();

        void add(AclBinding binding) {
            all.add(binding);
            if (binding.pattern().patternType() == PatternType.PREFIXED) {
                prefixed.add(binding);
            } else {
                literal.computeIfAbsent(binding.pattern().name(), n -> new ArrayList<>())
                        .add(binding);
            }
        }
    }
}
