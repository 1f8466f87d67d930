package io.herald.storage.meta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * Formats a node's log directories and checks, at startup, that they are formatted consistently. Used by both
 * {@code kafka-storage.sh format} and the server, so the two agree on what "formatted" means and on the messages.
 */
public final class LogDirs {
    /** The metadata.version a format records when none is given: Kafka 4.1's latest production version. */
    public static final String DEFAULT_RELEASE_VERSION = "4.1-IV1";

    private LogDirs() {}

    /** How Kafka describes the metadata log directory in its "Formatting ..." line. */
    public enum MetadataDirKind {
        /** Static quorum ({@code controller.quorum.voters}) or {@code --no-initial-controllers}. */
        STATIC("metadata directory"),
        /** {@code --standalone} or {@code --initial-controllers} naming this node. */
        DYNAMIC_VOTER("dynamic metadata voter directory"),
        /** {@code --initial-controllers} not naming this node. */
        DYNAMIC_NON_VOTER("dynamic metadata directory");

        private final String description;

        MetadataDirKind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** Reads one directory's {@code meta.properties}; see {@link MetaProperties#read(Path)}. */
    public static Optional<MetaProperties> read(Path logDir) {
        return MetaProperties.read(logDir);
    }

    /** Formats {@code dirs}, treating the first as the metadata log directory (Kafka's default). */
    public static List<String> format(
            List<Path> dirs, String clusterId, int nodeId, String releaseVersion, boolean ignoreFormatted) {
        if (dirs.isEmpty()) {
            throw new MetaPropertiesException("You must specify at least one directory to format");
        }
        return format(dirs, dirs.get(0), MetadataDirKind.STATIC, clusterId, nodeId, releaseVersion, ignoreFormatted);
    }

    /**
     * Writes {@code meta.properties} into every directory of {@code dirs} that is not yet formatted, creating
     * directories as needed, and returns the lines Kafka prints while doing so.
     *
     * @param metadataDir the directory holding the metadata log (must be one of {@code dirs}, or null for none)
     * @throws MetaPropertiesException with Kafka's message when the cluster id is not a valid id, a directory is
     *     already formatted (unless {@code ignoreFormatted}), or an existing directory belongs to another cluster/node
     */
    public static List<String> format(
            List<Path> dirs,
            Path metadataDir,
            MetadataDirKind metadataDirKind,
            String clusterId,
            int nodeId,
            String releaseVersion,
            boolean ignoreFormatted) {
        return format(dirs, metadataDir, metadataDirKind, null, clusterId, nodeId, releaseVersion, ignoreFormatted);
    }

    /**
     * As {@link #format(List, Path, MetadataDirKind, String, int, String, boolean)}, with the metadata directory's
     * {@code directory.id} fixed in advance (the id {@code --initial-controllers} gives this node), or null for random.
     */
    public static List<String> format(
            List<Path> dirs,
            Path metadataDir,
            MetadataDirKind metadataDirKind,
            Uuid metadataDirectoryId,
            String clusterId,
            int nodeId,
            String releaseVersion,
            boolean ignoreFormatted) {
        validateClusterId(clusterId);
        if (nodeId < 0) {
            throw new MetaPropertiesException("You must specify a valid non-negative node ID.");
        }
        if (dirs.isEmpty()) {
            throw new MetaPropertiesException("You must specify at least one directory to format");
        }
        String version = releaseVersion == null ? DEFAULT_RELEASE_VERSION : releaseVersion;
        // Kafka keeps the directories in a sorted set: duplicates collapse and output order is by path text.
        var sorted = new TreeMap<String, Path>();
        dirs.forEach(d -> sorted.put(d.toString(), d));
        if (metadataDir != null && !sorted.containsKey(metadataDir.toString())) {
            throw new MetaPropertiesException("The specified metadata log directory, " + metadataDir
                    + " was not one of the given directories: " + sorted.keySet());
        }

        var formatted = new LinkedHashMap<String, MetaProperties>();
        var empty = new ArrayList<String>();
        for (var entry : sorted.entrySet()) {
            Optional<MetaProperties> existing = MetaProperties.read(entry.getValue());
            if (existing.isPresent()) {
                formatted.put(entry.getKey(), existing.get());
            } else {
                empty.add(entry.getKey());
            }
        }
        verifyExisting(formatted, Optional.of(clusterId), Optional.of(nodeId));
        if (!ignoreFormatted && !formatted.isEmpty()) {
            throw new MetaPropertiesException(
                    "Log directory " + formatted.keySet().iterator().next()
                            + " is already formatted. Use --ignore-formatted to ignore this directory and format the others.");
        }
        var lines = new ArrayList<String>();
        if (empty.isEmpty()) {
            lines.add("All of the log directories are already formatted.");
            return lines;
        }
        Set<Uuid> usedIds = new HashSet<>();
        formatted.values().forEach(m -> usedIds.add(m.directoryId()));
        if (metadataDirectoryId != null) {
            usedIds.add(metadataDirectoryId);
        }
        for (String dir : empty) {
            Path path = sorted.get(dir);
            boolean isMetadataDir = path.toString().equals(metadataDir == null ? null : metadataDir.toString());
            String kind = isMetadataDir ? metadataDirKind.description() : "data directory";
            lines.add("Formatting " + kind + " " + dir + " with metadata.version " + version + ".");
            Uuid dirId;
            if (isMetadataDir && metadataDirectoryId != null) {
                dirId = metadataDirectoryId;
            } else {
                do {
                    dirId = Uuid.randomUuid();
                } while (!usedIds.add(dirId));
            }
            try {
                Files.createDirectories(path);
                new MetaProperties(clusterId, nodeId, dirId).write(path);
            } catch (IOException e) {
                throw new MetaPropertiesException(
                        "Error while writing meta.properties file " + dir + ": " + e.getMessage(), e);
            }
        }
        return lines;
    }

    /**
     * Checks that every directory is formatted for the same cluster and for {@code nodeId}, and returns the cluster
     * id. Called by the server before it opens any log.
     *
     * @throws MetaPropertiesException with a one-line message naming the first problem found
     */
    public static String ensureFormatted(List<Path> dirs, int nodeId) {
        if (dirs.isEmpty()) {
            throw new MetaPropertiesException("No log directories configured.");
        }
        var found = new LinkedHashMap<String, MetaProperties>();
        for (Path dir : dirs) {
            Optional<MetaProperties> meta = MetaProperties.read(dir);
            if (meta.isEmpty()) {
                throw new MetaPropertiesException("No `meta.properties` found in " + dir
                        + " (have you run `kafka-storage.sh` to format the directory?)");
            }
            found.put(dir.toString(), meta.get());
        }
        verifyExisting(found, Optional.empty(), Optional.of(nodeId));
        return found.values().iterator().next().clusterId();
    }

    /**
     * Checks that formatted directories agree with each other and with the expected cluster id / node id.
     */
    private static void verifyExisting(
            Map<String, MetaProperties> formatted, Optional<String> expectedCluster, Optional<Integer> expectedNode) {
        String cluster = expectedCluster.orElse(null);
        Set<Uuid> dirIds = new HashSet<>();
        for (var entry : formatted.entrySet()) {
            MetaProperties meta = entry.getValue();
            Path file = Path.of(entry.getKey()).resolve(MetaProperties.FILE_NAME);
            if (cluster == null) {
                cluster = meta.clusterId();
            } else if (!cluster.equals(meta.clusterId())) {
                throw new MetaPropertiesException(
                        "Invalid cluster.id in: " + file + ". Expected " + cluster + ", but read " + meta.clusterId());
            }
            if (expectedNode.isPresent() && expectedNode.get() != meta.nodeId()) {
                throw new MetaPropertiesException("Stored node id " + meta.nodeId() + " in " + file
                        + " doesn't match configured node id " + expectedNode.get()
                        + ". If you moved your data, make sure your configured node id matches."
                        + " If you intend to create a new node, you should remove all data in your data directories.");
            }
            if (meta.directoryId() != null && !dirIds.add(meta.directoryId())) {
                throw new MetaPropertiesException(
                        "Duplicate directory ID " + meta.directoryId() + " found in " + file + ".");
            }
        }
    }

    /**
     * Checks that a cluster id is a base64url-encoded 16-byte UUID, as {@code kafka-storage.sh random-uuid} prints.
     *
     * @throws MetaPropertiesException with Kafka's message otherwise
     */
    public static void validateClusterId(String clusterId) {
        if (clusterId == null) {
            throw new MetaPropertiesException("You must specify the cluster id.");
        }
        try {
            Uuid.fromString(clusterId);
        } catch (IllegalArgumentException e) {
            throw new MetaPropertiesException(
                    "Cluster ID string " + clusterId + " does not appear to be a valid UUID: " + e.getMessage(), e);
        }
    }
}
