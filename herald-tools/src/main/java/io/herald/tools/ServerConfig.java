package io.herald.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;

/**
 * The few server settings {@code kafka-storage.sh} needs from a {@code server.properties} file, with Kafka's defaults
 * ({@code log.dir=/tmp/kafka-logs}, metadata log in the first log dir) and Kafka's message for a missing
 * {@code node.id}.
 */
public record ServerConfig(
        int nodeId, List<Path> logDirs, Path metadataLogDir, List<String> processRoles, String quorumVoters) {

    /** Loads a Java properties file (also used for {@code --command-config} and friends). */
    public static Properties loadProperties(String file) {
        var props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            throw new CommandException("Unable to read the properties file " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandException("Unable to read the properties file " + file + ": " + ToolRunner.message(e));
        }
        return props;
    }

    public static ServerConfig load(String file) {
        return from(loadProperties(file));
    }

    public static ServerConfig from(Properties props) {
        String nodeIdText = props.getProperty("node.id");
        if (nodeIdText == null) {
            throw new CommandException("Missing required configuration \"node.id\" which has no default value.");
        }
        int nodeId;
        try {
            nodeId = Integer.parseInt(nodeIdText.trim());
        } catch (NumberFormatException e) {
            throw new CommandException(
                    "Invalid value " + nodeIdText.trim() + " for configuration node.id: Not a number of type INT");
        }
        String dirs = props.getProperty("log.dirs");
        if (dirs == null || dirs.isBlank()) {
            dirs = props.getProperty("log.dir", "/tmp/kafka-logs");
        }
        var logDirs = new ArrayList<Path>();
        for (String d : dirs.split(",")) {
            if (!d.isBlank()) {
                logDirs.add(Path.of(d.trim()));
            }
        }
        String meta = props.getProperty("metadata.log.dir");
        Path metadataLogDir = meta == null || meta.isBlank() ? logDirs.get(0) : Path.of(meta.trim());
        List<String> roles = Arrays.stream(
                        props.getProperty("process.roles", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return new ServerConfig(
                nodeId,
                List.copyOf(logDirs),
                metadataLogDir,
                roles,
                props.getProperty("controller.quorum.voters", "").trim());
    }

    /** Every directory the node uses: log dirs plus the metadata log dir, without duplicates. */
    public List<Path> allDirs() {
        var all = new LinkedHashSet<>(logDirs);
        all.add(metadataLogDir);
        return List.copyOf(all);
    }

    public boolean isController() {
        return processRoles.contains("controller");
    }
}
