package io.herald.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The metadata log as brokers read it from a controller: the latest snapshot (the image as records, at an offset) and
 * the batches committed after it, each at its quorum log index. Bounded by the snapshot interval: taking a snapshot
 * drops the batches it covers. Brokers long-poll it through {@link #awaitBeyond(long)}.
 */
public final class MetadataLog {
    /** One committed batch of encoded metadata records at its offset. */
    public record Entry(long offset, byte[] batch) {}

    /** The snapshot brokers start from when they are behind it: encoded records rebuilding the image. */
    public record Snapshot(long offset, byte[] records) {}

    private final List<Entry> entries = new ArrayList<>();
    private Snapshot snapshot = new Snapshot(-1, null);
    private CompletableFuture<Void> appended = new CompletableFuture<>();

    public synchronized void append(long offset, byte[] batch) {
        if (!entries.isEmpty() && offset <= entries.get(entries.size() - 1).offset()) {
            throw new IllegalStateException("metadata offset " + offset + " is not beyond the log end");
        }
        entries.add(new Entry(offset, batch));
        CompletableFuture<Void> waiting = appended;
        appended = new CompletableFuture<>();
        waiting.complete(null);
    }

    /** Replaces everything up to and including the snapshot's offset by the snapshot. */
    public synchronized void installSnapshot(Snapshot newSnapshot) {
        snapshot = newSnapshot;
        entries.removeIf(e -> e.offset() <= newSnapshot.offset());
        CompletableFuture<Void> waiting = appended;
        appended = new CompletableFuture<>();
        waiting.complete(null);
    }

    public synchronized Snapshot snapshot() {
        return snapshot;
    }

    /** Whether a reader that has applied everything up to {@code lastApplied} must load the snapshot first. */
    public synchronized boolean needsSnapshot(long lastApplied) {
        return snapshot.offset() >= 0 && lastApplied < snapshot.offset();
    }

    /** The batches after {@code lastApplied}, up to about {@code maxBytes} (at least one). */
    public synchronized List<Entry> readAfter(long lastApplied, int maxBytes) {
        List<Entry> result = new ArrayList<>();
        int bytes = 0;
        for (Entry entry : entries) {
            if (entry.offset() <= lastApplied) {
                continue;
            }
            if (!result.isEmpty() && bytes + entry.batch().length > maxBytes) {
                break;
            }
            result.add(entry);
            bytes += entry.batch().length;
        }
        return result;
    }

    public synchronized long endOffset() {
        return entries.isEmpty()
                ? snapshot.offset()
                : entries.get(entries.size() - 1).offset();
    }

    /** Completes once the log holds something beyond {@code lastApplied}. */
    public synchronized CompletableFuture<Void> awaitBeyond(long lastApplied) {
        if (endOffset() > lastApplied) {
            return CompletableFuture.completedFuture(null);
        }
        return appended;
    }
}
