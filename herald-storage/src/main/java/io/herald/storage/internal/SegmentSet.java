package io.herald.storage.internal;

import io.herald.storage.LogConfig;
import io.herald.storage.Scheduler;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered segments of one partition and the structural changes to them: roll, retire (rename to .deleted and
 * remove after file.delete.delay.ms), truncate, restart, flush, close. Mutations run under the partition lock; the map
 * is concurrent so lock-free readers always see a consistent set of segments.
 */
public final class SegmentSet {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentSet.class);

    private final String name;
    private final File dir;
    private final Scheduler scheduler;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;

    public SegmentSet(String name, File dir, ConcurrentSkipListMap<Long, LogSegment> loaded, Scheduler scheduler) {
        if (loaded.isEmpty()) {
            throw new IllegalArgumentException("a log has at least one segment");
        }
        this.name = name;
        this.dir = dir;
        this.scheduler = scheduler;
        this.segments = loaded;
    }

    /** Live view for readers (never empty). */
    public NavigableMap<Long, LogSegment> map() {
        return segments;
    }

    public LogSegment active() {
        return segments.lastEntry().getValue();
    }

    public long firstBaseOffset() {
        return segments.firstKey();
    }

    public List<LogSegment> list() {
        return new ArrayList<>(segments.values());
    }

    public List<Long> baseOffsets() {
        return new ArrayList<>(segments.keySet());
    }

    public int count() {
        return segments.size();
    }

    public long sizeInBytes() {
        long size = 0;
        for (LogSegment s : segments.values()) {
            size += s.sizeInBytes();
        }
        return size;
    }

    /**
     * Seals the active segment (final time-index entry) and opens a new one at its next offset. The sealed segment is
     * not forced here: {@link #flushBelow} does it off the append path (Kafka's flush after roll).
     */
    public LogSegment roll(LogConfig cfg, long nowMs) throws IOException {
        LogSegment old = active();
        long base = old.nextOffset();
        old.onBecomeInactive();
        LogSegment segment = LogSegment.create(dir, base, cfg.indexIntervalBytes(), cfg.segmentIndexBytes(), nowMs);
        segments.put(base, segment);
        LOG.debug("Rolled {} to new segment at offset {}", name, base);
        return segment;
    }

    /**
     * Removes segments from the log at once and renames their files with .deleted; the files go after
     * {@code deleteDelayMs}, because readers may still hold slices of them.
     */
    public void retire(List<LogSegment> doomed, long deleteDelayMs) throws IOException {
        for (LogSegment s : doomed) {
            segments.remove(s.baseOffset());
        }
        for (LogSegment s : doomed) {
            s.addSuffix(LogFiles.DELETED_SUFFIX);
            scheduler.schedule("delete-" + name + "-" + s.baseOffset(), () -> deleteQuietly(s), deleteDelayMs);
        }
    }

    /**
     * The compaction swap: renames {@code cleaned} from .cleaned to .swap, renames the {@code old} segments it replaces
     * to .deleted (files removed after {@code deleteDelayMs}), drops the .swap suffix and publishes the new segment in
     * place of the old ones. A crash after the .swap rename is completed by {@link LogLoader}; before it, the
     * .cleaned files are discarded. {@code faults} hears each step.
     */
    public void replace(List<LogSegment> old, LogSegment cleaned, long deleteDelayMs, Consumer<String> faults)
            throws IOException {
        if (old.isEmpty() || old.get(0).baseOffset() != cleaned.baseOffset()) {
            throw new IllegalArgumentException("cleaned segment " + cleaned + " does not start the group " + old);
        }
        cleaned.renameSuffix(LogFiles.CLEANED_SUFFIX, LogFiles.SWAP_SUFFIX);
        LogFiles.fsyncDir(dir);
        faults.accept("swap-renamed");
        for (int i = 0; i < old.size(); i++) {
            old.get(i).addSuffix(LogFiles.DELETED_SUFFIX);
            if (i == 0) {
                faults.accept("old-deleted");
            }
        }
        cleaned.renameSuffix(LogFiles.SWAP_SUFFIX, "");
        LogFiles.fsyncDir(dir);
        segments.put(cleaned.baseOffset(), cleaned);
        for (LogSegment s : old) {
            if (s.baseOffset() != cleaned.baseOffset()) {
                segments.remove(s.baseOffset());
            }
            scheduler.schedule("delete-" + name + "-" + s.baseOffset(), () -> deleteQuietly(s), deleteDelayMs);
        }
        faults.accept("swapped");
    }

    /** Drops every batch at or beyond {@code targetOffset}, which must not be below the first segment. */
    public void truncateTo(long targetOffset, long deleteDelayMs) throws IOException {
        // Rename first: nothing may reuse a doomed segment's file names while it is still open.
        retire(new ArrayList<>(segments.tailMap(targetOffset, false).values()), deleteDelayMs);
        segments.floorEntry(targetOffset).getValue().truncateTo(targetOffset);
    }

    /** Replaces all segments by one empty segment starting at {@code baseOffset}. */
    public void restartAt(long baseOffset, LogConfig cfg, long nowMs, long deleteDelayMs) throws IOException {
        List<LogSegment> all = list();
        for (LogSegment s : all) {
            s.addSuffix(LogFiles.DELETED_SUFFIX);
        }
        LogSegment fresh = LogSegment.create(dir, baseOffset, cfg.indexIntervalBytes(), cfg.segmentIndexBytes(), nowMs);
        segments.put(baseOffset, fresh);
        for (LogSegment s : all) {
            if (s.baseOffset() != baseOffset) {
                segments.remove(s.baseOffset());
            }
            scheduler.schedule("delete-" + name + "-" + s.baseOffset(), () -> deleteQuietly(s), deleteDelayMs);
        }
    }

    private void deleteQuietly(LogSegment s) {
        try {
            s.deleteFiles();
        } catch (IOException e) {
            LOG.warn("Could not delete segment files of {}: {}", name, e.toString());
        }
    }

    /** Forces every segment holding offsets at or beyond {@code fromOffset} to disk. */
    public void flushFrom(long fromOffset) throws IOException {
        for (LogSegment segment : segments.values()) {
            if (segment.nextOffset() > fromOffset || segment.baseOffset() >= fromOffset) {
                segment.flush();
            }
        }
    }

    /**
     * Forces the segments holding offsets in [{@code fromOffset}, {@code toOffset}) to disk, without the partition
     * lock (they are sealed: no append touches them). A segment retention or truncation removed meanwhile is skipped;
     * its closed channel is no error.
     */
    public void flushBelow(long fromOffset, long toOffset) throws IOException {
        for (LogSegment segment : segments.headMap(toOffset, false).values()) {
            if (segment.nextOffset() <= fromOffset) {
                continue;
            }
            try {
                segment.flush();
            } catch (java.nio.channels.ClosedChannelException e) {
                if (segments.get(segment.baseOffset()) == segment) {
                    throw e;
                }
            }
        }
    }

    /** Runs {@code task} on the storage scheduler as soon as it can (work kept off the append path). */
    public void runSoon(String taskName, Runnable task) {
        scheduler.schedule(taskName, task, 0);
    }

    public void closeAll() throws IOException {
        for (LogSegment s : segments.values()) {
            s.close();
        }
    }
}
