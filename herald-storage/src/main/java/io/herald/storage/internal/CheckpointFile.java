package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's plain-text checkpoint layout shared by recovery-point, log-start-offset and leader-epoch checkpoints: a
 * version line ({@code 0}), a count line, then one whitespace-separated entry per line. Written atomically.
 */
public final class CheckpointFile {
    private static final int VERSION = 0;
    /** Upper bound on entries read back, so a corrupt count cannot make us allocate without limit. */
    private static final int MAX_ENTRIES = 10_000_000;

    private final File file;

    public CheckpointFile(File file) {
        this.file = file;
    }

    public File file() {
        return file;
    }

    public void write(List<String> entries) {
        StringBuilder sb = new StringBuilder();
        sb.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (String e : entries) {
            sb.append(e).append('\n');
        }
        LogFiles.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The entry lines split on whitespace; empty when the file is absent. Throws IOException on a malformed file. */
    public List<String[]> read() throws IOException {
        List<String[]> result = new ArrayList<>();
        if (!file.exists()) {
            return result;
        }
        List<String> lines = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).trim().equals(String.valueOf(VERSION))) {
            throw new IOException("malformed checkpoint " + file + ": bad header");
        }
        int count;
        try {
            count = Integer.parseInt(lines.get(1).trim());
        } catch (NumberFormatException e) {
            throw new IOException("malformed checkpoint " + file + ": bad count", e);
        }
        if (count < 0 || count > MAX_ENTRIES || lines.size() < 2 + count) {
            throw new IOException("malformed checkpoint " + file + ": expected " + count + " entries");
        }
        for (int i = 0; i < count; i++) {
            result.add(lines.get(2 + i).trim().split("\\s+"));
        }
        return result;
    }
}
