package io.herald.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transaction state machine without a broker: epochs and fencing, the transaction-version-2 bump per transaction,
 * markers asked for once the decision is written, timeouts, expiry, and replay of the written records.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TxnShardTest {
    private static final String ID = "tx-1";
    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 3);
    private static final TxnConfig CONFIG = new TxnConfig(50, (short) 1, 1, 1 << 20, 60_000, 100_000, 1_000, 5_000);

    private final List<TxnMarkers> markers = new ArrayList<>();
    private final List<GroupRecord> log = new ArrayList<>();
    private final TxnShard shard = new TxnShard(7, 3, CONFIG, markers::add, 0);
    private long now = 1_000;

    /** Runs an event like the runtime does: its records are "written", then its replies (markers) go. */
    private <T> T run(java.util.function.Function<Effects, T> event) {
        Effects fx = new Effects();
        T result = event.apply(fx);
        log.addAll(fx.records());
        fx.replies().forEach(Runnable::run);
        return result;
    }

    private TxnShard.Answer init(long producerId, short epoch) {
        TxnShard.InitOutcome first = run(fx -> shard.initProducerId(ID, 10_000, producerId, epoch, -1, now, fx));
        if (first instanceof TxnShard.NeedsProducerId) {
            first = run(fx -> shard.initProducerId(ID, 10_000, producerId, epoch, 42, now, fx));
        }
        return (TxnShard.Answer) first;
    }

    private Errors add(short epoch, TopicPartition... partitions) {
        return run(fx -> shard.addPartitions(ID, 42, epoch, Set.of(partitions), false, now, fx));
    }

    private TxnMetadata state() {
        return shard.byId.get(ID);
    }

    @Test
    void aNewIdGetsAFreshProducerIdAtEpochZeroAndAnotherInitBumpsTheEpoch() {
        assertThat(this.<TxnShard.InitOutcome>run(fx -> shard.initProducerId(ID, 10_000, -1, (short) -1, -1, now, fx)))
                .isInstanceOf(TxnShard.NeedsProducerId.class);
        assertThat(log).isEmpty();
        assertThat(init(-1, (short) -1)).isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 0));
        assertThat(init(-1, (short) -1)).isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 1));
        assertThat(state().state()).isEqualTo(TxnState.EMPTY);
        assertThat(log).hasSize(2);
    }

    @Test
    void aTimeoutAboveTheMaximumIsRefused() {
        TxnShard.InitOutcome outcome = run(fx -> shard.initProducerId(ID, 60_001, -1, (short) -1, 42, now, fx));
        assertThat(((TxnShard.Answer) outcome).error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(log).isEmpty();
    }

    @Test
    void theOlderInstanceIsFencedOnceANewOneInitialises() {
        init(-1, (short) -1);
        init(-1, (short) -1); // a second instance: epoch 1
        assertThat(add((short) 0, A)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(run(fx -> shard.endTxn(ID, 42, (short) 0, true, false, now, fx))
                        .error())
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(this.<Errors>run(fx -> shard.addPartitions(ID, 43, (short) 1, Set.of(A), false, now, fx)))
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(add((short) 1, A)).isEqualTo(Errors.NONE);
    }

    @Test
    void aCommitIsPreparedWithMarkersThenCompletesWhenTheyAreWritten() {
        init(-1, (short) -1);
        assertThat(add((short) 0, A)).isEqualTo(Errors.NONE);
        now += 5;
        assertThat(add((short) 0, B)).isEqualTo(Errors.NONE);
        assertThat(state().state()).isEqualTo(TxnState.ONGOING);
        assertThat(state().startMs()).isEqualTo(1_000);
        assertThat(state().partitions()).containsExactlyInAnyOrder(A, B);
        assertThat(markers).isEmpty();

        TxnShard.Answer end = run(fx -> shard.endTxn(ID, 42, (short) 0, true, false, now, fx));
        assertThat(end).isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 0));
        assertThat(state().state()).isEqualTo(TxnState.PREPARE_COMMIT);
        assertThat(markers).containsExactly(new TxnMarkers(ID, 42, (short) 0, true, 3, Set.of(A, B)));
        // Until the markers are written, a new transaction waits.
        assertThat(add((short) 0, A)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(init(42, (short) 0).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        run(fx -> {
            shard.markersWritten(markers.get(0), now, fx);
            return null;
        });
        assertThat(state().state()).isEqualTo(TxnState.COMPLETE_COMMIT);
        assertThat(state().partitions()).isEmpty();
        // A retried EndTxn (version 1) of the same decision succeeds; the other decision is refused.
        assertThat(run(fx -> shard.endTxn(ID, 42, (short) 0, true, false, now, fx))
                        .error())
                .isEqualTo(Errors.NONE);
        assertThat(run(fx -> shard.endTxn(ID, 42, (short) 0, false, false, now, fx))
                        .error())
                .isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void initWithAProducerIdAndEpochFollowsKafkasRules() {
        init(-1, (short) -1); // 42, epoch 0
        // KIP-360: the current id and epoch bump the epoch; a retry under the previous epoch gets the same answer.
        assertThat(init(42, (short) 0)).isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 1));
        assertThat(init(42, (short) 0)).isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 1));
        // Another producer id, or an epoch that is neither current nor the previous one, is fenced.
        assertThat(init(41, (short) 1).error()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(init(42, (short) 7).error()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(state().epoch()).isEqualTo((short) 1);
    }

    @Test
    void anExhaustedEpochRotatesTheProducerIdAndTheOldIdMayRetry() {
        init(-1, (short) -1);
        shard.byId.put(ID, state().with(TxnState.EMPTY, (short) (Short.MAX_VALUE - 1), Set.of(), -1, now));
        TxnShard.InitOutcome first =
                run(fx -> shard.initProducerId(ID, 10_000, 42, (short) (Short.MAX_VALUE - 1), -1, now, fx));
        assertThat(first).isInstanceOf(TxnShard.NeedsProducerId.class);
        TxnShard.InitOutcome rotated =
                run(fx -> shard.initProducerId(ID, 10_000, 42, (short) (Short.MAX_VALUE - 1), 77, now, fx));
        assertThat(rotated).isEqualTo(new TxnShard.Answer(Errors.NONE, 77, (short) 0));
        assertThat(state().prevProducerId()).isEqualTo(42);
        // The answer was lost: the producer asks again with its old id and exhausted epoch.
        assertThat(this.<TxnShard.InitOutcome>run(
                        fx -> shard.initProducerId(ID, 10_000, 42, (short) (Short.MAX_VALUE - 1), -1, now, fx)))
                .isEqualTo(new TxnShard.Answer(Errors.NONE, 77, (short) 0));
    }

    @Test
    void underVersionTwoAnAbortRightAfterACommitWaitsForTheCommitsMarkers() {
        init(-1, (short) -1);
        run(fx -> shard.addPartitions(ID, 42, (short) 0, Set.of(A), true, now, fx));
        assertThat(this.<TxnShard.Answer>run(fx -> shard.endTxn(ID, 42, (short) 0, true, true, now, fx)))
                .isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 1));
        // The producer (now at epoch 1) aborts its next transaction before the commit's markers are written.
        assertThat(run(fx -> shard.endTxn(ID, 42, (short) 1, false, true, now, fx))
                        .error())
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(state().state()).isEqualTo(TxnState.PREPARE_COMMIT);
        run(fx -> {
            shard.markersWritten(markers.get(0), now, fx);
            return null;
        });
        // Retried once the commit completed: an abort with nothing open, which bumps the epoch.
        assertThat(this.<TxnShard.Answer>run(fx -> shard.endTxn(ID, 42, (short) 1, false, true, now, fx)))
                .isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 2));
        assertThat(state().state()).isEqualTo(TxnState.COMPLETE_ABORT);
    }

    @Test
    void transactionVersionTwoBumpsTheEpochAtEveryEndAndRecognisesARetry() {
        init(-1, (short) -1);
        assertThat(this.<Errors>run(fx -> shard.addPartitions(ID, 42, (short) 0, Set.of(A), true, now, fx)))
                .isEqualTo(Errors.NONE);
        TxnShard.Answer end = run(fx -> shard.endTxn(ID, 42, (short) 0, false, true, now, fx));
        assertThat(end).isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 1));
        assertThat(markers).containsExactly(new TxnMarkers(ID, 42, (short) 1, false, 3, Set.of(A)));
        // The answer was lost: the retry under the old epoch gets the new one.
        assertThat(this.<TxnShard.Answer>run(fx -> shard.endTxn(ID, 42, (short) 0, false, true, now, fx)))
                .isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 1));
        run(fx -> {
            shard.markersWritten(markers.get(0), now, fx);
            return null;
        });
        assertThat(this.<TxnShard.Answer>run(fx -> shard.endTxn(ID, 42, (short) 0, false, true, now, fx)))
                .isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 1));
        // The next transaction runs under the new epoch; the old one is fenced.
        assertThat(this.<Errors>run(fx -> shard.addPartitions(ID, 42, (short) 0, Set.of(A), true, now, fx)))
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(this.<Errors>run(fx -> shard.addPartitions(ID, 42, (short) 1, Set.of(A), true, now, fx)))
                .isEqualTo(Errors.NONE);
        assertThat(state().clientTransactionVersion()).isEqualTo((short) 2);
    }

    @Test
    void aNewInstanceAbortsWhatTheOldOneLeftOpenUnderABumpedEpoch() {
        init(-1, (short) -1);
        add((short) 0, A);
        TxnShard.Answer answer = init(-1, (short) -1);
        assertThat(answer.error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(state().state()).isEqualTo(TxnState.PREPARE_ABORT);
        assertThat(markers).containsExactly(new TxnMarkers(ID, 42, (short) 1, false, 3, Set.of(A)));
        run(fx -> {
            shard.markersWritten(markers.get(0), now, fx);
            return null;
        });
        assertThat(init(-1, (short) -1)).isEqualTo(new TxnShard.Answer(Errors.NONE, 42, (short) 2));
    }

    @Test
    void aTransactionPastItsTimeoutIsAbortedAndItsProducerFenced() {
        init(-1, (short) -1);
        add((short) 0, A);
        now += 9_999;
        run(fx -> {
            shard.abortTimedOut(now, fx);
            return null;
        });
        assertThat(markers).isEmpty();
        now += 1;
        run(fx -> {
            shard.abortTimedOut(now, fx);
            return null;
        });
        assertThat(state().state()).isEqualTo(TxnState.PREPARE_ABORT);
        assertThat(markers).containsExactly(new TxnMarkers(ID, 42, (short) 1, false, 3, Set.of(A)));
        assertThat(run(fx -> shard.endTxn(ID, 42, (short) 0, true, false, now, fx))
                        .error())
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void idleIdsExpireWithATombstone() {
        init(-1, (short) -1);
        now += CONFIG.idExpirationMs() - 1;
        run(fx -> {
            shard.expire(now, fx);
            return null;
        });
        assertThat(state()).isNotNull();
        now += 1;
        run(fx -> {
            shard.expire(now, fx);
            return null;
        });
        assertThat(state()).isNull();
        assertThat(log.getLast().isTombstone()).isTrue();
    }

    @Test
    void replayRebuildsTheStateAndAnInDoubtCommitSendsItsMarkersAgain() {
        init(-1, (short) -1);
        add((short) 0, A);
        add((short) 0, B);
        run(fx -> shard.endTxn(ID, 42, (short) 0, true, false, now, fx));
        TxnShard loaded = new TxnShard(7, 4, CONFIG, markers::add, now);
        log.forEach(r -> loaded.replay(r, now));
        TxnMetadata replayed = loaded.byId.get(ID);
        assertThat(replayed.state()).isEqualTo(TxnState.PREPARE_COMMIT);
        assertThat(replayed.partitions()).containsExactlyInAnyOrder(A, B);
        assertThat(replayed.producerId()).isEqualTo(42);
        assertThat(replayed.timeoutMs()).isEqualTo(10_000);
        markers.clear();
        Effects fx = new Effects();
        loaded.loaded(now, fx);
        fx.replies().forEach(Runnable::run);
        assertThat(markers).containsExactly(new TxnMarkers(ID, 42, (short) 0, true, 4, Set.of(A, B)));
    }

    @Test
    void recordsKeepKafkasLayout() {
        TxnMetadata m = new TxnMetadata(
                "id", 5, 4, -1, (short) 7, (short) -1, 60_000, TxnState.ONGOING, Set.of(A, B), 10, 20, (short) 2);
        GroupRecord record = TxnRecords.record(m);
        // Key: version 0, then the id as a string with a 2-byte length.
        assertThat(record.key()).containsExactly(0, 0, 0, 2, 'i', 'd');
        // Value: version 1, producer id, epoch, timeout, state 1 (Ongoing).
        java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(record.value());
        assertThat(v.getShort()).isEqualTo((short) 1);
        assertThat(v.getLong()).isEqualTo(5);
        assertThat(v.getShort()).isEqualTo((short) 7);
        assertThat(v.getInt()).isEqualTo(60_000);
        assertThat(v.get()).isEqualTo((byte) 1);
        TxnRecords.Entry decoded = TxnRecords.decode(record);
        assertThat(decoded.metadata().prevProducerId()).isEqualTo(4);
        assertThat(decoded.metadata().nextProducerId()).isEqualTo(-1);
        assertThat(decoded.metadata().clientTransactionVersion()).isEqualTo((short) 2);
        assertThat(decoded.metadata().partitions()).containsExactlyInAnyOrder(A, B);
        assertThat(decoded.metadata().startMs()).isEqualTo(10);
        assertThat(decoded.metadata().updateMs()).isEqualTo(20);
        assertThat(TxnRecords.decode(TxnRecords.tombstone("id")).metadata()).isNull();
    }
}
