package io.herald.tools;

import java.util.List;

/**
 * Kafka's {@code metadata.version} feature levels and their release names (level 1 = 3.0-IV1 … 27 = 4.1-IV1, the
 * latest production level; 28 and 29 are Kafka 4.1's unstable 4.2-IV0 and 4.2-IV1), as Kafka's tools print them.
 */
public final class MetadataVersions {
    public static final String FEATURE_NAME = "metadata.version";
    /** Index i holds the name of feature level i + 1. */
    private static final List<String> NAMES = List.of(
            "3.0-IV1", "3.1-IV0", "3.2-IV0", "3.3-IV0", "3.3-IV1", "3.3-IV2", "3.3-IV3", "3.4-IV0", "3.5-IV0",
            "3.5-IV1", "3.5-IV2", "3.6-IV0", "3.6-IV1", "3.6-IV2", "3.7-IV0", "3.7-IV1", "3.7-IV2", "3.7-IV3",
            "3.7-IV4", "3.8-IV0", "3.9-IV0", "4.0-IV0", "4.0-IV1", "4.0-IV2", "4.0-IV3", "4.1-IV0", "4.1-IV1",
            "4.2-IV0", "4.2-IV1");
    /** The oldest level Kafka 4.x can bootstrap (3.3-IV3). */
    public static final short MINIMUM_LEVEL = 7;
    /** Kafka 4.1's latest production level (4.1-IV1). */
    public static final short LATEST_PRODUCTION_LEVEL = 27;
    /** Kafka 4.1's latest (unstable) level, 4.2-IV1. */
    public static final short LATEST_LEVEL = 29;

    private MetadataVersions() {}

    /** A level as Kafka prints it: the release name, or {@code UNKNOWN n}. */
    public static String name(short level) {
        return level >= 1 && level <= NAMES.size() ? NAMES.get(level - 1) : "UNKNOWN " + level;
    }

    /** The level of a release name ("4.0-IV3") or release ("4.0", meaning its latest level); -1 if unknown. */
    public static short level(String version) {
        int exact = NAMES.indexOf(version);
        if (exact >= 0) {
            return (short) (exact + 1);
        }
        for (int i = NAMES.size() - 1; i >= 0; i--) {
            if (NAMES.get(i).startsWith(version + "-IV")) {
                return (short) (i + 1);
            }
        }
        return -1;
    }

    /** Feature level names from {@code from} to {@code to}, comma separated. */
    public static String range(short from, short to) {
        return String.join(", ", NAMES.subList(from - 1, to));
    }

    /** A feature's level as Kafka prints it: release names for metadata.version, numbers otherwise. */
    public static String levelToString(String feature, short level) {
        return feature.equals(FEATURE_NAME) ? name(level) : String.valueOf(level);
    }
}
