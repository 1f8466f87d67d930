package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * File naming and small file-system helpers shared by the log: Kafka's 20-digit zero-padded segment names and
 * suffixes, atomic replacement of small metadata files, and recursive deletion.
 */
public final class LogFiles {
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String TXN_INDEX_SUFFIX = ".txnindex";
    public static final String SNAPSHOT_SUFFIX = ".snapshot";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String CLEANED_SUFFIX = ".cleaned";
    public static final String SWAP_SUFFIX = ".swap";

    private LogFiles() {}

    /** The 20-digit zero-padded name stem of the file for {@code offset}. */
    public static String offsetStem(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        return String.format("%020d", offset);
    }

    public static File file(File dir, long offset, String suffix) {
        return new File(dir, offsetStem(offset) + suffix);
    }

    /** The offset encoded in a file name such as {@code 00000000000000000042.log}, or -1 if it is not one. */
    public static long offsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix)) {
            return -1;
        }
        String stem = fileName.substring(0, fileName.length() - suffix.length());
        if (stem.length() != 20 || !stem.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(stem);
    }

    /**
     * Writes {@code content} to {@code target} atomically: temp file, fsync, rename, fsync of the directory, so a crash
     * or power loss leaves the old or the new content, never a missing file.
     */
    public static void writeAtomically(File target, byte[] content) {
        Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
        try {
            Files.write(
                    tmp,
                    content,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDir(target.getAbsoluteFile().getParentFile());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + target, e);
        }
    }

    /** Writes a temporary file and renames it over {@code target}, without forcing either to disk. */
    public static void writeAtomicallyUnsynced(File target, byte[] content) {
        Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + target, e);
        }
    }

    /** Forces a directory's entries (renames, creations) to disk, so a rename survives a power loss. */
    public static void fsyncDir(File dir) {
        try (FileChannel ch = FileChannel.open(dir.toPath(), StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open directories; the rename itself is still atomic.
        }
    }

    /** Deletes a file or a directory tree; absent paths are fine. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
