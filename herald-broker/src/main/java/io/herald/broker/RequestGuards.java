package io.herald.broker;

import io.herald.protocol.ApiHandler;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The checks put in front of handlers that do not authorize inside: a whole request on one group (READ, or DELETE for
 * OffsetDelete) or on the cluster (the admin and inter-broker APIs), and the per-item splits of the multi-resource
 * admin APIs. Applied to the broker's registry by API key, so a newly registered handler of one of these APIs is
 * guarded without touching the registration.
 */
final class RequestGuards {
    private final RequestAuthorizer authorizer;
    private final AdminAuthorization admin;

    RequestGuards(RequestAuthorizer authorizer, AdminAuthorization admin) {
        this.authorizer = authorizer;
        this.admin = admin;
    }

    ApiHandler guard(ApiKeys key, ApiHandler handler) {
        return switch (key) {
            case JOIN_GROUP, SYNC_GROUP, HEARTBEAT, LEAVE_GROUP, OFFSET_COMMIT ->
                authorizer.require(ResourceType.GROUP, GroupIds::of, handler);
            case OFFSET_DELETE -> authorizer.require(ResourceType.GROUP, GroupIds::of, admin.offsetDelete(handler));
            case CONSUMER_GROUP_HEARTBEAT ->
                authorizer.require(ResourceType.GROUP, GroupIds::of, admin.consumerGroupHeartbeat(handler));
            case DESCRIBE_LOG_DIRS,
                    ALTER_REPLICA_LOG_DIRS,
                    ELECT_LEADERS,
                    ALTER_PARTITION_REASSIGNMENTS,
                    LIST_PARTITION_REASSIGNMENTS,
                    DESCRIBE_QUORUM,
                    UPDATE_FEATURES,
                    UNREGISTER_BROKER,
                    DESCRIBE_CLIENT_QUOTAS,
                    ALTER_CLIENT_QUOTAS,
                    DESCRIBE_USER_SCRAM_CREDENTIALS,
                    ALTER_USER_SCRAM_CREDENTIALS,
                    WRITE_TXN_MARKERS -> authorizer.requireCluster(handler);
            case END_TXN -> authorizer.require(ResourceType.TRANSACTIONAL_ID, GroupIds::transactionalIdOf, handler);
            case ADD_OFFSETS_TO_TXN, TXN_OFFSET_COMMIT ->
                authorizer.require(
                        ResourceType.TRANSACTIONAL_ID,
                        GroupIds::transactionalIdOf,
                        authorizer.require(ResourceType.GROUP, GroupIds::of, handler));
            case ADD_PARTITIONS_TO_TXN -> addPartitionsToTxn(handler);
            case CREATE_TOPICS -> admin.createTopics(handler);
            case DELETE_TOPICS -> admin.deleteTopics(handler);
            case CREATE_PARTITIONS -> admin.createPartitions(handler);
            case DELETE_RECORDS -> admin.deleteRecords(handler);
            case DESCRIBE_CONFIGS -> admin.describeConfigs(handler);
            case ALTER_CONFIGS -> admin.alterConfigs(handler);
            case INCREMENTAL_ALTER_CONFIGS -> admin.incrementalAlterConfigs(handler);
            default -> handler;
        };
    }

    /** v0-3 come from producers (WRITE on their transactional id); v4+ from brokers verifying (CLUSTER_ACTION). */
    private ApiHandler addPartitionsToTxn(ApiHandler handler) {
        ApiHandler fromProducer =
                authorizer.require(ResourceType.TRANSACTIONAL_ID, GroupIds::transactionalIdOf, handler);
        ApiHandler fromBroker = authorizer.requireCluster(handler);
        return (context, request) ->
                request.version() >= 4 ? fromBroker.handle(context, request) : fromProducer.handle(context, request);
    }
}
