package io.herald.broker;

import io.herald.protocol.RequestContext;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The authorized-operations bit fields Describe* responses carry when a client asks for them (KIP-430): each operation
 * a resource type supports that the caller may perform on the resource, as the authorizer answers it (everything the
 * type supports when no authorizer is configured, as Kafka); {@link #OMITTED} is the value when the client did not ask.
 */
public final class AuthorizedOperations {
    /** The protocol's "not requested" value for every authorized-operations field. */
    public static final int OMITTED = Integer.MIN_VALUE;

    static final Set<AclOperation> CLUSTER_OPERATIONS = EnumSet.of(
            AclOperation.CREATE,
            AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER,
            AclOperation.DESCRIBE);
    static final Set<AclOperation> TOPIC_OPERATIONS = EnumSet.of(
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.CREATE,
            AclOperation.DESCRIBE,
            AclOperation.DELETE,
            AclOperation.ALTER,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);
    static final Set<AclOperation> GROUP_OPERATIONS = EnumSet.of(
            AclOperation.READ,
            AclOperation.DESCRIBE,
            AclOperation.DELETE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);

    private AuthorizedOperations() {}

    /** The caller's operations on a cluster, topic or group, or {@link #OMITTED} when not requested. */
    public static int of(
            RequestAuthorizer authorizer, RequestContext context, ResourceType type, String name, boolean requested) {
        if (!requested) {
            return OMITTED;
        }
        Set<AclOperation> supported =
                switch (type) {
                    case CLUSTER -> CLUSTER_OPERATIONS;
                    case TOPIC -> TOPIC_OPERATIONS;
                    case GROUP -> GROUP_OPERATIONS;
                    default -> Set.of();
                };
        int field = 0;
        for (AclOperation operation : supported) {
            if (authorizer.allowed(context, operation, type, name)) {
                field |= 1 << operation.code();
            }
        }
        return field;
    }
}
