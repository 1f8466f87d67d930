package io.herald.server;

import io.herald.storage.meta.LogDirs;
import io.herald.storage.meta.MetaPropertiesException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of storage formatting, on the same {@link LogDirs} code as {@code kafka-storage.sh}: refuse to start
 * on unformatted directories (as Kafka does), or for the quick start format them on first start.
 */
final class StorageCheck {
    private static final Logger LOG = LoggerFactory.getLogger(StorageCheck.class);

    private StorageCheck() {}

    /**
     * The quick start's first run: when no directory is formatted yet, formats them all with the given cluster id,
     * saying so in one log line. Partly formatted directories are left for {@link #ensureFormatted} to report.
     */
    static void formatIfNeeded(List<Path> dirs, Path metadataDir, int nodeId, String clusterId) {
        if (dirs.stream().anyMatch(dir -> LogDirs.read(dir).isPresent())) {
            return;
        }
        try {
            LogDirs.format(
                    dirs,
                    metadataDir,
                    LogDirs.MetadataDirKind.STATIC,
                    clusterId,
                    nodeId,
                    LogDirs.DEFAULT_RELEASE_VERSION,
                    false);
        } catch (MetaPropertiesException e) {
            throw new StorageNotReadyException(e.getMessage());
        }
        LOG.info("Formatted {} with new cluster id {} (first start)", dirs, clusterId);
    }

    /** Returns the cluster id all directories agree on, or fails with Kafka's one-line message. */
    static String ensureFormatted(List<Path> dirs, int nodeId) {
        try {
            return LogDirs.ensureFormatted(dirs, nodeId);
        } catch (MetaPropertiesException e) {
            throw new StorageNotReadyException(e.getMessage());
        }
    }
}
