package io.herald.storage.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The cleaner's dedupe map: record key → offset of its latest occurrence, in a fixed memory budget. Keys are stored
 * as a 128-bit hash (two independently mixed 64-bit lanes) beside the offset, 24 bytes a slot, in one open-addressing
 * table with linear probing. As with Kafka's digest-based map, two keys with equal hashes would be treated as one; at
 * 128 bits that is not expected for accidental keys (the hash is not cryptographic). Fills to {@value #LOAD_FACTOR} of its slots; the caller checks {@link #hasRoomFor} before each batch. Not
 * thread-safe: one per cleaner thread, reused across cleanings.
 */
public final class OffsetMap {
    public static final int BYTES_PER_ENTRY = 24;
    static final double LOAD_FACTOR = 0.9;

    private final long[] table; // per slot: hash high, hash low, offset + 1 (0 = empty)
    private final int slots;
    private final int maxEntries;
    private long hashHi;
    private long hashLo;
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
        hash(key);
        long hi = hashHi;
        long lo = hashLo;
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
        hash(key);
        int slot = find(hashHi, hashLo);
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

    /** Hashes the key's remaining bytes (position untouched) into {@link #hashHi} and {@link #hashLo}. */
    private void hash(ByteBuffer key) {
        int from = key.position();
        int length = key.remaining();
        long a = 0x243F6A8885A308D3L ^ length;
        long b = 0x13198A2E03707344L ^ ((long) length << 32);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            long word = key.getLong(from + i);
            a = Long.rotateLeft(a ^ scramble(word), 29) * 0x9E3779B97F4A7C15L;
            b = Long.rotateLeft(b ^ scramble(word ^ 0x5851F42D4C957F2DL), 37) * 0xD6E8FEB86659FD93L;
        }
        if (i < length) {
            long tail = 0;
            for (int j = i; j < length; j++) {
                tail = (tail << 8) | (key.get(from + j) & 0xFF);
            }
            tail ^= (long) (length - i) << 56;
            a = Long.rotateLeft(a ^ scramble(tail), 29) * 0x9E3779B97F4A7C15L;
            b = Long.rotateLeft(b ^ scramble(tail ^ 0x5851F42D4C957F2DL), 37) * 0xD6E8FEB86659FD93L;
        }
        hashHi = scramble(a ^ Long.rotateLeft(b, 17));
        hashLo = scramble(b ^ Long.rotateLeft(a, 43) ^ 0x452821E638D01377L);
    }

    /** An invertible 64-bit mixer (xor-shift and odd multiply rounds): every input bit affects every output bit. */
    private static long scramble(long x) {
        x ^= x >>> 31;
        x *= 0x7FB5D329728EA185L;
        x ^= x >>> 27;
        x *= 0x81DADEF4BC2DD44DL;
        x ^= x >>> 33;
        return x;
    }
}
