package io.herald.coordinator;

import java.util.List;
import java.util.function.Consumer;

/** The coordinator's access to the {@code __consumer_offsets} partitions this broker leads (the broker implements it). */
public interface PartitionStore {
    /** Appends records to the partition and returns once they are committed; throws if this broker cannot. */
    void append(int partition, List<GroupRecord> records);

    /** Reads every record of the partition, oldest first. */
    void replay(int partition, Consumer<GroupRecord> sink);
}
