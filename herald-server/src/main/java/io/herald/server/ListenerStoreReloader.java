package io.herald.server;

import io.herald.metadata.BrokerDynamicConfigs;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.network.ListenerSecurity;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's dynamic update of a listener's TLS stores: when this broker's per-broker configs set (or set again, after
 * the file was replaced) {@code listener.name.<listener>.ssl.keystore.*} or {@code ...ssl.truststore.*}, the listener
 * re-reads its stores; new connections use them, open ones keep their session. Runs on the metadata thread.
 */
final class ListenerStoreReloader implements BiConsumer<MetadataImage, MetadataDelta> {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerStoreReloader.class);

    private final String brokerName;
    private final Map<String, String> staticProperties;
    private final List<ListenerSecurity> listeners;
    private Map<String, String> applied = Map.of();

    ListenerStoreReloader(int nodeId, Map<String, String> staticProperties, List<ListenerSecurity> listeners) {
        this.brokerName = Integer.toString(nodeId);
        this.staticProperties = staticProperties;
        this.listeners = listeners;
    }

    @Override
    public void accept(MetadataImage image, MetadataDelta delta) {
        if (!delta.changedConfigs()
                .contains(new MetadataImage.ConfigResourceKey(ConfigResourceType.BROKER, brokerName))) {
            return;
        }
        Map<String, String> stores = new TreeMap<>();
        image.configs(ConfigResourceType.BROKER, brokerName).forEach((key, value) -> {
            if (BrokerDynamicConfigs.isListenerStore(key)) {
                stores.put(key, value);
            }
        });
        TreeSet<String> touched = new TreeSet<>();
        for (String key : stores.keySet()) {
            touched.add(listenerOf(key));
        }
        for (String key : applied.keySet()) {
            touched.add(listenerOf(key));
        }
        Map<String, String> merged = new HashMap<>(staticProperties);
        merged.putAll(stores);
        for (ListenerSecurity listener : listeners) {
            if (!touched.contains(listener.listenerName().toLowerCase(Locale.ROOT))) {
                continue;
            }
            try {
                listener.reconfigure(merged);
                LOG.info("Reloaded the TLS key and trust stores of listener {}", listener.listenerName());
            } catch (ConfigException e) {
                LOG.warn("{}; listener {} keeps its current stores", e.getMessage(), listener.listenerName());
            }
        }
        applied = stores;
    }

    /** {@code listener.name.ssl.ssl.keystore.location} -> {@code ssl}. */
    private static String listenerOf(String key) {
        String rest = key.substring("listener.name.".length());
        return rest.substring(0, rest.indexOf('.'));
    }
}
