package io.herald.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * What one coordinator event decided besides its new state: records to write to the shard's partition, replies to
 * send once they are written (so a client never hears of a change that a crash could forget), and the earliest time
 * the shard's timers must run again, when that is sooner than the regular tick.
 */
final class Effects {
    private final List<GroupRecord> records = new ArrayList<>();
    private final List<Runnable> replies = new ArrayList<>();
    private final List<GroupRecord> transactional = new ArrayList<>();
    private long producerId = -1;
    private short producerEpoch = -1;
    private long wakeAtMs = Long.MAX_VALUE;

    void write(GroupRecord record) {
        records.add(record);
    }

    /** Writes a record as part of a producer's transaction (TxnOffsetCommit); one producer per event. */
    void writeTransactional(long producerId, short producerEpoch, GroupRecord record) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        transactional.add(record);
    }

    List<GroupRecord> transactionalRecords() {
        return transactional;
    }

    long producerId() {
        return producerId;
    }

    short producerEpoch() {
        return producerEpoch;
    }

    void reply(Runnable reply) {
        replies.add(reply);
    }

    /** Asks for the shard's timers to run at {@code atMs} (at once, after the events already queued, if past). */
    void wakeAt(long atMs) {
        wakeAtMs = Math.min(wakeAtMs, atMs);
    }

    /** The earliest wake-up asked for, {@link Long#MAX_VALUE} if none. */
    long wakeAtMs() {
        return wakeAtMs;
    }

    List<GroupRecord> records() {
        return records;
    }

    List<Runnable> replies() {
        return replies;
    }
}
