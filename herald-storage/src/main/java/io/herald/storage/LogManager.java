package io.herald.storage;

import io.herald.common.Clock;
import io.herald.storage.internal.CheckpointFile;
import io.herald.storage.internal.LogFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the log directories: loads every partition at startup (recovering after a crash), creates and deletes partition
 * logs, runs retention and time-based flushes, owns the {@link LogCleaner} (compaction), and keeps Kafka's
 * per-directory checkpoints (recovery point, log start, high watermark, cleaner offsets) and clean-shutdown marker.
 */
public final class LogManager {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    public static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    public static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
    public static final String PARTITION_METADATA = "partition.metadata";
    public static final String REPLICATION_CHECKPOINT = "replication-offset-checkpoint";
    public static final String CLEANER_CHECKPOINT = LogCleaner.CHECKPOINT_FILE;
    static final String DELETE_DIR_SUFFIX = "-delete";
    static final String STRAY_DIR_SUFFIX = "-stray";
    static final String METADATA_LOG_DIR = "__cluster_metadata-0";

    private final LogManagerConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Function<String, LogConfig> topicConfigs;
    private final Scheduler cleanerScheduler;
    private final ExecutorScheduler ownedCleanerScheduler;
    private final LogCleaner cleaner;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Uuid> topicIds = new ConcurrentHashMap<>();
    private final Object createLock = new Object();
    private final Set<File> offlineDirs = ConcurrentHashMap.newKeySet();
    private volatile Runnable allDirsFailed = () -> {};
    private volatile boolean started;
    private volatile boolean shutDown;

    /**
     * A manager whose log cleaner runs on its own log.cleaner.threads daemon threads.
     *
     * @param topicConfigs the effective LogConfig of a topic at startup (topic overrides on the broker defaults)
     */
    public LogManager(
            LogManagerConfig config, Clock clock, Scheduler scheduler, Function<String, LogConfig> topicConfigs) {
        this(config, clock, scheduler, topicConfigs, null);
    }

    /**
     * @param cleanerScheduler where the log.cleaner.threads cleaner workers run; null creates a pool of that many
     *     daemon threads, owned and stopped by this manager
     */
    public LogManager(
            LogManagerConfig config,
            Clock clock,
            Scheduler scheduler,
            Function<String, LogConfig> topicConfigs,
            Scheduler cleanerScheduler) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.topicConfigs = topicConfigs;
        CleanerConfig cc = config.cleanerConfig();
        this.ownedCleanerScheduler =
                cleanerScheduler == null && cc.enable() ? new ExecutorScheduler("log-cleaner", cc.threads()) : null;
        this.cleanerScheduler = cleanerScheduler != null ? cleanerScheduler : ownedCleanerScheduler;
        this.cleaner = new LogCleaner(cc, clock, this::allLogs, this::checkpoint, Thread::sleep);
    }

    /** Loads all partitions of all log dirs, schedules retention, flush and checkpoint tasks, starts the cleaner. */
    public void startup() {
        if (started) {
            throw new IllegalStateException("log manager already started");
        }
        // Dirs load side by side (each with num.recovery.threads.per.data.dir threads), as they are separate disks.
        ExecutorService dirLoaders =
                Executors.newFixedThreadPool(config.logDirs().size());
        try {
            List<Future<?>> loads = new ArrayList<>();
            for (File dir : config.logDirs()) {
                loads.add(dirLoaders.submit(() -> loadDir(dir)));
            }
            for (Future<?> f : loads) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaStorageException("interrupted loading log dirs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaStorageException kse
                    ? kse
                    : new KafkaStorageException("cannot load log dirs", e.getCause());
        } finally {
            dirLoaders.shutdown();
        }
        started = true;
        scheduler.schedulePeriodic("log-retention", this::runRetention, config.retentionCheckIntervalMs());
        if (config.flushSchedulerIntervalMs() != Long.MAX_VALUE) {
            scheduler.schedulePeriodic("log-flusher", this::flushDirtyLogs, config.flushSchedulerIntervalMs());
        }
        scheduler.schedulePeriodic(
                "recovery-point-checkpoint", this::checkpoint, config.flushOffsetCheckpointIntervalMs());
        if (config.cleanerConfig().enable()) {
            cleaner.startup(cleanerScheduler);
        }
    }

    /** The log cleaner (compaction) of these dirs. */
    LogCleaner cleaner() {
        return cleaner;
    }

    private void loadDir(File dir) {
        try {
            Files.createDirectories(dir.toPath());
            File marker = new File(dir, CLEAN_SHUTDOWN_FILE);
            boolean clean = marker.exists();
            Map<TopicPartition, Long> recoveryPoints = readCheckpoint(new File(dir, RECOVERY_POINT_CHECKPOINT));
            Map<TopicPartition, Long> startOffsets = readCheckpoint(new File(dir, LOG_START_OFFSET_CHECKPOINT));
            Map<TopicPartition, Long> highWatermarks = readCheckpoint(new File(dir, REPLICATION_CHECKPOINT));
            Map<TopicPartition, Long> cleaned = readCheckpoint(new File(dir, CLEANER_CHECKPOINT));
            List<File> partitionDirs = new ArrayList<>();
            File[] children = dir.listFiles(File::isDirectory);
            for (File child : children == null ? new File[0] : children) {
                if (child.getName().endsWith(DELETE_DIR_SUFFIX)) {
                    scheduleDirDeletion(child, 0);
                } else if (parsePartitionDir(child.getName()) != null) {
                    partitionDirs.add(child);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(config.numRecoveryThreadsPerDataDir());
            try {
                List<Future<PartitionLog>> loads = new ArrayList<>();
                for (File pdir : partitionDirs) {
                    TopicPartition tp = parsePartitionDir(pdir.getName());
                    loads.add(pool.submit(() -> PartitionLog.open(
                            tp,
                            pdir,
                            topicConfigs.apply(tp.topic()),
                            startOffsets.getOrDefault(tp, -1L),
                            recoveryPoints.getOrDefault(tp, 0L),
                            clean,
                            clock,
                            scheduler)));
                }
                for (Future<PartitionLog> f : loads) {
                    PartitionLog log = f.get();
                    PartitionLog twin = logs.putIfAbsent(log.topicPartition(), log);
                    if (twin != null) {
                        throw new KafkaStorageException("partition " + log.topicPartition() + " found in both "
                                + twin.dir() + " and " + log.dir());
                    }
                    log.updateHighWatermark(highWatermarks.getOrDefault(log.topicPartition(), 0L));
                    log.initCleanerCheckpoint(cleaned.getOrDefault(log.topicPartition(), 0L));
                    readTopicId(log.dir()).ifPresent(id -> topicIds.put(log.topicPartition(), id));
                    register(log);
                }
            } finally {
                pool.shutdown();
            }
            // From here on a crash must trigger recovery again.
            Files.deleteIfExists(marker.toPath());
            // A freshly formatted dir has no marker yet: with nothing in it, there was nothing to shut down.
            LOG.info(
                    "Loaded {} partitions from {} ({})",
                    partitionDirs.size(),
                    dir,
                    partitionDirs.isEmpty() ? "empty" : clean ? "clean shutdown" : "unclean shutdown");
        } catch (IOException e) {
            throw new KafkaStorageException("cannot load log dir " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaStorageException("interrupted loading " + dir, e);
        } catch (ExecutionException e) {
            throw new KafkaStorageException("cannot load a partition of " + dir, e.getCause());
        }
    }

    private void register(PartitionLog log) {
        log.onTruncation(this::checkpoint);
        log.onIoFailure(cause -> markDirOffline(log.dir().getParentFile(), cause));
        logs.put(log.topicPartition(), log);
    }

    /** What to do once every log dir has failed (the broker halts, as Kafka does); the default only logs. */
    public void onAllDirsFailed(Runnable action) {
        this.allDirsFailed = action;
    }

    /**
     * Takes a log dir offline after an I/O error in it (Kafka's log dir failure channel): its partitions answer
     * KAFKA_STORAGE_ERROR from now on, their file handles are dropped, nothing more is written there (checkpoints,
     * new logs, the clean-shutdown marker); the other dirs keep serving. When no dir is left the
     * {@link #onAllDirsFailed} action runs.
     */
    public void markDirOffline(File dir, Exception cause) {
        File key = dir.getAbsoluteFile();
        if (!config.logDirs().stream().map(File::getAbsoluteFile).toList().contains(key) || !offlineDirs.add(key)) {
            return;
        }
        List<PartitionLog> failed = new ArrayList<>();
        for (PartitionLog log : logs.values()) {
            if (inDir(log, key)) {
                log.markOffline();
                failed.add(log);
            }
        }
        LOG.error(
                "Log directory {} is offline after an I/O error ({}); its {} partitions answer KAFKA_STORAGE_ERROR",
                dir,
                rootCause(cause),
                failed.size());
        // Handles are dropped off the failing thread: it may hold one of these logs' locks.
        try {
            scheduler.schedule(
                    "close-offline-logs",
                    () -> failed.forEach(log -> {
                        cleaner.abort(log.topicPartition());
                        log.closeUncleanly();
                    }),
                    0);
        } catch (RejectedExecutionException e) {
            // Shutting down: shutdown() closes them.
        }
        if (offlineDirs.size() == config.logDirs().size()) {
            allDirsFailed.run();
        }
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static boolean inDir(PartitionLog log, File absoluteDir) {
        return log.dir().getParentFile().getAbsoluteFile().equals(absoluteDir);
    }

    /** The log dirs taken offline by an I/O error (absolute paths). */
    public Set<File> offlineDirs() {
        return Set.copyOf(offlineDirs);
    }

    private static Optional<Uuid> readTopicId(File partitionDir) {
        File f = new File(partitionDir, PARTITION_METADATA);
        try {
            for (String line : Files.readAllLines(f.toPath(), StandardCharsets.UTF_8)) {
                if (line.startsWith("topic_id:")) {
                    return Optional.of(
                            Uuid.fromString(line.substring("topic_id:".length()).trim()));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Unreadable {}: {}", f, e.toString());
        }
        return Optional.empty();
    }

    /** The topic id recorded in the partition's partition.metadata, if known. */
    public Optional<Uuid> topicId(TopicPartition tp) {
        return Optional.ofNullable(topicIds.get(tp));
    }

    /** Parses {@code <topic>-<partition>}; null for anything else (e.g. -delete, -future, -stray dirs). */
    static TopicPartition parsePartitionDir(String name) {
        if (name.equals(METADATA_LOG_DIR)) {
            return null; // the KRaft metadata log may share a log dir; it is not a partition of ours
        }
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        String partition = name.substring(dash + 1);
        if (!partition.chars().allMatch(Character::isDigit) || partition.length() > 10) {
            return null;
        }
        return new TopicPartition(name.substring(0, dash), Integer.parseInt(partition));
    }

    private static Map<TopicPartition, Long> readCheckpoint(File file) {
        Map<TopicPartition, Long> result = new HashMap<>();
        try {
            for (String[] e : new CheckpointFile(file).read()) {
                if (e.length == 3) {
                    result.put(new TopicPartition(e[0], Integer.parseInt(e[1])), Long.parseLong(e[2]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // A damaged checkpoint only costs a longer recovery: everything is rescanned from offset 0.
            LOG.warn("Ignoring unreadable checkpoint {}: {}", file, e.toString());
        }
        return result;
    }

    /** The log of {@code tp}, creating it (on the log dir with the fewest partitions) if absent. */
    public PartitionLog getOrCreateLog(TopicPartition tp, Uuid topicId, LogConfig logConfig) {
        ensureRunning();
        synchronized (createLock) {
            PartitionLog existing = logs.get(tp);
            if (existing != null) {
                Uuid known = topicIds.get(tp);
                if (known != null && !known.equals(topicId)) {
                    throw new InconsistentTopicIdException(
                            "partition " + tp + " belongs to topic id " + known + ", not " + topicId);
                }
                return existing;
            }
            File parent = leastLoadedDir();
            if (parent == null) {
                throw new KafkaStorageException("cannot create a log for " + tp + ": every log dir is offline");
            }
            File dir = new File(parent, tp.topic() + "-" + tp.partition());
            try {
                Files.createDirectories(dir.toPath());
                String metadata = "version: 0\ntopic_id: " + topicId + "\n";
                LogFiles.writeAtomically(new File(dir, PARTITION_METADATA), metadata.getBytes(StandardCharsets.UTF_8));
            } catch (IOException | UncheckedIOException e) {
                markDirOffline(parent, e);
                throw new KafkaStorageException("cannot create " + dir, e);
            }
            PartitionLog log = PartitionLog.open(tp, dir, logConfig, -1, 0, true, clock, scheduler);
            topicIds.put(tp, topicId);
            register(log);
            LOG.info("Created log for {} (topic id {}) in {}", tp, topicId, dir.getParentFile());
            return log;
        }
    }

    private File leastLoadedDir() {
        Map<File, Integer> counts = new HashMap<>();
        config.logDirs().forEach(d -> counts.put(d.getAbsoluteFile(), 0));
        for (PartitionLog log : logs.values()) {
            counts.merge(log.dir().getParentFile().getAbsoluteFile(), 1, Integer::sum);
        }
        File best = null;
        for (File d : config.logDirs()) {
            if (offlineDirs.contains(d.getAbsoluteFile())) {
                continue;
            }
            if (best == null || counts.get(d.getAbsoluteFile()) < counts.get(best.getAbsoluteFile())) {
                best = d;
            }
        }
        return best;
    }

    public Optional<PartitionLog> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    /**
     * Deletes a partition: closes its log, renames the directory to {@code <topic>-<partition>.<uuid>-delete} at once
     * and removes it after file.delete.delay.ms. Returns false when the partition has no log here.
     */
    public boolean deleteLog(TopicPartition tp) {
        PartitionLog log = detach(tp);
        if (log == null) {
            return false;
        }
        // No flush, snapshot or checkpoint for files about to go (a full disk must not stop a deletion), and the
        // handles stay open for fetches in flight until the files are removed, as retention does.
        log.retireForDeletion();
        File dir = log.dir();
        long delayMs = log.config().fileDeleteDelayMs();
        String uuid = UUID.randomUUID().toString().replace("-", "");
        File target = new File(dir.getParentFile(), dir.getName() + "." + uuid + DELETE_DIR_SUFFIX);
        try {
            Files.move(dir.toPath(), target.toPath());
            LogFiles.fsyncDir(dir.getParentFile());
        } catch (IOException e) {
            log.closeUncleanly();
            markDirOffline(dir.getParentFile(), e);
            throw new KafkaStorageException("cannot rename " + dir + " for deletion", e);
        }
        scheduler.schedule("close-deleted-" + tp, log::closeUncleanly, delayMs);
        scheduleDirDeletion(target, delayMs);
        LOG.info("Deleted log for {}; files are removed after {} ms", tp, delayMs);
        checkpoint();
        return true;
    }

    /** Takes {@code tp}'s log out of this manager and out of the cleaner's hands; null when there is none. */
    private PartitionLog detach(TopicPartition tp) {
        ensureRunning();
        PartitionLog log;
        synchronized (createLock) {
            log = logs.remove(tp);
            topicIds.remove(tp);
        }
        if (log != null) {
            cleaner.abort(tp);
        }
        return log;
    }

    /**
     * A log whose topic the metadata does not know (deleted while this broker was away, or a wrong quorum): closed and
     * renamed {@code <topic>-<partition>.<uuid>-stray} but kept, as Kafka 3.7+ does, so an operator can recover it.
     * Returns false when the partition has no log here.
     */
    public boolean markStray(TopicPartition tp) {
        PartitionLog log = detach(tp);
        if (log == null) {
            return false;
        }
        try {
            log.close();
        } catch (KafkaStorageException e) {
            log.closeUncleanly(); // its dir went offline; the files stay as they are
        }
        File dir = log.dir();
        String uuid = UUID.randomUUID().toString().replace("-", "");
        File target = new File(dir.getParentFile(), dir.getName() + "." + uuid + STRAY_DIR_SUFFIX);
        try {
            Files.move(dir.toPath(), target.toPath());
            LogFiles.fsyncDir(dir.getParentFile());
        } catch (IOException e) {
            markDirOffline(dir.getParentFile(), e);
            throw new KafkaStorageException("cannot rename stray log " + dir, e);
        }
        LOG.warn("Log for {} is stray (its topic is not in the metadata): kept as {}", tp, target);
        checkpoint();
        return true;
    }

    private void scheduleDirDeletion(File dir, long delayMs) {
        scheduler.schedule(
                "delete-dir-" + dir.getName(),
                () -> {
                    try {
                        LogFiles.deleteRecursively(dir.toPath());
                    } catch (IOException e) {
                        LOG.warn("Could not remove {}: {}", dir, e.toString());
                    }
                },
                delayMs);
    }

    /** One retention pass over all logs (also forgets expired idempotent producers). */
    public void runRetention() {
        if (shutDown) {
            return;
        }
        for (PartitionLog log : logs.values()) {
            if (log.isOffline()) {
                continue;
            }
            try {
                log.deleteOldSegments();
                log.removeExpiredProducers(config.producerIdExpirationMs());
            } catch (KafkaStorageException e) {
                // The log's dir went offline; markDirOffline said so.
            }
        }
    }

    /** Flushes every log whose flush.ms has elapsed with unflushed data. */
    public void flushDirtyLogs() {
        if (shutDown) {
            return;
        }
        for (PartitionLog log : logs.values()) {
            if (log.isOffline()) {
                continue;
            }
            try {
                log.maybeFlushByTime();
            } catch (KafkaStorageException e) {
                // The log's dir went offline; markDirOffline said so.
            }
        }
    }

    /** Writes recovery-point, log-start-offset and high-watermark checkpoints of every log dir. */
    public synchronized void checkpoint() {
        for (File dir : config.logDirs()) {
            if (offlineDirs.contains(dir.getAbsoluteFile())) {
                continue;
            }
            List<String> recovery = new ArrayList<>();
            List<String> starts = new ArrayList<>();
            List<String> highWatermarks = new ArrayList<>();
            List<String> cleanerOffsets = new ArrayList<>();
            for (PartitionLog log : logs.values()) {
                if (log.dir().getParentFile().getAbsoluteFile().equals(dir.getAbsoluteFile())) {
                    TopicPartition tp = log.topicPartition();
                    recovery.add(tp.topic() + " " + tp.partition() + " " + log.recoveryPoint());
                    starts.add(tp.topic() + " " + tp.partition() + " " + log.logStartOffset());
                    highWatermarks.add(tp.topic() + " " + tp.partition() + " " + log.highWatermark());
                    if (log.config().compactionEnabled()) {
                        cleanerOffsets.add(LogCleaner.checkpointLine(log));
                    }
                }
            }
            try {
                new CheckpointFile(new File(dir, RECOVERY_POINT_CHECKPOINT)).write(recovery);
                new CheckpointFile(new File(dir, LOG_START_OFFSET_CHECKPOINT)).write(starts);
                new CheckpointFile(new File(dir, REPLICATION_CHECKPOINT)).write(highWatermarks);
                new CheckpointFile(new File(dir, CLEANER_CHECKPOINT)).write(cleanerOffsets);
            } catch (UncheckedIOException e) {
                markDirOffline(dir, e);
            }
        }
    }

    /** Clean shutdown: closes (flushes) every log, writes checkpoints, then the clean-shutdown marker. */
    public void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        stopCleaner();
        for (PartitionLog log : logs.values()) {
            if (log.isOffline()) {
                log.closeUncleanly();
                continue;
            }
            try {
                log.close();
            } catch (KafkaStorageException e) {
                // Its dir went offline (markDirOffline said why): that dir recovers at the next start.
                log.closeUncleanly();
            }
        }
        checkpoint();
        for (File dir : config.logDirs()) {
            if (offlineDirs.contains(dir.getAbsoluteFile())) {
                continue;
            }
            try {
                LogFiles.writeAtomically(
                        new File(dir, CLEAN_SHUTDOWN_FILE),
                        "{\"version\":0,\"brokerEpoch\":-1}".getBytes(StandardCharsets.UTF_8));
            } catch (UncheckedIOException e) {
                markDirOffline(dir, e);
            }
        }
        if (offlineDirs.isEmpty()) {
            LOG.info("Log manager shut down cleanly ({} partitions)", logs.size());
        } else {
            LOG.warn("Log manager shut down; offline log dirs {} recover at the next start", offlineDirs);
        }
    }

    /** Drops every file handle without flushing, checkpointing or marking: a crash, for tests. */
    void simulateCrash() {
        shutDown = true;
        stopCleaner();
        for (PartitionLog log : logs.values()) {
            log.closeUncleanly();
        }
    }

    private void stopCleaner() {
        cleaner.shutdown();
        if (ownedCleanerScheduler != null) {
            ownedCleanerScheduler.close();
        }
    }

    private void ensureRunning() {
        if (!started || shutDown) {
            throw new IllegalStateException("log manager is not running");
        }
    }
}
