package io.herald.broker;

import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication throttles of this broker, kept in step with the metadata image: the leader side limits the bytes
 * this broker returns to throttled followers that are not in the ISR, the follower side the bytes it fetches for its
 * throttled replicas that have not caught up (Kafka's rules; an in-sync replica is never held back, so a throttle
 * cannot shrink an ISR). The rates come from the per-broker dynamic config, else the cluster-wide default.
 */
final class ReplicationThrottles {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationThrottles.class);
    static final String LEADER_RATE = "leader.replication.throttled.rate";
    static final String FOLLOWER_RATE = "follower.replication.throttled.rate";
    static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
    static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";

    private final int nodeId;
    private final ReplicationQuota leader;
    private final ReplicationQuota follower;

    ReplicationThrottles(int nodeId, int windows, int windowSeconds) {
        this.nodeId = nodeId;
        this.leader = new ReplicationQuota("leader", nodeId, windows, windowSeconds);
        this.follower = new ReplicationQuota("follower", nodeId, windows, windowSeconds);
    }

    ReplicationQuota leader() {
        return leader;
    }

    ReplicationQuota follower() {
        return follower;
    }

    /** Applies the throttle configs a metadata delta changed. */
    void update(MetadataImage image, MetadataDelta delta) {
        boolean rates = false;
        for (MetadataImage.ConfigResourceKey key : delta.changedConfigs()) {
            if (key.type() == ConfigResourceType.BROKER
                    && (key.name().isEmpty() || key.name().equals(Integer.toString(nodeId)))) {
                rates = true;
            } else if (key.type() == ConfigResourceType.TOPIC) {
                updateTopic(image, key.name());
            }
        }
        if (rates) {
            updateRates(image);
        }
    }

    private void updateRates(MetadataImage image) {
        Map<String, String> own = image.configs(ConfigResourceType.BROKER, Integer.toString(nodeId));
        Map<String, String> cluster = image.configs(ConfigResourceType.BROKER, "");
        setRate(leader, own.getOrDefault(LEADER_RATE, cluster.get(LEADER_RATE)));
        setRate(follower, own.getOrDefault(FOLLOWER_RATE, cluster.get(FOLLOWER_RATE)));
    }

    private static void setRate(ReplicationQuota quota, String value) {
        long before = quota.bytesPerSecond();
        quota.setRate(value);
        long after = quota.bytesPerSecond();
        if (before != after) {
            LOG.info(
                    "The {} replication throttle is now {}",
                    quota.name(),
                    after == ReplicationQuota.UNLIMITED ? "unlimited" : after + " B/s");
        }
    }

    private void updateTopic(MetadataImage image, String topic) {
        Map<String, String> configs = image.configs(ConfigResourceType.TOPIC, topic);
        leader.setReplicas(topic, configs.get(LEADER_REPLICAS));
        follower.setReplicas(topic, configs.get(FOLLOWER_REPLICAS));
    }
}
