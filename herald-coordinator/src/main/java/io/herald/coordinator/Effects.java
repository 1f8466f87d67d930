package io.herald.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * What one coordinator event decided besides its new state: records to write to the shard's partition, and replies to
 * send once they are written (so a client never hears of a change that a crash could forget).
 */
final class Effects {
    private final List<GroupRecord> records = new ArrayList<>();
    private final List<Runnable> replies = new ArrayList<>();

    void write(GroupRecord record) {
        records.add(record);
    }

    void reply(Runnable reply) {
        replies.add(reply);
    }

    List<GroupRecord> records() {
        return records;
    }

    List<Runnable> replies() {
        return replies;
    }
}
