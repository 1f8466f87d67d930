package io.herald.metadata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cluster features, with Kafka 4.1's names and supported levels (so Kafka's {@code kafka-features.sh upgrade
 * --release-version} works unchanged), and the levels a cluster runs at until an UpdateFeatures changes them: a
 * FeatureLevel record in the metadata log overrides its feature's default. Only features whose protocol Herald
 * implements start enabled; the others (transactions, ELR, dynamic quorums, share groups) start at level 0.
 */
public final class Features {
    public static final String METADATA_VERSION = "metadata.version";
    /** 3.3-IV3, the oldest metadata.version Kafka 4.x can run. */
    public static final short METADATA_VERSION_MIN = 7;
    /** 4.1-IV1, Kafka 4.1's latest production metadata.version. */
    public static final short METADATA_VERSION_LATEST = 27;

    /** An inclusive range of levels. */
    public record Range(short min, short max) {
        public boolean contains(short level) {
            return level >= min && level <= max;
        }
    }

    private static final Map<String, Range> SUPPORTED = supported();
    private static final Map<String, Short> DEFAULTS = Map.of(
            METADATA_VERSION,
            METADATA_VERSION_LATEST,
            // KIP-848's consumer group protocol is served.
            "group.version",
            (short) 1);

    private Features() {}

    private static Map<String, Range> supported() {
        Map<String, Range> features = new LinkedHashMap<>();
        features.put(METADATA_VERSION, new Range(METADATA_VERSION_MIN, METADATA_VERSION_LATEST));
        features.put("group.version", new Range((short) 0, (short) 1));
        features.put("kraft.version", new Range((short) 0, (short) 1));
        features.put("transaction.version", new Range((short) 0, (short) 2));
        features.put("eligible.leader.replicas.version", new Range((short) 0, (short) 1));
        features.put("share.version", new Range((short) 0, (short) 1));
        return Map.copyOf(features);
    }

    /** Every feature Herald knows, with the levels it supports. */
    public static Map<String, Range> supportedFeatures() {
        return SUPPORTED;
    }

    /** The finalized level of each feature above level 0: the defaults overlaid by the image's FeatureLevel records. */
    public static Map<String, Short> finalized(MetadataImage image) {
        Map<String, Short> levels = new LinkedHashMap<>(DEFAULTS);
        levels.putAll(image.features());
        levels.values().removeIf(level -> level <= 0);
        return levels;
    }
}
