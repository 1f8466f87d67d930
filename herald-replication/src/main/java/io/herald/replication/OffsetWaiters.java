package io.herald.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests waiting for an offset to be reached (acks=all produces waiting for the high watermark): registered with
 * the offset they need, released in offset order once it is reached. Holds no thread and no timer: the caller
 * releases on each high watermark move and drains all on a leadership change or a timeout of its own.
 */
public final class OffsetWaiters<T> {
    private final TreeMap<Long, List<T>> byOffset = new TreeMap<>();
    private int size;

    /** Waits for {@code requiredOffset}; returns false when the bound is reached (the caller answers at once). */
    public synchronized boolean add(long requiredOffset, T waiter, int maxWaiting) {
        if (size >= maxWaiting) {
            return false;
        }
        byOffset.computeIfAbsent(requiredOffset, k -> new ArrayList<>(1)).add(waiter);
        size++;
        return true;
    }

    /** Removes and returns every waiter whose required offset is at or below {@code reached}. */
    public synchronized List<T> release(long reached) {
        if (byOffset.isEmpty() || byOffset.firstKey() > reached) {
            return List.of();
        }
        List<T> released = new ArrayList<>();
        Map<Long, List<T>> head = byOffset.headMap(reached, true);
        head.values().forEach(released::addAll);
        head.clear();
        size -= released.size();
        return released;
    }

    /** Removes one waiter (it timed out); returns whether it was still waiting. */
    public synchronized boolean remove(long requiredOffset, T waiter) {
        List<T> list = byOffset.get(requiredOffset);
        if (list == null || !list.remove(waiter)) {
            return false;
        }
        if (list.isEmpty()) {
            byOffset.remove(requiredOffset);
        }
        size--;
        return true;
    }

    /** Removes and returns every waiter. */
    public synchronized List<T> drain() {
        List<T> all = new ArrayList<>();
        byOffset.values().forEach(all::addAll);
        byOffset.clear();
        size = 0;
        return all;
    }

    public synchronized int size() {
        return size;
    }
}
