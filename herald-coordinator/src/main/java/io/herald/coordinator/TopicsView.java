package io.herald.coordinator;

import java.util.Collection;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/** What the coordinator needs to know of topics (from the broker's metadata image): ids and partition counts. */
public interface TopicsView {
    record TopicInfo(String name, Uuid id, int partitionCount) {}

    Optional<TopicInfo> byName(String name);

    Optional<TopicInfo> byId(Uuid id);

    /** Every topic's name, for regular-expression subscriptions. */
    Collection<String> names();

    /** Changes whenever the topics may have changed (the metadata image's offset), so lookups can be cached. */
    long version();
}
