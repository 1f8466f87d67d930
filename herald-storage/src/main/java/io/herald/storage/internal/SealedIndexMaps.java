package io.herald.storage.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sealed segment indexes keep their memory map: the most recently used, at most {@link #capacity()} of them
 * across every log of the process. The bound keeps the number of mappings far below the kernel's per-process limit
 * ({@code vm.max_map_count}) however many old segments the broker holds; an index that falls out maps its file again
 * on its next lookup. A dropped map is released by the garbage collector once no lookup still reads it, so an
 * eviction never pulls pages from under a reader.
 */
final class SealedIndexMaps {
    static final SealedIndexMaps INSTANCE = new SealedIndexMaps(Integer.getInteger("herald.index.mapped.max", 4096));

    private final int capacity;
    private final LinkedHashMap<SegmentIndex, Boolean> recent = new LinkedHashMap<>(64, 0.75f, true);

    SealedIndexMaps(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    int capacity() {
        return capacity;
    }

    /** Marks {@code index} as just used; drops the maps of the least recently used beyond the capacity. */
    void used(SegmentIndex index) {
        List<SegmentIndex> evicted = null;
        synchronized (this) {
            recent.put(index, Boolean.TRUE);
            while (recent.size() > capacity) {
                Map.Entry<SegmentIndex, Boolean> eldest =
                        recent.entrySet().iterator().next();
                recent.remove(eldest.getKey());
                if (evicted == null) {
                    evicted = new ArrayList<>(1);
                }
                evicted.add(eldest.getKey());
            }
        }
        if (evicted != null) {
            evicted.forEach(SegmentIndex::dropMap);
        }
    }

    /** Forgets {@code index} (closed, truncated or loaded into memory). */
    synchronized void forget(SegmentIndex index) {
        recent.remove(index);
    }

    synchronized int mapped() {
        return recent.size();
    }
}
