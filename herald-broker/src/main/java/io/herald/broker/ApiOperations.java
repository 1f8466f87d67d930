package io.herald.broker;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The one table of what Kafka requires of each API on each resource type it touches (e.g. Produce: WRITE on the topic
 * and on the transactional id; OffsetCommit: READ on the group and the topic). Handlers ask
 * {@link RequestAuthorizer#authorize(io.herald.protocol.RequestContext, ResourceType, String)}, which looks here; the
 * few APIs that need a second operation on one type (CreateTopics' CREATE vs. DESCRIBE_CONFIGS) name it themselves.
 */
final class ApiOperations {
    private static final Map<ApiKeys, Map<ResourceType, AclOperation>> REQUIRED = new EnumMap<>(ApiKeys.class);

    static {
        require(ApiKeys.PRODUCE, ResourceType.TOPIC, AclOperation.WRITE);
        require(ApiKeys.PRODUCE, ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE);
        require(ApiKeys.FETCH, ResourceType.TOPIC, AclOperation.READ);
        require(ApiKeys.FETCH, ResourceType.CLUSTER, AclOperation.CLUSTER_ACTION);
        require(ApiKeys.LIST_OFFSETS, ResourceType.TOPIC, AclOperation.DESCRIBE);
        require(ApiKeys.METADATA, ResourceType.TOPIC, AclOperation.DESCRIBE);
        require(ApiKeys.METADATA, ResourceType.CLUSTER, AclOperation.CREATE);
        require(ApiKeys.OFFSET_FOR_LEADER_EPOCH, ResourceType.TOPIC, AclOperation.DESCRIBE);
        require(ApiKeys.OFFSET_FOR_LEADER_EPOCH, ResourceType.CLUSTER, AclOperation.CLUSTER_ACTION);
        require(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, ResourceType.TOPIC, AclOperation.DESCRIBE);
        require(ApiKeys.DESCRIBE_PRODUCERS, ResourceType.TOPIC, AclOperation.READ);
        require(ApiKeys.DELETE_RECORDS, ResourceType.TOPIC, AclOperation.DELETE);
        require(ApiKeys.CREATE_TOPICS, ResourceType.CLUSTER, AclOperation.CREATE);
        require(ApiKeys.CREATE_TOPICS, ResourceType.TOPIC, AclOperation.CREATE);
        require(ApiKeys.DELETE_TOPICS, ResourceType.TOPIC, AclOperation.DELETE);
        require(ApiKeys.CREATE_PARTITIONS, ResourceType.TOPIC, AclOperation.ALTER);
        require(ApiKeys.DESCRIBE_CONFIGS, ResourceType.TOPIC, AclOperation.DESCRIBE_CONFIGS);
        require(ApiKeys.DESCRIBE_CONFIGS, ResourceType.CLUSTER, AclOperation.DESCRIBE_CONFIGS);
        require(ApiKeys.DESCRIBE_CONFIGS, ResourceType.GROUP, AclOperation.DESCRIBE_CONFIGS);
        require(ApiKeys.ALTER_CONFIGS, ResourceType.TOPIC, AclOperation.ALTER_CONFIGS);
        require(ApiKeys.ALTER_CONFIGS, ResourceType.CLUSTER, AclOperation.ALTER_CONFIGS);
        require(ApiKeys.ALTER_CONFIGS, ResourceType.GROUP, AclOperation.ALTER_CONFIGS);
        require(ApiKeys.INCREMENTAL_ALTER_CONFIGS, ResourceType.TOPIC, AclOperation.ALTER_CONFIGS);
        require(ApiKeys.INCREMENTAL_ALTER_CONFIGS, ResourceType.CLUSTER, AclOperation.ALTER_CONFIGS);
        require(ApiKeys.INCREMENTAL_ALTER_CONFIGS, ResourceType.GROUP, AclOperation.ALTER_CONFIGS);
        require(ApiKeys.ELECT_LEADERS, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.LIST_PARTITION_REASSIGNMENTS, ResourceType.CLUSTER, AclOperation.DESCRIBE);
        require(ApiKeys.ALTER_REPLICA_LOG_DIRS, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.DESCRIBE_LOG_DIRS, ResourceType.CLUSTER, AclOperation.DESCRIBE);
        require(ApiKeys.DESCRIBE_ACLS, ResourceType.CLUSTER, AclOperation.DESCRIBE);
        require(ApiKeys.CREATE_ACLS, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.DELETE_ACLS, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.DESCRIBE_CLIENT_QUOTAS, ResourceType.CLUSTER, AclOperation.DESCRIBE_CONFIGS);
        require(ApiKeys.ALTER_CLIENT_QUOTAS, ResourceType.CLUSTER, AclOperation.ALTER_CONFIGS);
        require(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, ResourceType.CLUSTER, AclOperation.DESCRIBE);
        require(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.UPDATE_FEATURES, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.UNREGISTER_BROKER, ResourceType.CLUSTER, AclOperation.ALTER);
        require(ApiKeys.DESCRIBE_QUORUM, ResourceType.CLUSTER, AclOperation.DESCRIBE);
        require(ApiKeys.INIT_PRODUCER_ID, ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE);
        require(ApiKeys.INIT_PRODUCER_ID, ResourceType.CLUSTER, AclOperation.IDEMPOTENT_WRITE);
        require(ApiKeys.ADD_PARTITIONS_TO_TXN, ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE);
        require(ApiKeys.ADD_PARTITIONS_TO_TXN, ResourceType.TOPIC, AclOperation.WRITE);
        require(ApiKeys.ADD_PARTITIONS_TO_TXN, ResourceType.CLUSTER, AclOperation.CLUSTER_ACTION);
        require(ApiKeys.ADD_OFFSETS_TO_TXN, ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE);
        require(ApiKeys.ADD_OFFSETS_TO_TXN, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.END_TXN, ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE);
        require(ApiKeys.TXN_OFFSET_COMMIT, ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE);
        require(ApiKeys.TXN_OFFSET_COMMIT, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.TXN_OFFSET_COMMIT, ResourceType.TOPIC, AclOperation.READ);
        require(ApiKeys.WRITE_TXN_MARKERS, ResourceType.CLUSTER, AclOperation.CLUSTER_ACTION);
        require(ApiKeys.LIST_TRANSACTIONS, ResourceType.TRANSACTIONAL_ID, AclOperation.DESCRIBE);
        require(ApiKeys.DESCRIBE_TRANSACTIONS, ResourceType.TRANSACTIONAL_ID, AclOperation.DESCRIBE);
        require(ApiKeys.DESCRIBE_TRANSACTIONS, ResourceType.TOPIC, AclOperation.DESCRIBE);
        require(ApiKeys.FIND_COORDINATOR, ResourceType.GROUP, AclOperation.DESCRIBE);
        require(ApiKeys.FIND_COORDINATOR, ResourceType.TRANSACTIONAL_ID, AclOperation.DESCRIBE);
        require(ApiKeys.JOIN_GROUP, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.SYNC_GROUP, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.HEARTBEAT, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.LEAVE_GROUP, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.OFFSET_COMMIT, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.OFFSET_COMMIT, ResourceType.TOPIC, AclOperation.READ);
        require(ApiKeys.OFFSET_FETCH, ResourceType.GROUP, AclOperation.DESCRIBE);
        require(ApiKeys.OFFSET_FETCH, ResourceType.TOPIC, AclOperation.DESCRIBE);
        require(ApiKeys.OFFSET_DELETE, ResourceType.GROUP, AclOperation.DELETE);
        require(ApiKeys.OFFSET_DELETE, ResourceType.TOPIC, AclOperation.READ);
        require(ApiKeys.LIST_GROUPS, ResourceType.GROUP, AclOperation.DESCRIBE);
        require(ApiKeys.LIST_GROUPS, ResourceType.CLUSTER, AclOperation.DESCRIBE);
        require(ApiKeys.DESCRIBE_GROUPS, ResourceType.GROUP, AclOperation.DESCRIBE);
        require(ApiKeys.DELETE_GROUPS, ResourceType.GROUP, AclOperation.DELETE);
        require(ApiKeys.CONSUMER_GROUP_HEARTBEAT, ResourceType.GROUP, AclOperation.READ);
        require(ApiKeys.CONSUMER_GROUP_HEARTBEAT, ResourceType.TOPIC, AclOperation.DESCRIBE);
        require(ApiKeys.CONSUMER_GROUP_DESCRIBE, ResourceType.GROUP, AclOperation.DESCRIBE);
        require(ApiKeys.CONSUMER_GROUP_DESCRIBE, ResourceType.TOPIC, AclOperation.DESCRIBE);
    }

    private ApiOperations() {}

    private static void require(ApiKeys api, ResourceType type, AclOperation operation) {
        REQUIRED.computeIfAbsent(api, k -> new EnumMap<>(ResourceType.class)).put(type, operation);
    }

    /** The operation the API requires on the resource type; a missing entry is a programming error. */
    static AclOperation required(ApiKeys api, ResourceType type) {
        AclOperation operation = REQUIRED.getOrDefault(api, Map.of()).get(type);
        if (operation == null) {
            throw new IllegalStateException("no ACL requirement for " + api + " on " + type);
        }
        return operation;
    }
}
