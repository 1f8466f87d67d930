package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a partition directory: removes leftovers of interrupted operations, opens the segments and, after an unclean
 * shutdown, rescans everything from the recovery point, truncating a torn or corrupt tail and rebuilding indexes.
 */
public final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    private LogLoader() {}

    /**
     * @param checkpointedStartOffset log start offset from the checkpoint, or -1 when unknown
     * @param recoveryPoint offset below which data is known to be flushed (from the checkpoint, 0 when unknown)
     */
    public static LoadedLog load(
            String name,
            File dir,
            int indexIntervalBytes,
            int maxIndexBytes,
            long checkpointedStartOffset,
            long recoveryPoint,
            boolean cleanShutdown,
            long nowMs)
            throws IOException {
        completeSwaps(name, dir);
        removeLeftovers(dir);
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        List<Long> bases = logFileOffsets(dir);
        for (int i = 0; i < bases.size(); i++) {
            boolean last = i == bases.size() - 1;
            segments.put(bases.get(i), LogSegment.open(dir, bases.get(i), indexIntervalBytes, maxIndexBytes, last));
        }
        long newRecoveryPoint = recoveryPoint;
        if (!cleanShutdown && !segments.isEmpty()) {
            newRecoveryPoint = recover(name, segments, recoveryPoint);
            // Recovery rebuilt indexes in memory; only the (possibly new) active segment keeps them there.
            for (LogSegment s : segments.headMap(segments.lastKey(), false).values()) {
                s.seal();
            }
        }
        if (segments.isEmpty()) {
            long base = Math.max(0, checkpointedStartOffset);
            segments.put(base, LogSegment.create(dir, base, indexIntervalBytes, maxIndexBytes, nowMs));
        }
        long logEndOffset = segments.lastEntry().getValue().nextOffset();
        long logStartOffset = Math.min(logEndOffset, Math.max(checkpointedStartOffset, segments.firstKey()));
        return new LoadedLog(
                segments, logStartOffset, logEndOffset, Math.min(logEndOffset, Math.max(0, newRecoveryPoint)));
    }

    /** Rescans segments from the one holding the recovery point; returns the new recovery point (the end offset). */
    private static long recover(String name, ConcurrentSkipListMap<Long, LogSegment> segments, long recoveryPoint)
            throws IOException {
        Long startKey = segments.floorKey(recoveryPoint);
        if (startKey == null) {
            startKey = segments.firstKey();
        }
        List<LogSegment> toRecover =
                new ArrayList<>(segments.tailMap(startKey, true).values());
        long truncatedBytes = 0;
        int scanned = 0;
        int deletedSegments = 0;
        long previousNext = -1;
        for (int i = 0; i < toRecover.size(); i++) {
            LogSegment segment = toRecover.get(i);
            scanned++;
            int truncated = segment.recover(Integer.MAX_VALUE);
            truncatedBytes += truncated;
            boolean discontinuous = previousNext >= 0 && segment.baseOffset() < previousNext;
            if (discontinuous) {
                // A segment overlapping its predecessor cannot be trusted; it and everything after it go.
                deletedSegments += dropFrom(segments, toRecover, i);
                break;
            }
            segment.flush();
            previousNext = segment.nextOffset();
            if (truncated > 0 && i + 1 < toRecover.size()) {
                deletedSegments += dropFrom(segments, toRecover, i + 1);
                break;
            }
        }
        long end = segments.isEmpty() ? 0 : segments.lastEntry().getValue().nextOffset();
        LOG.info(
                "Recovered {} after unclean shutdown from offset {}: scanned {} segments, truncated {} bytes, "
                        + "deleted {} segments, log end offset {}",
                name,
                recoveryPoint,
                scanned,
                truncatedBytes,
                deletedSegments,
                end);
        return end;
    }

    private static int dropFrom(Map<Long, LogSegment> segments, List<LogSegment> list, int from) throws IOException {
        for (int j = from; j < list.size(); j++) {
            LogSegment s = list.get(j);
            segments.remove(s.baseOffset());
            s.deleteFiles();
        }
        return list.size() - from;
    }

    /** Base offsets of the {@code .log} files in {@code dir}, ascending. */
    static List<Long> logFileOffsets(File dir) {
        List<Long> offsets = new ArrayList<>();
        String[] names = dir.list();
        if (names != null) {
            for (String n : names) {
                long off = LogFiles.offsetOf(n, LogFiles.LOG_SUFFIX);
                if (off >= 0) {
                    offsets.add(off);
                }
            }
        }
        offsets.sort(null);
        return offsets;
    }

    /**
     * Finishes a compaction that crashed mid-swap: a {@code .log.swap} file is a complete, flushed cleaned segment, so
     * it replaces every segment whose base offset lies in its offset range and takes its final name. Its indexes are
     * rebuilt from the log file. ({@code .cleaned} files are incomplete and removed with the other leftovers.)
     */
    static void completeSwaps(String name, File dir) throws IOException {
        String[] names = dir.list();
        if (names == null) {
            throw new IOException("cannot list " + dir);
        }
        List<Long> swaps = new ArrayList<>();
        for (String n : names) {
            long off = LogFiles.offsetOf(n, LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX);
            if (off >= 0) {
                swaps.add(off);
            }
        }
        swaps.sort(null);
        for (long base : swaps) {
            File swap = new File(LogFiles.file(dir, base, LogFiles.LOG_SUFFIX).getPath() + LogFiles.SWAP_SUFFIX);
            long end = base + 1;
            try (FileRecords records = FileRecords.open(swap, false)) {
                for (FileChannelRecordBatch batch : records.batches()) {
                    end = Math.max(end, batch.nextOffset());
                }
            }
            // The cleaned txn index is renamed before the log file: still .swap, or already in place at the base.
            File txnSwap =
                    new File(LogFiles.file(dir, base, LogFiles.TXN_INDEX_SUFFIX).getPath() + LogFiles.SWAP_SUFFIX);
            boolean txnIndexSwapped = !txnSwap.exists();
            for (long old : logFileOffsets(dir)) {
                if (old >= base && old < end) {
                    for (String suffix :
                            List.of(LogFiles.LOG_SUFFIX, LogFiles.INDEX_SUFFIX, LogFiles.TIME_INDEX_SUFFIX)) {
                        Files.deleteIfExists(LogFiles.file(dir, old, suffix).toPath());
                    }
                    if (old != base || !txnIndexSwapped) {
                        Files.deleteIfExists(LogFiles.file(dir, old, LogFiles.TXN_INDEX_SUFFIX)
                                .toPath());
                    }
                }
            }
            if (!txnIndexSwapped) {
                Files.move(
                        txnSwap.toPath(),
                        LogFiles.file(dir, base, LogFiles.TXN_INDEX_SUFFIX).toPath(),
                        StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(
                    swap.toPath(),
                    LogFiles.file(dir, base, LogFiles.LOG_SUFFIX).toPath(),
                    StandardCopyOption.ATOMIC_MOVE);
            LogFiles.fsyncDir(dir);
            LOG.info(
                    "Completed the interrupted compaction swap of {} at offset {} (replaced offsets {}..{})",
                    name,
                    base,
                    base,
                    end - 1);
        }
    }

    /** Deletes files of interrupted deletions and writes, and indexes whose log file is gone. */
    private static void removeLeftovers(File dir) throws IOException {
        File[] files = dir.listFiles();
        if (files == null) {
            throw new IOException("cannot list " + dir);
        }
        for (File f : files) {
            String n = f.getName();
            boolean orphanIndex = (LogFiles.offsetOf(n, LogFiles.INDEX_SUFFIX) >= 0
                            && !new File(dir, n.replace(LogFiles.INDEX_SUFFIX, LogFiles.LOG_SUFFIX)).exists())
                    || (LogFiles.offsetOf(n, LogFiles.TIME_INDEX_SUFFIX) >= 0
                            && !new File(dir, n.replace(LogFiles.TIME_INDEX_SUFFIX, LogFiles.LOG_SUFFIX)).exists())
                    || (LogFiles.offsetOf(n, LogFiles.TXN_INDEX_SUFFIX) >= 0
                            && !new File(dir, n.replace(LogFiles.TXN_INDEX_SUFFIX, LogFiles.LOG_SUFFIX)).exists());
            if (n.endsWith(LogFiles.DELETED_SUFFIX)
                    || n.endsWith(".tmp")
                    || n.endsWith(LogFiles.CLEANED_SUFFIX)
                    || n.endsWith(LogFiles.SWAP_SUFFIX)
                    || orphanIndex) {
                Files.deleteIfExists(f.toPath());
            }
        }
    }
}
