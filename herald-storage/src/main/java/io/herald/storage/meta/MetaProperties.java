package io.herald.storage.meta;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The contents of one log directory's KRaft {@code meta.properties} file (version 1): which cluster and node the
 * directory belongs to, and the directory's own id.
 *
 * <p>The file layout matches what Kafka writes ({@code java.util.Properties} style: a {@code #} line, a {@code #date}
 * line, then the keys in sorted order), so Kafka and Herald can read each other's directories.
 */
public record MetaProperties(String clusterId, int nodeId, Uuid directoryId) {
    public static final String FILE_NAME = "meta.properties";
    public static final String VERSION_KEY = "version";
    public static final String CLUSTER_ID_KEY = "cluster.id";
    public static final String NODE_ID_KEY = "node.id";
    public static final String DIRECTORY_ID_KEY = "directory.id";

    public MetaProperties {
        if (clusterId == null || clusterId.isEmpty()) {
            throw new IllegalArgumentException("cluster.id must not be empty");
        }
        if (nodeId < 0) {
            throw new IllegalArgumentException("node.id must be non-negative, got " + nodeId);
        }
    }

    /** The key/value pairs as Kafka prints them (e.g. in {@code kafka-storage.sh info}), sorted by key. */
    public Map<String, String> toMap() {
        var map = new TreeMap<String, String>();
        map.put(CLUSTER_ID_KEY, clusterId);
        if (directoryId != null) {
            map.put(DIRECTORY_ID_KEY, directoryId.toString());
        }
        map.put(NODE_ID_KEY, Integer.toString(nodeId));
        map.put(VERSION_KEY, "1");
        return map;
    }

    /** The file's text: two comment lines as {@code Properties.store} writes them, then sorted key=value lines. */
    public String toFileText() {
        var text = new StringBuilder("#\n#").append(new Date()).append('\n');
        // The values (base64url ids, digits) never need Properties escaping.
        toMap().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /**
     * Reads {@code logDir/meta.properties}; empty when the file does not exist.
     *
     * @throws MetaPropertiesException if the file exists but cannot be read or is not a valid version 1 file
     */
    public static Optional<MetaProperties> read(Path logDir) {
        Path file = logDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new MetaPropertiesException("Error reading " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(parse(file, text));
    }

    /** Parses a file's text; {@code file} only names it in error messages. */
    static MetaProperties parse(Path file, String text) {
        var props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new MetaPropertiesException("Error loading " + file + ": " + e.getMessage(), e);
        }
        String version = props.getProperty(VERSION_KEY);
        if (version == null) {
            throw bad(file, "no " + VERSION_KEY + " found");
        }
        if (!version.trim().equals("1")) {
            // Version 0 is ZooKeeper mode, which Herald (like Kafka 4) does not support.
            throw bad(
                    file,
                    "unsupported " + VERSION_KEY + " " + version.trim() + " (only version 1, KRaft, is supported)");
        }
        String clusterId = props.getProperty(CLUSTER_ID_KEY);
        if (clusterId == null || clusterId.isBlank()) {
            throw bad(file, "no " + CLUSTER_ID_KEY + " found");
        }
        String nodeIdText = props.getProperty(NODE_ID_KEY);
        if (nodeIdText == null) {
            throw bad(file, "no " + NODE_ID_KEY + " found");
        }
        int nodeId;
        try {
            nodeId = Integer.parseInt(nodeIdText.trim());
        } catch (NumberFormatException e) {
            throw bad(file, "invalid " + NODE_ID_KEY + " " + nodeIdText.trim());
        }
        if (nodeId < 0) {
            throw bad(file, "invalid " + NODE_ID_KEY + " " + nodeId);
        }
        Uuid directoryId = null;
        String dirIdText = props.getProperty(DIRECTORY_ID_KEY);
        if (dirIdText != null) {
            try {
                directoryId = Uuid.fromString(dirIdText.trim());
            } catch (IllegalArgumentException e) {
                throw bad(file, "invalid " + DIRECTORY_ID_KEY + " " + dirIdText.trim());
            }
        }
        return new MetaProperties(clusterId.trim(), nodeId, directoryId);
    }

    private static MetaPropertiesException bad(Path file, String what) {
        return new MetaPropertiesException("Error loading " + file + ": " + what);
    }

    /**
     * Writes {@code logDir/meta.properties} atomically: a temp file in the same directory is written and fsynced,
     * then renamed over the target, and the directory is fsynced so the rename survives a crash.
     */
    public void write(Path logDir) throws IOException {
        Path target = logDir.resolve(FILE_NAME);
        Path tmp = logDir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            var buf = java.nio.ByteBuffer.wrap(toFileText().getBytes(StandardCharsets.ISO_8859_1));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(logDir);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories for fsync; the rename itself is still atomic there.
        }
    }
}
