package io.herald.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/** A topic and its partitions by index; immutable. */
public record TopicImage(String name, Uuid id, Map<Integer, PartitionRegistration> partitions) {
    public TopicImage {
        partitions = Collections.unmodifiableMap(new TreeMap<>(partitions));
    }

    public PartitionRegistration partition(int index) {
        return partitions.get(index);
    }
}
