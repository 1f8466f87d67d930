package io.herald.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Kafka 4.1's production features besides {@code metadata.version}: each feature level with the metadata.version that
 * makes it the default ("bootstrap" level) and the feature levels it depends on. {@code kafka-storage.sh} uses them
 * for {@code version-mapping}, {@code feature-dependencies} and {@code format --feature}.
 */
final class FeatureLevels {
    /** One level of a feature. */
    record Level(short level, short bootstrapMetadataLevel, Map<String, Short> dependencies) {}

    /** A feature, its levels in ascending order, and its latest production (stable) level. */
    record Feature(String name, List<Level> levels, short latestProduction) {
        /** The level a cluster formatted at metadata.version {@code mv} gets by default. */
        short defaultLevel(short mv) {
            short result = levels.get(0).level();
            for (Level l : levels) {
                if (l.bootstrapMetadataLevel() > mv) {
                    break;
                }
                result = l.level();
            }
            return result;
        }

        /** The level, if it exists (and is stable unless {@code unstable}). */
        Level level(short level, boolean unstable) {
            return levels.stream()
                    .filter(l -> l.level() == level && (unstable || level <= latestProduction))
                    .findFirst()
                    .orElseThrow(() -> new CommandException("No feature:" + name + " with feature level " + level));
        }
    }

    static final String METADATA_VERSION = MetadataVersions.FEATURE_NAME;

    private static Level level(int level, int bootstrap, Map<String, Short> dependencies) {
        return new Level((short) level, (short) bootstrap, dependencies);
    }

    private static Map<String, Short> mv(int level) {
        return Map.of(METADATA_VERSION, (short) level);
    }

    /** In Kafka's order. Metadata levels: 1 = 3.0-IV1, 7 = 3.3-IV3, 21 = 3.9-IV0, 22..27 = 4.0-IV0..4.1-IV1. */
    static final List<Feature> PRODUCTION = List.of(
            new Feature("kraft.version", List.of(level(0, 1, Map.of()), level(1, 21, mv(21))), (short) 1),
            new Feature(
                    "transaction.version",
                    List.of(level(0, 1, Map.of()), level(1, 24, Map.of()), level(2, 24, Map.of())),
                    (short) 2),
            new Feature("group.version", List.of(level(0, 1, Map.of()), level(1, 22, Map.of())), (short) 1),
            new Feature(
                    "eligible.leader.replicas.version", List.of(level(0, 1, Map.of()), level(1, 26, mv(24))), (short)
                            1),
            new Feature("share.version", List.of(level(0, 7, Map.of()), level(1, 28, mv(27))), (short) 0),
            new Feature("streams.version", List.of(level(0, 7, Map.of()), level(1, 29, Map.of())), (short) 0));

    private FeatureLevels() {}

    static Feature find(String name) {
        return PRODUCTION.stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** {@code version-mapping}: metadata.version, then every feature's default level. */
    static List<String> versionMapping(String releaseVersion) {
        short mv = MetadataVersions.level(releaseVersion);
        if (mv < MetadataVersions.MINIMUM_LEVEL) {
            throw new CommandException("Unknown release version '" + releaseVersion + "'. Supported versions are: "
                    + MetadataVersions.name(MetadataVersions.MINIMUM_LEVEL) + " to "
                    + MetadataVersions.name(MetadataVersions.LATEST_PRODUCTION_LEVEL));
        }
        var lines = new ArrayList<String>();
        lines.add(METADATA_VERSION + "=" + mv + " (" + releaseVersion + ")");
        PRODUCTION.forEach(f -> lines.add(f.name() + "=" + f.defaultLevel(mv)));
        return lines;
    }

    /** {@code feature-dependencies} for one {@code name=level} argument. */
    static List<String> dependencies(String arg) {
        String[] parts = arg.split("=");
        if (parts.length != 2) {
            throw new CommandException("Invalid feature format: " + arg + ". Expected feature=version");
        }
        String name = parts[0];
        short level;
        try {
            level = Short.parseShort(parts[1]);
        } catch (NumberFormatException e) {
            throw new CommandException("Invalid version format: " + parts[1] + " for feature " + name);
        }
        if (name.equals(METADATA_VERSION)) {
            if (level < MetadataVersions.MINIMUM_LEVEL || level > MetadataVersions.LATEST_LEVEL) {
                throw new CommandException("Unknown metadata.version " + level);
            }
            return List.of(name + "=" + level + " (" + MetadataVersions.name(level) + ") has no dependencies.");
        }
        Feature feature = find(name);
        if (feature == null) {
            throw new CommandException("Unknown feature: " + name);
        }
        Level found;
        try {
            found = feature.level(level, true);
        } catch (CommandException e) {
            throw new CommandException("Feature level " + level + " is not supported for feature " + name);
        }
        if (found.dependencies().isEmpty()) {
            return List.of(name + "=" + level + " has no dependencies.");
        }
        var lines = new ArrayList<String>();
        lines.add(name + "=" + level + " requires:");
        found.dependencies()
                .forEach((dep, depLevel) -> lines.add("    " + dep + "=" + depLevel
                        + (dep.equals(METADATA_VERSION) ? " (" + MetadataVersions.name(depLevel) + ")" : "")));
        return lines;
    }

    /** Kafka's parse of one {@code --feature name=level}. */
    static Map.Entry<String, Short> parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq < 0) {
            throw new CommandException("Can't parse feature=level string " + arg + ": equals sign not found.");
        }
        String name = arg.substring(0, eq).trim();
        String levelText = arg.substring(eq + 1).trim();
        try {
            return Map.entry(name, Short.parseShort(levelText));
        } catch (NumberFormatException e) {
            throw new CommandException(
                    "Can't parse feature=level string " + arg + ": unable to parse " + levelText + " as a short.");
        }
    }

    /**
     * The feature levels {@code format} would bootstrap: the {@code --feature} settings checked as Kafka checks them,
     * metadata.version from the release version, and every other feature at its default.
     *
     * @param dynamicQuorum whether the node is formatted with {@code --standalone}, {@code --initial-controllers} or
     *     {@code --no-initial-controllers}
     */
    static Map<String, Short> effective(List<String> featureArgs, short mv, boolean dynamicQuorum, boolean unstable) {
        var given = new LinkedHashMap<String, Short>();
        featureArgs.forEach(a -> {
            var e = parse(a);
            given.put(e.getKey(), e.getValue());
        });
        var names = PRODUCTION.stream().map(Feature::name).collect(Collectors.toCollection(java.util.TreeSet::new));
        for (String name : given.keySet()) {
            if (!name.equals(METADATA_VERSION) && !names.contains(name)) {
                throw new CommandException(
                        "Unsupported feature: " + name + ". Supported features are: " + String.join(", ", names));
            }
        }
        var levels = new TreeMap<>(given);
        levels.put(METADATA_VERSION, mv);
        for (Feature f : PRODUCTION) {
            if (f.name().equals("kraft.version")) {
                levels.put(f.name(), kraftLevel(given.get(f.name()), dynamicQuorum));
            } else {
                levels.putIfAbsent(f.name(), f.defaultLevel(mv));
            }
        }
        levels.forEach((name, lvl) -> {
            if (!name.equals(METADATA_VERSION)) {
                validate(name, find(name).level(lvl, unstable), levels);
            }
        });
        return levels;
    }

    private static short kraftLevel(Short configured, boolean dynamicQuorum) {
        if (configured == null) {
            return (short) (dynamicQuorum ? 1 : 0);
        }
        if (configured == 0 && dynamicQuorum) {
            throw new CommandException("Cannot set kraft.version to 0 if controller.quorum.voters is empty and one of"
                    + " the flags --standalone, --initial-controllers, or --no-initial-controllers is used. For"
                    + " dynamic controllers support, try removing the --feature flag for kraft.version.");
        }
        if (configured != 0 && !dynamicQuorum) {
            throw new CommandException("Cannot set kraft.version to " + configured + " unless"
                    + " controller.quorum.voters is empty and one of the flags --standalone, --initial-controllers,"
                    + " or --no-initial-controllers is used. For dynamic controllers support, try using one of"
                    + " --standalone, --initial-controllers, or --no-initial-controllers and removing"
                    + " controller.quorum.voters.");
        }
        return configured;
    }

    private static void validate(String name, Level level, Map<String, Short> levels) {
        level.dependencies().forEach((dep, needed) -> {
            Short have = levels.get(dep);
            if (have == null || have < needed) {
                throw new CommandException(name + " could not be set to " + level.level() + " because it depends on "
                        + dep + " level " + needed);
            }
        });
    }
}
