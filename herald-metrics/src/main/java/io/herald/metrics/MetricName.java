package io.herald.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A measurement's name as Kafka's MBeans spell it: {@code group:type=Type,name=Name[,tag=value...]}, tags in the order
 * Kafka writes them (so existing JMX queries find the exact object name). The same name keys the value in
 * {@link HeraldMetrics} and is what the Prometheus exporter maps to its own name and labels.
 */
public final class MetricName {
    private final String group;
    private final String type;
    private final String name;
    private final Map<String, String> tags;
    private final String mbeanName;

    private MetricName(String group, String type, String name, Map<String, String> tags) {
        this.group = Objects.requireNonNull(group);
        this.type = Objects.requireNonNull(type);
        this.name = Objects.requireNonNull(name);
        this.tags = Collections.unmodifiableMap(tags);
        StringBuilder sb = new StringBuilder(group)
                .append(":type=")
                .append(type)
                .append(",name=")
                .append(name);
        tags.forEach((k, v) -> sb.append(',').append(k).append('=').append(quoteIfNeeded(v)));
        this.mbeanName = sb.toString();
    }

    /** A name with tags given as key, value, key, value... */
    public static MetricName of(String group, String type, String name, String... tagKeyValues) {
        if (tagKeyValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key/value pairs: " + String.join(",", tagKeyValues));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < tagKeyValues.length; i += 2) {
            tags.put(tagKeyValues[i], tagKeyValues[i + 1]);
        }
        return new MetricName(group, type, name, tags);
    }

    /** JMX needs values with {@code , = : " *  ?} or newlines quoted; topic names never have them, client ids may. */
    private static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
                return javax.management.ObjectName.quote(value);
            }
        }
        return value;
    }

    public String group() {
        return group;
    }

    public String type() {
        return type;
    }

    public String name() {
        return name;
    }

    /** The tags after type and name, in Kafka's order. */
    public Map<String, String> tags() {
        return tags;
    }

    /** The JMX object name, e.g. {@code kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=t}. */
    public String mbeanName() {
        return mbeanName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricName other && other.mbeanName.equals(mbeanName);
    }

    @Override
    public int hashCode() {
        return mbeanName.hashCode();
    }

    @Override
    public String toString() {
        return mbeanName;
    }
}
