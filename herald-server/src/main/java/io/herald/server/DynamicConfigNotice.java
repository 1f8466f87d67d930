package io.herald.server;

import io.herald.metadata.BrokerDynamicConfigs;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so, in one line, when a dynamic broker config this broker does not apply while running is set for it or for the
 * cluster (Kafka's configs are all accepted, but a change Herald stores without acting on must never pass silently).
 * Runs on the metadata thread.
 */
final class DynamicConfigNotice implements BiConsumer<MetadataImage, MetadataDelta> {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicConfigNotice.class);

    private final String brokerName;
    private Map<String, String> seen = Map.of();

    DynamicConfigNotice(int nodeId) {
        this.brokerName = Integer.toString(nodeId);
    }

    @Override
    public void accept(MetadataImage image, MetadataDelta delta) {
        boolean changed = delta.changedConfigs().stream()
                .anyMatch(k -> k.type() == ConfigResourceType.BROKER
                        && (k.name().isEmpty() || k.name().equals(brokerName)));
        if (!changed) {
            return;
        }
        Map<String, String> current = new HashMap<>(image.configs(ConfigResourceType.BROKER, ""));
        current.putAll(image.configs(ConfigResourceType.BROKER, brokerName));
        Set<String> notApplied = new TreeSet<>();
        current.forEach((key, value) -> {
            if (!BrokerDynamicConfigs.isAppliedWhileRunning(key) && !Objects.equals(seen.get(key), value)) {
                notApplied.add(key); // names only: a value may be a password
            }
        });
        seen = current;
        if (!notApplied.isEmpty()) {
            LOG.info(
                    "Dynamic broker config {} stored and described; this broker does not apply it while running"
                            + " (docs/configs.md)",
                    String.join(", ", notApplied));
        }
    }
}
