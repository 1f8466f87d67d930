package io.herald.broker;

import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;

/**
 * The authorized-operations bit fields Describe* responses carry when a client asks for them (KIP-430). Herald has no
 * authorizer yet, so, as Kafka without {@code authorizer.class.name}, every caller may do everything a resource type
 * supports; {@link #OMITTED} is the value when the client did not ask.
 */
public final class AuthorizedOperations {
    /** The protocol's "not requested" value for every authorized-operations field. */
    public static final int OMITTED = Integer.MIN_VALUE;

    private static final int CLUSTER = bits(EnumSet.of(
            AclOperation.CREATE,
            AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER,
            AclOperation.DESCRIBE));
    private static final int TOPIC = bits(EnumSet.of(
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.CREATE,
            AclOperation.DESCRIBE,
            AclOperation.DELETE,
            AclOperation.ALTER,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS));
    private static final int GROUP = bits(EnumSet.of(
            AclOperation.READ,
            AclOperation.DESCRIBE,
            AclOperation.DELETE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS));

    private AuthorizedOperations() {}

    public static int cluster(boolean requested) {
        return requested ? CLUSTER : OMITTED;
    }

    public static int topic(boolean requested) {
        return requested ? TOPIC : OMITTED;
    }

    public static int group(boolean requested) {
        return requested ? GROUP : OMITTED;
    }

    private static int bits(Set<AclOperation> operations) {
        int field = 0;
        for (AclOperation operation : operations) {
            field |= 1 << operation.code();
        }
        return field;
    }
}
