package io.herald.coordinator;

import java.util.Arrays;

/**
 * One record of a {@code __consumer_offsets} partition as the coordinator reads and writes it: a key that compaction
 * keeps the latest of (per group, or per group and partition for offsets) and a value, or {@code null} for a tombstone.
 */
public record GroupRecord(byte[] key, byte[] value) {
    public boolean isTombstone() {
        return value == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupRecord other && Arrays.equals(key, other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "GroupRecord(key " + key.length + " bytes, value "
                + (value == null ? "tombstone" : value.length + " bytes") + ")";
    }
}
