package io.herald.storage;

import io.herald.common.Clock;
import io.herald.storage.internal.LogSegment;
import io.herald.storage.internal.OffsetMap;
import io.herald.storage.internal.SegmentCleaner;
import io.herald.storage.internal.Throttler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts logs whose cleanup.policy contains {@code compact}. Each of the log.cleaner.threads workers is one
 * periodic task on the cleaner's {@link Scheduler} (every log.cleaner.backoff.ms; a run keeps cleaning until nothing
 * is cleanable): it claims the dirtiest log whose dirty ratio reaches min.cleanable.dirty.ratio, or one forced by
 * max.compaction.lag.ms or by tombstones whose delete horizon has passed, maps the keys of its dirty section (bounded
 * by the worker's share of log.cleaner.dedupe.buffer.size, the rest waits for the next round) and rewrites the sealed
 * segments from the log start up to the mapped end in groups that stay under segment.bytes.
 *
 * <p>Transactions: the cleaner never reaches the last stable offset, keeps control batches (markers are never
 * removed), never lets a transactional record hide an older one (so aborted data cannot shadow committed data) and
 * never drops tombstones of transactional batches; aborted records are only removed once a later non-transactional
 * record of their key supersedes them. Delete horizons of tombstones are remembered in memory only: after a restart
 * expired tombstones go with the next cleaning the dirty ratio triggers.
 */
public final class LogCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
    /** Bound on cleanings per worker run, so a run always ends. */
    static final int MAX_CLEANINGS_PER_RUN = 1_000;

    private final CleanerConfig config;
    private final Clock clock;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Runnable afterClean;
    private final Throttler.Pause pause;
    private final Worker[] workers;
    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Set<TopicPartition> aborting = new HashSet<>();
    private final Set<TopicPartition> uncleanable = new HashSet<>();
    private final Map<TopicPartition, Long> deleteHorizons = new HashMap<>();
    private volatile Consumer<String> faults = step -> {};
    private volatile boolean stopped;

    /** Statistics of one cleaning, as logged. */
    record Stats(long bytesBefore, long bytesAfter, long mapEntries, long elapsedMs, long bytesRead) {}

    /**
     * @param logs the logs to consider (re-read on each selection)
     * @param afterClean runs after each cleaning (writes the cleaner-offset-checkpoint files)
     * @param pause how the throttler waits (Thread::sleep in production)
     */
    LogCleaner(
            CleanerConfig config,
            Clock clock,
            Supplier<Collection<PartitionLog>> logs,
            Runnable afterClean,
            Throttler.Pause pause) {
        this.config = config;
        this.clock = clock;
        this.logs = logs;
        this.afterClean = afterClean;
        this.pause = pause;
        this.workers = new Worker[config.threads()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
        }
    }

    /** Schedules the workers on {@code scheduler}, each every log.cleaner.backoff.ms. */
    void startup(Scheduler scheduler) {
        for (int i = 0; i < workers.length; i++) {
            Worker w = workers[i];
            scheduler.schedulePeriodic("log-cleaner-" + i, () -> runWorker(w), config.backoffMs());
        }
        LOG.info(
                "Log cleaner started: {} threads, {} bytes dedupe buffer, {} bytes/s I/O limit",
                workers.length,
                config.dedupeBufferSize(),
                config.ioMaxBytesPerSecond() == Double.MAX_VALUE ? "no" : config.ioMaxBytesPerSecond());
    }

    /** Stops the workers: cleanings in progress abort (their .cleaned files are removed) and this waits for them. */
    void shutdown() {
        stopped = true;
        synchronized (this) {
            while (!inProgress.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Aborts a cleaning of {@code tp} in progress and waits until it stopped (before the log is deleted). */
    void abort(TopicPartition tp) {
        synchronized (this) {
            aborting.add(tp);
            try {
                while (inProgress.contains(tp)) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                aborting.remove(tp);
                deleteHorizons.remove(tp);
                uncleanable.remove(tp);
            }
        }
    }

    /** Tests inject crashes here: called with the name of each step of a cleaning. */
    void setFaults(Consumer<String> faults) {
        this.faults = faults;
    }

    private void runWorker(Worker w) {
        for (int i = 0; i < MAX_CLEANINGS_PER_RUN && !stopped; i++) {
            if (!cleanOnce(w)) {
                return;
            }
        }
    }

    /** Runs the first worker until nothing is cleanable; returns how many cleanings it did (tests, tools). */
    int cleanUntilIdle() {
        int n = 0;
        while (n < MAX_CLEANINGS_PER_RUN && !stopped && cleanOnce(workers[0])) {
            n++;
        }
        return n;
    }

    /** Picks and cleans one log with {@code w}'s map; false when no log needs cleaning. */
    private boolean cleanOnce(Worker w) {
        Candidate c = claimDirtiest();
        if (c == null) {
            return false;
        }
        TopicPartition tp = c.log.topicPartition();
        try {
            clean(w, c.log, c.section);
        } catch (SegmentCleaner.AbortedException e) {
            LOG.info("Cleaning of {} aborted", tp);
        } catch (IOException | RuntimeException e) {
            // As Kafka does, a log that fails to clean is left alone until restart rather than retried forever.
            LOG.error("Cleaning of {} failed; it is marked uncleanable until restart", tp, e);
            synchronized (this) {
                uncleanable.add(tp);
            }
            return false;
        } finally {
            release(tp);
        }
        return true;
    }

    private synchronized void release(TopicPartition tp) {
        if (inProgress.remove(tp)) {
            notifyAll();
        }
    }

    private record Candidate(PartitionLog log, CleanableSection section, double ratio, boolean forced) {}

    private synchronized Candidate claimDirtiest() {
        if (stopped) {
            return null;
        }
        long now = clock.millis();
        Candidate best = null;
        for (PartitionLog log : logs.get()) {
            TopicPartition tp = log.topicPartition();
            if (!log.config().compactionEnabled()
                    || inProgress.contains(tp)
                    || aborting.contains(tp)
                    || uncleanable.contains(tp)) {
                continue;
            }
            CleanableSection s = log.cleanableSection(now);
            if (s == null || s.segments().isEmpty()) {
                continue;
            }
            long cleanBytes = 0;
            long dirtyBytes = 0;
            long firstDirtyTimestamp = Long.MAX_VALUE;
            boolean anyDirty = s.firstDirtyOffset() < s.firstUncleanableOffset();
            for (LogSegment seg : s.segments()) {
                if (!anyDirty || seg.nextOffset() <= s.firstDirtyOffset()) {
                    cleanBytes += seg.sizeInBytes();
                } else {
                    dirtyBytes += seg.sizeInBytes();
                    if (seg.firstBatchTimestamp() >= 0) {
                        firstDirtyTimestamp = Math.min(firstDirtyTimestamp, seg.firstBatchTimestamp());
                    }
                }
            }
            double ratio = cleanBytes + dirtyBytes == 0 ? 0 : (double) dirtyBytes / (cleanBytes + dirtyBytes);
            boolean dirtyEnough = dirtyBytes > 0 && ratio >= s.config().minCleanableDirtyRatio();
            boolean lagged = dirtyBytes > 0
                    && firstDirtyTimestamp != Long.MAX_VALUE
                    && now - firstDirtyTimestamp > s.config().maxCompactionLagMs();
            Long horizon = deleteHorizons.get(tp);
            boolean tombstonesDue = horizon != null && now >= horizon && cleanBytes > 0;
            if (!dirtyEnough && !lagged && !tombstonesDue) {
                continue;
            }
            boolean forced = lagged || tombstonesDue;
            if (best == null || (forced && !best.forced) || (forced == best.forced && ratio > best.ratio)) {
                best = new Candidate(log, s, ratio, forced);
            }
        }
        if (best != null) {
            inProgress.add(best.log.topicPartition());
        }
        return best;
    }

    private boolean shouldAbort(TopicPartition tp) {
        if (stopped) {
            return true;
        }
        synchronized (this) {
            return aborting.contains(tp);
        }
    }

    /** One cleaning of {@code log}: map the dirty section, rewrite the groups, swap each, move the checkpoint. */
    Stats clean(Worker w, PartitionLog log, CleanableSection s) throws IOException {
        TopicPartition tp = log.topicPartition();
        long startMs = clock.millis();
        Throttler throttler = new Throttler(config.ioMaxBytesPerSecond(), clock, pause);
        SegmentCleaner cleaner = new SegmentCleaner(w.map(config.bufferPerThread()), throttler, () -> shouldAbort(tp));
        long mappedEnd = cleaner.buildOffsetMap(
                s.segments(),
                s.firstDirtyOffset(),
                s.firstUncleanableOffset(),
                log.abortedTransactions(s.firstDirtyOffset(), s.firstUncleanableOffset()));
        long mapEntries = w.map.size();
        List<List<LogSegment>> groups = group(s.segments(), mappedEnd, s.config());
        long before = 0;
        long after = 0;
        long read = 0;
        long minHorizon = Long.MAX_VALUE;
        Consumer<String> f = faults;
        Map<Long, Long> producerLastBatch = log.producerLastBatchOffsets();
        for (List<LogSegment> group : groups) {
            SegmentCleaner.GroupResult r = cleaner.cleanGroup(
                    log.dir(),
                    group,
                    mappedEnd,
                    clock.millis(),
                    s.config().deleteRetentionMs(),
                    producerLastBatch,
                    log.abortedTransactions(
                            group.get(0).baseOffset(), group.getLast().nextOffset()),
                    s.config().indexIntervalBytes(),
                    s.config().segmentIndexBytes());
            f.accept("cleaned-written");
            boolean swapped;
            try {
                swapped = log.replaceSegments(group, r.segment(), s.truncations(), f);
            } catch (IOException | RuntimeException e) {
                discard(r.segment());
                throw e;
            }
            if (!swapped) {
                discard(r.segment());
                LOG.info("Cleaning of {} abandoned: the log changed underneath", tp);
                return null;
            }
            read += r.bytesRead();
            for (LogSegment old : group) {
                before += old.sizeInBytes();
            }
            after += r.segment().sizeInBytes();
            minHorizon = Math.min(minHorizon, r.minHorizonMs());
        }
        log.advanceCleanerCheckpoint(mappedEnd, s.truncations());
        synchronized (this) {
            if (minHorizon == Long.MAX_VALUE) {
                deleteHorizons.remove(tp);
            } else {
                deleteHorizons.put(tp, minHorizon);
            }
        }
        afterClean.run();
        long elapsedMs = clock.millis() - startMs;
        LOG.info(
                "Cleaned {}: {} bytes in {} segments -> {} bytes, offsets {}..{} mapped ({} keys, {} MiB map), {} ms"
                        + " ({} MB/s){}",
                tp,
                before,
                groups.stream().mapToInt(List::size).sum(),
                after,
                s.firstDirtyOffset(),
                mappedEnd,
                mapEntries,
                w.map.memoryBytes() >> 20,
                elapsedMs,
                String.format("%.1f", read / 1e3 / Math.max(1, elapsedMs)),
                throttler.pausedMs() > 0 ? " (" + throttler.pausedMs() + " ms throttled)" : "");
        return new Stats(before, after, mapEntries, elapsedMs, read);
    }

    private static void discard(LogSegment cleaned) {
        try {
            cleaned.close();
            cleaned.deleteFiles();
        } catch (IOException e) {
            LOG.warn("Could not remove cleaned segment {}: {}", cleaned, e.toString());
        }
    }

    /**
     * Consecutive segments below {@code mappedEnd} grouped so each group's total size stays within segment.bytes and
     * its offsets within one segment's relative range.
     */
    static List<List<LogSegment>> group(List<LogSegment> segments, long mappedEnd, LogConfig cfg) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long size = 0;
        for (LogSegment seg : segments) {
            if (seg.baseOffset() >= mappedEnd) {
                break;
            }
            boolean fits = current.isEmpty()
                    || (size + seg.sizeInBytes() <= cfg.segmentBytes()
                            && seg.nextOffset() - 1 - current.get(0).baseOffset() <= Integer.MAX_VALUE);
            if (!fits) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(seg);
            size += seg.sizeInBytes();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** One worker's reusable memory: its dedupe map, allocated on its first cleaning. */
    static final class Worker {
        private OffsetMap map;

        OffsetMap map(long bytes) {
            if (map == null) {
                map = new OffsetMap(bytes);
            }
            return map;
        }
    }

    /** The checkpoint file name, one per log dir: topic, partition and the cleaner checkpoint of each log. */
    static final String CHECKPOINT_FILE = "cleaner-offset-checkpoint";

    static String checkpointLine(PartitionLog log) {
        return log.topicPartition().topic() + " " + log.topicPartition().partition() + " " + log.cleanerCheckpoint();
    }
}
