package io.herald.storage.internal;

import io.herald.storage.AbortedTxn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * What one pass of the cleaner knows about transactions while it walks batches in offset order, from the aborted
 * transactions overlapping the range (the txn indexes): which data batches belong to an aborted transaction (their
 * records go), and which markers are no longer needed. Kafka's rules: an ABORT marker stays while this pass saw data
 * of its transaction (and its index entry moves to the cleaned segment); a COMMIT marker stays while this pass saw
 * data of its transaction; a marker no longer needed is still kept until its delete horizon has passed.
 */
final class CleanedTransactions {
    private final Deque<AbortedTxn> pending; // by first offset, not yet reached
    private final Map<Long, AbortedState> ongoingAborted = new HashMap<>();
    private final Set<Long> ongoingCommitted = new HashSet<>();

    private static final class AbortedState {
        final AbortedTxn txn;
        boolean sawData;

        AbortedState(AbortedTxn txn) {
            this.txn = txn;
        }
    }

    CleanedTransactions(List<AbortedTxn> aborted) {
        List<AbortedTxn> sorted = new ArrayList<>(aborted);
        sorted.sort((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
        this.pending = new ArrayDeque<>(sorted);
    }

    private void reach(long offset) {
        while (!pending.isEmpty() && pending.peekFirst().firstOffset() <= offset) {
            AbortedTxn txn = pending.pollFirst();
            ongoingAborted.put(txn.producerId(), new AbortedState(txn));
        }
    }

    /** A data batch: whether its records belong to an aborted transaction (and so go). */
    boolean isAbortedData(RecordBatch batch) {
        reach(batch.lastOffset());
        if (!batch.isTransactional()) {
            return false;
        }
        AbortedState aborted = ongoingAborted.get(batch.producerId());
        if (aborted != null) {
            aborted.sawData = true;
            return true;
        }
        ongoingCommitted.add(batch.producerId());
        return false;
    }

    /** What the pass decided about a marker: whether it may go, and the index entry of an ABORT marker. */
    record Marker(boolean canDiscard, AbortedTxn abortEntry) {}

    /** A control batch: whether the marker may go (once its delete horizon passed), and its abort index entry. */
    Marker onMarker(RecordBatch batch) {
        reach(batch.lastOffset());
        ControlRecordType type = ControlRecordType.UNKNOWN;
        for (Record r : batch) {
            type = ControlRecordType.parse(r.key());
            break;
        }
        long producerId = batch.producerId();
        if (type == ControlRecordType.ABORT) {
            AbortedState aborted = ongoingAborted.remove(producerId);
            return aborted == null ? new Marker(true, null) : new Marker(!aborted.sawData, aborted.txn);
        }
        if (type == ControlRecordType.COMMIT) {
            return new Marker(!ongoingCommitted.remove(producerId), null);
        }
        return new Marker(false, null);
    }
}
