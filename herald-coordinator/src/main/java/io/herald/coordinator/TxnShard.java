package io.herald.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional ids of one {@code __transaction_state} partition and Kafka's transaction state machine over them:
 * InitProducerId (epoch bump, fencing, abort of a transaction left open), partitions joining a transaction, EndTxn
 * (with the per-transaction epoch bump of transaction version 2), markers, timeouts and expiry. Pure logic: changes are
 * made in memory, written through {@link Effects}, and a failed write throws the whole shard away.
 */
final class TxnShard implements CoordinatorRuntime.Shard {
    private static final Logger LOG = LoggerFactory.getLogger(TxnShard.class);
    final int partition;
    final int coordinatorEpoch;
    final Map<String, TxnMetadata> byId = new HashMap<>();
    private final TxnConfig config;
    /** Asks for a transaction's markers; called once the prepare record is written. */
    private final Consumer<TxnMarkers> markers;

    private long nextAbortCheckMs;
    private long nextExpiryCheckMs;

    TxnShard(int partition, int coordinatorEpoch, TxnConfig config, Consumer<TxnMarkers> markers, long nowMs) {
        this.partition = partition;
        this.coordinatorEpoch = coordinatorEpoch;
        this.config = config;
        this.markers = markers;
        this.nextAbortCheckMs = nowMs;
        this.nextExpiryCheckMs = nowMs + config.removeExpiredIntervalMs();
    }

    /** The answer to InitProducerId, or a request for a fresh producer id first. */
    sealed interface InitOutcome {}

    record Answer(Errors error, long producerId, short epoch) implements InitOutcome {}

    record NeedsProducerId() implements InitOutcome {}

    static Answer error(Errors error) {
        return new Answer(error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
    }

    // ---- load ----------------------------------------------------------------------------------------------------

    @Override
    public void replay(GroupRecord record, long nowMs) {
        TxnRecords.Entry entry = TxnRecords.decode(record);
        if (entry.metadata() == null) {
            byId.remove(entry.transactionalId());
        } else {
            byId.put(entry.transactionalId(), entry.metadata());
        }
    }

    /** In-doubt transactions finish: a decided commit or abort sends its markers again; a fence becomes an abort. */
    @Override
    public void loaded(long nowMs, Effects fx) {
        for (TxnMetadata m : List.copyOf(byId.values())) {
            switch (m.state()) {
                case PREPARE_COMMIT, PREPARE_ABORT -> {
                    LOG.info(
                            "Finishing the {} of {} (producer {} epoch {}) decided before this coordinator loaded it",
                            m.state() == TxnState.PREPARE_COMMIT ? "commit" : "abort",
                            m.transactionalId(),
                            m.producerId(),
                            m.epoch());
                    sendMarkers(m, fx);
                }
                case PREPARE_EPOCH_FENCE -> {
                    TxnMetadata abort = m.with(TxnState.PREPARE_ABORT, m.epoch(), m.partitions(), m.startMs(), nowMs);
                    write(abort, fx);
                    sendMarkers(abort, fx);
                }
                default -> {}
            }
        }
    }

    @Override
    public void unloaded() {
        byId.clear();
    }

    @Override
    public String summary() {
        return byId.size() + " transactional id(s)";
    }

    // ---- InitProducerId ------------------------------------------------------------------------------------------

    /**
     * InitProducerId with a transactional id. {@code freshProducerId} is -1 until the caller fetched one because an
     * earlier call answered {@link NeedsProducerId}.
     */
    InitOutcome initProducerId(
            String id,
            int timeoutMs,
            long requestProducerId,
            short requestEpoch,
            long freshProducerId,
            long nowMs,
            Effects fx) {
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return error(Errors.INVALID_TRANSACTION_TIMEOUT);
        }
        TxnMetadata m = byId.get(id);
        if (m == null) {
            if (freshProducerId < 0) {
                return new NeedsProducerId();
            }
            TxnMetadata created = new TxnMetadata(
                    id,
                    freshProducerId,
                    -1,
                    -1,
                    (short) 0,
                    (short) -1,
                    timeoutMs,
                    TxnState.EMPTY,
                    Set.of(),
                    -1,
                    nowMs,
                    (short) 0);
            write(created, fx);
            return new Answer(Errors.NONE, created.producerId(), created.epoch());
        }
        if (requestProducerId >= 0) {
            if (requestProducerId != m.producerId()) {
                // Kafka's rule: another producer id is fenced, unless it is the one this id had before a rotation
                // and its epoch was exhausted (a retry whose answer, the new producer id, was lost).
                boolean rotatedRetry = requestProducerId == m.prevProducerId()
                        && requestEpoch >= Short.MAX_VALUE - 1
                        && m.state() == TxnState.EMPTY;
                return rotatedRetry
                        ? new Answer(Errors.NONE, m.producerId(), m.epoch())
                        : error(Errors.PRODUCER_FENCED);
            }
            if (requestEpoch != m.epoch()) {
                if (requestEpoch == m.lastEpoch() && m.state() == TxnState.EMPTY) {
                    return new Answer(Errors.NONE, m.producerId(), m.epoch()); // a retry of the bump just made
                }
                return error(Errors.PRODUCER_FENCED);
            }
        }
        switch (m.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> {
                return error(Errors.CONCURRENT_TRANSACTIONS);
            }
            case ONGOING -> {
                // A new instance of the producer: fence the old one (epoch bump) and abort what it left open; the
                // client retries until the abort completes.
                TxnMetadata abort = m.with(TxnState.PREPARE_ABORT, bump(m.epoch()), m.partitions(), m.startMs(), nowMs);
                LOG.info(
                        "Aborting the open transaction of {} (producer {} epoch {}): a new instance initialised",
                        id,
                        m.producerId(),
                        m.epoch());
                write(abort, fx);
                sendMarkers(abort, fx);
                return error(Errors.CONCURRENT_TRANSACTIONS);
            }
            default -> {
                TxnMetadata next;
                if (m.epoch() >= Short.MAX_VALUE - 1) {
                    if (freshProducerId < 0) {
                        return new NeedsProducerId();
                    }
                    next = new TxnMetadata(
                            id,
                            freshProducerId,
                            m.producerId(),
                            -1,
                            (short) 0,
                            (short) -1,
                            timeoutMs,
                            TxnState.EMPTY,
                            Set.of(),
                            -1,
                            nowMs,
                            m.clientTransactionVersion());
                } else {
                    TxnMetadata bumped = m.with(TxnState.EMPTY, bump(m.epoch()), Set.of(), -1, nowMs);
                    next = new TxnMetadata(
                            id,
                            bumped.producerId(),
                            bumped.prevProducerId(),
                            -1,
                            bumped.epoch(),
                            bumped.lastEpoch(),
                            timeoutMs,
                            TxnState.EMPTY,
                            Set.of(),
                            -1,
                            nowMs,
                            m.clientTransactionVersion());
                }
                write(next, fx);
                return new Answer(Errors.NONE, next.producerId(), next.epoch());
            }
        }
    }

    private static short bump(short epoch) {
        return (short) (epoch + 1);
    }

    // ---- partitions joining ----------------------------------------------------------------------------------------

    /**
     * Adds partitions to the producer's transaction (starting one if none is open): the client's AddPartitionsToTxn
     * and AddOffsetsToTxn, and, with transaction version 2, a partition leader adding for a producer's first batch.
     */
    Errors addPartitions(
            String id, long producerId, short epoch, Set<TopicPartition> added, boolean tv2, long nowMs, Effects fx) {
        TxnMetadata m = byId.get(id);
        if (m == null || m.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (m.epoch() != epoch) {
            return Errors.PRODUCER_FENCED;
        }
        switch (m.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> {
                return Errors.CONCURRENT_TRANSACTIONS;
            }
            case DEAD -> {
                return Errors.INVALID_TXN_STATE;
            }
            default -> {}
        }
        boolean ongoing = m.state() == TxnState.ONGOING;
        if (ongoing && m.partitions().containsAll(added)) {
            return Errors.NONE;
        }
        Set<TopicPartition> partitions = new HashSet<>(added);
        if (ongoing) {
            partitions.addAll(m.partitions());
        }
        TxnMetadata next = m.with(TxnState.ONGOING, m.epoch(), partitions, ongoing ? m.startMs() : nowMs, nowMs);
        if (tv2 && !next.tv2()) {
            next = next.withTransactionVersion((short) 2);
        }
        write(next, fx);
        return Errors.NONE;
    }

    /** AddPartitionsToTxn with verifyOnly: whether each partition is already in the producer's open transaction. */
    Map<TopicPartition, Errors> verify(String id, long producerId, short epoch, Set<TopicPartition> partitions) {
        TxnMetadata m = byId.get(id);
        Errors all = null;
        if (m == null || m.producerId() != producerId) {
            all = Errors.INVALID_PRODUCER_ID_MAPPING;
        } else if (m.epoch() != epoch) {
            all = Errors.PRODUCER_FENCED;
        }
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            if (all != null) {
                out.put(tp, all);
            } else {
                out.put(
                        tp,
                        m.state() == TxnState.ONGOING && m.partitions().contains(tp)
                                ? Errors.NONE
                                : Errors.INVALID_TXN_STATE);
            }
        }
        return out;
    }

    // ---- EndTxn --------------------------------------------------------------------------------------------------

    /**
     * EndTxn: commit or abort the open transaction. The answer goes out once the decision is written; markers follow.
     * With transaction version 2 the epoch is bumped and answered, and a retry under the previous epoch is recognised.
     */
    Answer endTxn(String id, long producerId, short epoch, boolean commit, boolean tv2, long nowMs, Effects fx) {
        TxnMetadata m = byId.get(id);
        if (m == null || m.producerId() != producerId) {
            return error(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean retry = tv2 && epoch != m.epoch() && epoch == m.lastEpoch() && m.lastEpoch() >= 0;
        if (!retry && epoch != m.epoch()) {
            return error(Errors.PRODUCER_FENCED);
        }
        TxnState prepared = commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT;
        TxnState completed = commit ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        Answer current = new Answer(Errors.NONE, m.producerId(), m.epoch());
        switch (m.state()) {
            case ONGOING -> {
                if (retry) {
                    return error(Errors.PRODUCER_FENCED);
                }
                TxnMetadata next = m.with(prepared, tv2 ? bump(epoch) : epoch, m.partitions(), m.startMs(), nowMs);
                if (tv2 && !next.tv2()) {
                    next = next.withTransactionVersion((short) 2);
                }
                write(next, fx);
                sendMarkers(next, fx);
                return new Answer(Errors.NONE, next.producerId(), next.epoch());
            }
            case PREPARE_COMMIT, PREPARE_ABORT -> {
                if (tv2 && !retry) {
                    // Under transaction version 2 the prepare record already holds the epoch it answered, so this
                    // request ends the producer's next transaction while the previous one's markers are still being
                    // written (an abort a moment after a commit): it waits, as that transaction's partitions do.
                    return error(Errors.CONCURRENT_TRANSACTIONS);
                }
                if (m.state() != prepared) {
                    return invalidTransition(m, commit, epoch);
                }
                return retry ? current : error(Errors.CONCURRENT_TRANSACTIONS);
            }
            case PREPARE_EPOCH_FENCE -> {
                return error(Errors.CONCURRENT_TRANSACTIONS);
            }
            case COMPLETE_COMMIT, COMPLETE_ABORT, EMPTY -> {
                if (m.state() == completed && (retry || !tv2)) {
                    return current;
                }
                if (tv2 && !commit && !retry) {
                    // Transaction version 2 lets a producer abort with nothing open: the epoch moves on all the same.
                    TxnMetadata next = m.with(TxnState.COMPLETE_ABORT, bump(epoch), Set.of(), m.startMs(), nowMs);
                    write(next, fx);
                    return new Answer(Errors.NONE, next.producerId(), next.epoch());
                }
                return invalidTransition(m, commit, epoch);
            }
            default -> {
                return invalidTransition(m, commit, epoch);
            }
        }
    }

    private static Answer invalidTransition(TxnMetadata m, boolean commit, short epoch) {
        LOG.info(
                "Refused to {} the transaction of {} (producer {} epoch {}): it is {} at epoch {}",
                commit ? "commit" : "abort",
                m.transactionalId(),
                m.producerId(),
                epoch,
                m.state(),
                m.epoch());
        return error(Errors.INVALID_TXN_STATE);
    }

    /** Every partition has the transaction's markers: the transaction is complete. */
    void markersWritten(TxnMarkers done, long nowMs, Effects fx) {
        TxnMetadata m = byId.get(done.transactionalId());
        TxnState prepared = done.commit() ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT;
        if (m == null
                || m.state() != prepared
                || m.producerId() != done.producerId()
                || m.epoch() != done.producerEpoch()) {
            return;
        }
        TxnState completed = done.commit() ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        write(m.with(completed, m.epoch(), Set.of(), m.startMs(), nowMs), fx);
    }

    // ---- timers --------------------------------------------------------------------------------------------------

    @Override
    public void tick(long nowMs, Effects fx) {
        if (nowMs >= nextAbortCheckMs) {
            nextAbortCheckMs = nowMs + config.abortTimedOutIntervalMs();
            abortTimedOut(nowMs, fx);
        }
        if (nowMs >= nextExpiryCheckMs) {
            nextExpiryCheckMs = nowMs + config.removeExpiredIntervalMs();
            expire(nowMs, fx);
        }
    }

    /** Transactions open longer than their timeout are aborted, with an epoch bump that fences their producer. */
    void abortTimedOut(long nowMs, Effects fx) {
        for (TxnMetadata m : List.copyOf(byId.values())) {
            if (m.state() == TxnState.ONGOING && m.startMs() + m.timeoutMs() <= nowMs) {
                TxnMetadata abort = m.with(TxnState.PREPARE_ABORT, bump(m.epoch()), m.partitions(), m.startMs(), nowMs);
                LOG.info(
                        "Aborting the transaction of {} (producer {} epoch {}): open longer than its timeout of {} ms",
                        m.transactionalId(),
                        m.producerId(),
                        m.epoch(),
                        m.timeoutMs());
                write(abort, fx);
                sendMarkers(abort, fx);
            }
        }
    }

    /** Ids idle for {@code transactional.id.expiration.ms} with no transaction open are forgotten (a tombstone). */
    void expire(long nowMs, Effects fx) {
        for (TxnMetadata m : List.copyOf(byId.values())) {
            boolean idle = m.state() == TxnState.EMPTY || m.state().complete();
            if (idle && m.updateMs() + config.idExpirationMs() <= nowMs) {
                byId.remove(m.transactionalId());
                fx.write(TxnRecords.tombstone(m.transactionalId()));
            }
        }
    }

    // ---- admin ---------------------------------------------------------------------------------------------------

    List<TxnMetadata> list(Set<TxnState> states, Set<Long> producerIds, long minDurationMs, long nowMs) {
        List<TxnMetadata> out = new ArrayList<>();
        for (TxnMetadata m : byId.values()) {
            if (!states.isEmpty() && !states.contains(m.state())) {
                continue;
            }
            if (!producerIds.isEmpty() && !producerIds.contains(m.producerId())) {
                continue;
            }
            if (minDurationMs >= 0 && (m.state() != TxnState.ONGOING || nowMs - m.startMs() < minDurationMs)) {
                continue;
            }
            out.add(m);
        }
        return out;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void write(TxnMetadata m, Effects fx) {
        byId.put(m.transactionalId(), m);
        fx.write(TxnRecords.record(m));
    }

    private void sendMarkers(TxnMetadata m, Effects fx) {
        TxnMarkers request = new TxnMarkers(
                m.transactionalId(),
                m.producerId(),
                m.epoch(),
                m.state() == TxnState.PREPARE_COMMIT,
                coordinatorEpoch,
                m.partitions());
        fx.reply(() -> markers.accept(request));
    }
}
