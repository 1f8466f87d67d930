package io.herald.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** Refuses to start on log directories that were not formatted with kafka-storage.sh, as Kafka does. */
final class StorageCheck {
    private StorageCheck() {}

    /**
     * The quick start's first run: when no directory is formatted yet, formats them all with a new cluster id, saying
     * so in one log line. Partly formatted directories are left for ensureFormatted to report.
     */
    static void formatIfNeeded(List<Path> dirs, int nodeId, String clusterId) {
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve("meta.properties"))) {
                return;
            }
        }
        for (Path dir : dirs) {
            try {
                Files.createDirectories(dir);
                Properties props = new Properties();
                props.setProperty("version", "1");
                props.setProperty("cluster.id", clusterId);
                props.setProperty("node.id", Integer.toString(nodeId));
                props.setProperty(
                        "directory.id",
                        org.apache.kafka.common.Uuid.randomUuid().toString());
                Path tmp = dir.resolve("meta.properties.tmp");
                try (var out = Files.newBufferedWriter(tmp)) {
                    props.store(out, null);
                }
                Files.move(tmp, dir.resolve("meta.properties"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new StorageNotReadyException("Cannot format " + dir + ": " + e.getMessage());
            }
        }
        org.slf4j.LoggerFactory.getLogger(StorageCheck.class)
                .info("Formatted {} with new cluster id {} (first start)", dirs, clusterId);
    }

    /** Returns the cluster id all directories agree on. */
    static String ensureFormatted(List<Path> dirs, int nodeId) {
        String clusterId = null;
        for (Path dir : dirs) {
            Path file = dir.resolve("meta.properties");
            if (!Files.isRegularFile(file)) {
                throw new StorageNotReadyException("No `meta.properties` found in " + dir
                        + " (have you run `kafka-storage.sh` to format the directory?)");
            }
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            } catch (IOException e) {
                throw new StorageNotReadyException("Cannot read " + file + ": " + e.getMessage());
            }
            String id = props.getProperty("cluster.id");
            String node = props.getProperty("node.id");
            if (id == null || node == null) {
                throw new StorageNotReadyException(file + " lacks cluster.id or node.id: format the directory again");
            }
            if (Integer.parseInt(node.trim()) != nodeId) {
                throw new StorageNotReadyException("Stored node id " + node.trim() + " in " + file
                        + " doesn't match the node.id " + nodeId + " of the configuration");
            }
            if (clusterId != null && !clusterId.equals(id.trim())) {
                throw new StorageNotReadyException("Log directories disagree on the cluster id: " + clusterId + " and "
                        + id.trim() + " (in " + dir + ")");
            }
            clusterId = id.trim();
        }
        return clusterId;
    }
}
