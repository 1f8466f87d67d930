package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A sparse, append-only index of one segment: the offset index (relative offset → file position, 8 bytes an entry) or
 * the time index (timestamp → relative offset, 12 bytes an entry). The active segment's index lives in memory; a
 * sealed (inactive) one answers lookups by binary search over a read-only memory map of its file, made on the first
 * lookup and kept while the index is among the {@link SealedIndexMaps} most recently used, so thousands of old
 * segments cost neither heap nor a read system call per search step. A sealed index holds no open file: the channel
 * is opened only to map, flush, truncate or load the file, and closed again once the index is sealed.
 * The file is only a cache of what the log holds and is rebuilt whenever it is missing, torn or inconsistent. Methods
 * are synchronized because fetches look up entries while the appender adds them; the map itself is published through
 * a volatile field so that the cache may drop it from any thread without taking this index's lock.
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
    private FileChannel channel; // null while sealed and idle
    private volatile ByteBuffer mapped; // sealed only: the file's entries, read-only
    // In memory only while active (null when sealed). OFFSET: keys = relative offsets, values = positions.
    // TIME: keys = timestamps, values = relative offsets.
    private long[] keys;
    private int[] values;
    private int entries;

    private SegmentIndex(Kind kind, File file, int maxIndexBytes) throws IOException {
        this.kind = kind;
        this.file = file;
        this.maxEntries = Math.max(1, maxIndexBytes / kind.entryBytes);
        this.channel = open(file);
    }

    private static FileChannel open(File file) throws IOException {
        return FileChannel.open(
                file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** The file's channel, opened again if the index was sealed and let it go. */
    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = open(file);
        }
        return channel;
    }

    /** Opens an empty in-memory index, discarding whatever the file held (new segments and rebuilds). */
    public static SegmentIndex createEmpty(Kind kind, File file, int maxIndexBytes) throws IOException {
        SegmentIndex index = new SegmentIndex(kind, file, maxIndexBytes);
        index.channel.truncate(0);
        index.keys = new long[16];
        index.values = new int[16];
        return index;
    }

    /**
     * Loads an existing index file fully into memory (for the active segment). Returns null when the file is absent
     * or not sane (torn entry, keys not strictly increasing, values beyond {@code maxValueExclusive}).
     */
    public static SegmentIndex loadIfSane(Kind kind, File file, int maxIndexBytes, long maxValueExclusive)
            throws IOException {
        SegmentIndex index = openSealed(kind, file, maxIndexBytes, maxValueExclusive);
        if (index == null) {
            return null;
        }
        index.ensureInMemory();
        for (int i = 0; i < index.entries; i++) {
            boolean sane = index.values[i] >= 0
                    && index.values[i] < maxValueExclusive
                    && (i == 0 || (index.keys[i] > index.keys[i - 1] && index.values[i] >= index.values[i - 1]));
            if (!sane) {
                index.close();
                return null;
            }
        }
        return index;
    }

    /**
     * Opens an index file of a sealed segment without reading it: only its length and last entry are checked, as a
     * full check would read every old index at startup. Returns null when those checks fail.
     */
    public static SegmentIndex openSealed(Kind kind, File file, int maxIndexBytes, long maxValueExclusive)
            throws IOException {
        if (!file.exists() || file.length() % kind.entryBytes != 0) {
            return null;
        }
        SegmentIndex index = new SegmentIndex(kind, file, maxIndexBytes);
        index.entries = (int) Math.min(Integer.MAX_VALUE, file.length() / kind.entryBytes);
        if (index.entries > 0) {
            ByteBuffer last = index.readEntry(index.entries - 1);
            int value = last.getInt(kind == Kind.OFFSET ? 4 : 8);
            if (value < 0 || value >= maxValueExclusive) {
                index.close();
                return null;
            }
        }
        index.closeChannel();
        return index;
    }

    /**
     * Drops the in-memory copy and the open file; lookups then go through a memory map of the file. A caller that
     * still has to flush the file may: the channel is opened again for it.
     */
    public synchronized void seal() {
        keys = null;
        values = null;
        closeChannel();
    }

    private void closeChannel() {
        if (keys == null && channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing index " + file, e);
            }
            channel = null;
        }
    }

    boolean isMapped() {
        return mapped != null;
    }

    /** Called by {@link SealedIndexMaps} when this index is no longer among the recently used. */
    void dropMap() {
        mapped = null;
    }

    /** The sealed index's entries as a read-only map, made now if the cache let the last one go. */
    private ByteBuffer map() {
        ByteBuffer m = mapped;
        if (m != null) {
            SealedIndexMaps.INSTANCE.used(this);
            return m;
        }
        try {
            FileChannel ch = channel();
            MappedByteBuffer made = ch.map(FileChannel.MapMode.READ_ONLY, 0, (long) entries * kind.entryBytes);
            closeChannel();
            mapped = made;
            SealedIndexMaps.INSTANCE.used(this);
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("mapping index " + file, e);
        }
    }

    private void ensureInMemory() throws IOException {
        if (keys != null) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(entries * kind.entryBytes);
        FileChannel ch = channel();
        dropMapping();
        while (buf.hasRemaining()) {
            if (ch.read(buf, buf.position()) < 0) {
                throw new IOException("index " + file + " shrank while loading");
            }
        }
        buf.flip();
        long[] k = new long[Math.max(16, entries)];
        int[] v = new int[k.length];
        for (int i = 0; i < entries; i++) {
            k[i] = kind == Kind.OFFSET ? buf.getInt() : buf.getLong();
            v[i] = buf.getInt();
        }
        keys = k;
        values = v;
    }

    private void dropMapping() {
        if (mapped != null) {
            mapped = null;
            SealedIndexMaps.INSTANCE.forget(this);
        }
    }

    private ByteBuffer readEntry(int i) {
        ByteBuffer buf = ByteBuffer.allocate(kind.entryBytes);
        try {
            FileChannel ch = channel();
            long pos = (long) i * kind.entryBytes;
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    throw new IOException("index " + file + " ends before entry " + i);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.flip();
    }

    private long key(int i) {
        if (keys != null) {
            return keys[i];
        }
        return key(map(), i);
    }

    private long key(ByteBuffer m, int i) {
        int at = i * kind.entryBytes;
        return kind == Kind.OFFSET ? m.getInt(at) : m.getLong(at);
    }

    private int value(int i) {
        if (values != null) {
            return values[i];
        }
        return value(map(), i);
    }

    private int value(ByteBuffer m, int i) {
        return m.getInt(i * kind.entryBytes + (kind == Kind.OFFSET ? 4 : 8));
    }

    public synchronized boolean isFull() {
        return entries >= maxEntries;
    }

    public synchronized int entries() {
        return entries;
    }

    public synchronized long lastKey() {
        return entries == 0 ? -1 : key(entries - 1);
    }

    public synchronized int lastValue() {
        return entries == 0 ? -1 : value(entries - 1);
    }

    /** Appends an entry if its key is beyond the last one and the index has room; returns whether it was added. */
    public synchronized boolean maybeAppend(long key, int value) throws IOException {
        if (isFull() || (entries > 0 && key <= key(entries - 1))) {
            return false;
        }
        ensureInMemory();
        ByteBuffer buf = ByteBuffer.allocate(kind.entryBytes);
        if (kind == Kind.OFFSET) {
            buf.putInt(Math.toIntExact(key));
        } else {
            buf.putLong(key);
        }
        buf.putInt(value).flip();
        long pos = (long) entries * kind.entryBytes;
        FileChannel ch = channel();
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
        if (entries == keys.length) {
            int newLength = (int) Math.min(maxEntries, keys.length * 2L);
            keys = Arrays.copyOf(keys, Math.max(newLength, entries + 1));
            values = Arrays.copyOf(values, keys.length);
        }
        keys[entries] = key;
        values[entries] = value;
        entries++;
        return true;
    }

    /** The value of the last entry whose key is &lt;= {@code key}, or {@code fallback} when there is none. */
    public synchronized int floorValue(long key, int fallback) {
        int i = floorIndex(key);
        return i < 0 ? fallback : value(i);
    }

    /** The last entry whose key is strictly below {@code key}: {key, value}, or null. */
    public synchronized long[] lowerEntry(long key) {
        int i = floorIndex(key - 1);
        return i < 0 ? null : new long[] {key(i), value(i)};
    }

    /** Index of the last entry with key &lt;= {@code key}, or -1. */
    private int floorIndex(long key) {
        if (entries == 0) {
            return -1;
        }
        ByteBuffer m = keys == null ? map() : null;
        int lo = 0;
        int hi = entries - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if ((m == null ? keys[mid] : key(m, mid)) <= key) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /** Drops every entry whose key is &gt;= {@code key} (offset index) — used when the segment is truncated. */
    public synchronized void truncateToKeysBelow(long key) throws IOException {
        truncateToEntries(floorIndex(key - 1) + 1);
    }

    /** Drops every entry whose value is &gt;= {@code value} (time index: entries pointing at removed offsets). */
    public synchronized void truncateToValuesBelow(int value) throws IOException {
        int n = 0;
        while (n < entries && value(n) < value) {
            n++;
        }
        truncateToEntries(n);
    }

    /** Keeps only the first {@code n} entries. */
    synchronized void truncateToEntries(int n) throws IOException {
        dropMapping();
        entries = n;
        channel().truncate((long) n * kind.entryBytes);
        closeChannel();
    }

    public synchronized void flush() throws IOException {
        channel().force(true);
        closeChannel();
    }

    public synchronized File file() {
        return file;
    }

    /** Renames the file (e.g. adding the .deleted suffix); the open channel keeps working on POSIX file systems. */
    public synchronized void renameTo(File target) throws IOException {
        Files.move(file.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file().toPath());
    }

    @Override
    public synchronized void close() throws IOException {
        dropMapping();
        if (channel != null && channel.isOpen()) {
            channel.close();
        }
    }
}
