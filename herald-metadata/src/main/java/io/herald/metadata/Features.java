package io.herald.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The features Herald supports (Kafka's feature names, KIP-584) with the level each has until an UpdateFeatures
 * changes it. Levels only say what the cluster offers: {@code metadata.version} is Kafka 4.1's range with 4.1-IV1
 * (27) finalized; {@code group.version} 1 is KIP-848's consumer groups; {@code kraft.version} 1 a dynamic quorum;
 * {@code transaction.version} 2 (as Kafka 4.x formats new clusters) puts transactional clients on KIP-890's protocol:
 * an epoch bump per transaction, and partitions added by their leaders on the first transactional produce (levels 0
 * and 1 keep the older client-side AddPartitionsToTxn). Eligible leader replicas are not built, so that feature stays
 * at level 0 (not finalized).
 */
public final class Features {
    public static final String METADATA_VERSION = "metadata.version";

    /** A supported level range. */
    public record Range(short min, short max) {}

    private static final Map<String, Range> SUPPORTED;
    private static final Map<String, Short> DEFAULT_LEVELS;

    static {
        Map<String, Range> supported = new LinkedHashMap<>();
        supported.put(METADATA_VERSION, new Range((short) 7, (short) 27));
        supported.put("kraft.version", new Range((short) 0, (short) 1));
        supported.put("group.version", new Range((short) 0, (short) 1));
        supported.put("transaction.version", new Range((short) 0, (short) 2));
        supported.put("eligible.leader.replicas.version", new Range((short) 0, (short) 0));
        SUPPORTED = Collections.unmodifiableMap(supported);
        DEFAULT_LEVELS = Map.of(
                METADATA_VERSION,
                (short) 27,
                "kraft.version",
                (short) 1,
                "group.version",
                (short) 1,
                "transaction.version",
                (short) 2);
    }

    private Features() {}

    public static Map<String, Range> supported() {
        return SUPPORTED;
    }

    /** The supported ranges as {min, max} pairs, in a stable order. */
    public static Map<String, short[]> supportedRanges() {
        Map<String, short[]> ranges = new LinkedHashMap<>();
        SUPPORTED.forEach((name, range) -> ranges.put(name, new short[] {range.min(), range.max()}));
        return ranges;
    }

    /** The epoch of an image's finalized features: its offset, which only grows (0 before any record). */
    public static long epoch(MetadataImage image) {
        return Math.max(0, image.offset());
    }

    /** The finalized level of every feature above level 0: the defaults, overridden by the image's feature records. */
    public static Map<String, Short> finalized(MetadataImage image) {
        Map<String, Short> levels = new TreeMap<>(DEFAULT_LEVELS);
        levels.putAll(image.features());
        levels.values().removeIf(level -> level <= 0);
        return levels;
    }
}
