package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A sparse, append-only index of one segment: the offset index (relative offset → file position, 8 bytes an entry) or
 * the time index (timestamp → relative offset, 12 bytes an entry). Entries live in memory for lookups and are appended
 * to the file through the page cache; the file is only a cache of what the log holds and is rebuilt whenever it is
 * missing, torn or inconsistent. Methods are synchronized because fetches look up entries while the appender adds
 * them.
 */
public final class SegmentIndex implements AutoCloseable {
    /** Which index this is; decides the entry layout. */
    public enum Kind {
        OFFSET(8),
        TIME(12);

        final int entryBytes;

        Kind(int entryBytes) {
            this.entryBytes = entryBytes;
        }
    }

    private final Kind kind;
    private final int maxEntries;
    private File file;
    private FileChannel channel;
    // OFFSET: keys = relative offsets, values = positions. TIME: keys = timestamps, values = relative offsets.
    private long[] keys = new long[16];
    private int[] values = new int[16];
    private int entries;

    private SegmentIndex(Kind kind, File file, int maxIndexBytes) throws IOException {
        this.kind = kind;
        this.file = file;
        this.maxEntries = Math.max(1, maxIndexBytes / kind.entryBytes);
        this.channel = FileChannel.open(
                file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Opens an empty index, discarding whatever the file held (used for new segments and for rebuilds). */
    public static SegmentIndex createEmpty(Kind kind, File file, int maxIndexBytes) throws IOException {
        SegmentIndex index = new SegmentIndex(kind, file, maxIndexBytes);
        index.channel.truncate(0);
        return index;
    }

    /**
     * Loads an existing index file. Returns null when the file is absent or not sane (torn entry, keys not strictly
     * increasing, values beyond {@code maxValueExclusive}), so the caller rebuilds it from the log.
     */
    public static SegmentIndex loadIfSane(Kind kind, File file, int maxIndexBytes, long maxValueExclusive)
            throws IOException {
        if (!file.exists() || file.length() % kind.entryBytes != 0) {
            return null;
        }
        SegmentIndex index = new SegmentIndex(kind, file, maxIndexBytes);
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        while (buf.remaining() >= kind.entryBytes) {
            long key = kind == Kind.OFFSET ? buf.getInt() : buf.getLong();
            int value = buf.getInt();
            boolean sane = value >= 0
                    && value < maxValueExclusive
                    && (index.entries == 0 || key > index.keys[index.entries - 1])
                    && (index.entries == 0 || value >= index.values[index.entries - 1]);
            if (!sane) {
                index.close();
                return null;
            }
            index.addInMemory(key, value);
        }
        return index;
    }

    public synchronized boolean isFull() {
        return entries >= maxEntries;
    }

    public synchronized int entries() {
        return entries;
    }

    public synchronized long lastKey() {
        return entries == 0 ? -1 : keys[entries - 1];
    }

    public synchronized int lastValue() {
        return entries == 0 ? -1 : values[entries - 1];
    }

    /** Appends an entry if its key is beyond the last one and the index has room; returns whether it was added. */
    public synchronized boolean maybeAppend(long key, int value) throws IOException {
        if (isFull() || (entries > 0 && key <= keys[entries - 1])) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.allocate(kind.entryBytes);
        if (kind == Kind.OFFSET) {
            buf.putInt(Math.toIntExact(key));
        } else {
            buf.putLong(key);
        }
        buf.putInt(value).flip();
        long pos = (long) entries * kind.entryBytes;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        addInMemory(key, value);
        return true;
    }

    /** The value of the last entry whose key is &lt;= {@code key}, or {@code fallback} when there is none. */
    public synchronized int floorValue(long key, int fallback) {
        int i = floorIndex(key);
        return i < 0 ? fallback : values[i];
    }

    /** The last entry whose key is strictly below {@code key}: {key, value}, or null. */
    public synchronized long[] lowerEntry(long key) {
        int i = floorIndex(key - 1);
        return i < 0 ? null : new long[] {keys[i], values[i]};
    }

    private int floorIndex(long key) {
        int i = Arrays.binarySearch(keys, 0, entries, key);
        return i >= 0 ? i : -i - 2;
    }

    /** Drops every entry whose key is &gt;= {@code key} (offset index) — used when the segment is truncated. */
    public synchronized void truncateToKeysBelow(long key) throws IOException {
        truncateToEntries(floorIndex(key - 1) + 1);
    }

    /** Drops every entry whose value is &gt;= {@code value} (time index: entries pointing at removed offsets). */
    public synchronized void truncateToValuesBelow(int value) throws IOException {
        int n = 0;
        while (n < entries && values[n] < value) {
            n++;
        }
        truncateToEntries(n);
    }

    private void truncateToEntries(int n) throws IOException {
        entries = n;
        channel.truncate((long) n * kind.entryBytes);
    }

    private void addInMemory(long key, int value) {
        if (entries == keys.length) {
            int newLength = Math.min(maxEntries, keys.length * 2);
            keys = Arrays.copyOf(keys, Math.max(newLength, entries + 1));
            values = Arrays.copyOf(values, keys.length);
        }
        keys[entries] = key;
        values[entries] = value;
        entries++;
    }

    public void flush() throws IOException {
        channel.force(true);
    }

    public File file() {
        return file;
    }

    /** Renames the file (e.g. adding the .deleted suffix); the open channel keeps working on POSIX file systems. */
    public void renameTo(File target) throws IOException {
        Files.move(file.toPath(), target.toPath(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file.toPath());
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
    }
}
