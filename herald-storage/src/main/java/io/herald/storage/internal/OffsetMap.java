package io.herald.storage.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's dedupe map: record key → offset of its latest occurrence, in a fixed memory budget. Keys are stored
 * as their 128-bit MD5 digest (two longs) beside the offset, 24 bytes a slot, in one open-addressing table with linear
 * probing. Fills to {@value #LOAD_FACTOR} of its slots; the caller checks {@link #hasRoomFor} before each batch. Not
 * thread-safe: one per cleaner thread, reused across cleanings.
 */
public final class OffsetMap {
    public static final int BYTES_PER_ENTRY = 24;
    static final double LOAD_FACTOR = 0.9;

    private final long[] table; // per slot: digest high, digest low, offset + 1 (0 = empty)
    private final int slots;
    private final int maxEntries;
    private final MessageDigest digest;
    private int entries;
    private long lookups;
    private long probes;

    public OffsetMap(long memoryBytes) {
        long wanted = memoryBytes / BYTES_PER_ENTRY;
        if (wanted < 2 || wanted * 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("offset map of " + memoryBytes + " bytes is out of range");
        }
        this.slots = (int) wanted;
        this.maxEntries = (int) (slots * LOAD_FACTOR);
        this.table = new long[slots * 3];
        try {
            this.digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    /** Whether {@code more} keys can still be added without passing the load factor. */
    public boolean hasRoomFor(int more) {
        return entries + (long) more <= maxEntries;
    }

    public int size() {
        return entries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Memory held by the table, for the cleaner's log line. */
    public long memoryBytes() {
        return (long) table.length * Long.BYTES;
    }

    /** Records {@code offset} as the latest offset of {@code key} (offsets are put in increasing order). */
    public void put(ByteBuffer key, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        byte[] d = hash(key);
        long hi = bytesToLong(d, 0);
        long lo = bytesToLong(d, 8);
        int slot = find(hi, lo);
        if (table[slot * 3 + 2] == 0) {
            if (entries >= slots - 1) {
                throw new IllegalStateException("offset map is full (" + entries + " entries)");
            }
            entries++;
            table[slot * 3] = hi;
            table[slot * 3 + 1] = lo;
        }
        table[slot * 3 + 2] = offset + 1;
    }

    /** The latest offset recorded for {@code key}, or -1 when the key is not in the map. */
    public long get(ByteBuffer key) {
        byte[] d = hash(key);
        int slot = find(bytesToLong(d, 0), bytesToLong(d, 8));
        return table[slot * 3 + 2] - 1;
    }

    /** Forgets every key (the table is kept for the next cleaning). */
    public void clear() {
        if (entries > 0) {
            Arrays.fill(table, 0L);
        }
        entries = 0;
    }

    /** Average probe length so far (1.0 is a perfect hash), for the cleaner's statistics. */
    public double averageProbes() {
        return lookups == 0 ? 0 : (double) probes / lookups;
    }

    private int find(long hi, long lo) {
        int slot = (int) Long.remainderUnsigned(hi ^ (lo * 0x9E3779B97F4A7C15L), slots);
        lookups++;
        while (true) {
            probes++;
            int i = slot * 3;
            if (table[i + 2] == 0 || (table[i] == hi && table[i + 1] == lo)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }

    private byte[] hash(ByteBuffer key) {
        digest.update(key.duplicate());
        return digest.digest();
    }

    private static long bytesToLong(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
