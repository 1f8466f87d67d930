package io.herald.tools.groups;

import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Kafka's wording for the group-level error of an OffsetDelete request, keyed by the client's exception. */
final class DeleteOffsetsErrors {
    private DeleteOffsetsErrors() {}

    static String describe(Throwable e) {
        return switch (e) {
            case InvalidGroupIdException x -> "The configured groupId is invalid.";
            case GroupIdNotFoundException x -> "The group id does not exist.";
            case GroupAuthorizationException x -> "Group authorization failed.";
            case GroupNotEmptyException x -> "The group is not empty.";
            case GroupSubscribedToTopicException x ->
                "Encountered some partition-level error, see the follow-up details.";
            case TopicAuthorizationException x -> "Encountered some partition-level error, see the follow-up details.";
            case UnknownTopicOrPartitionException x ->
                "Encountered some partition-level error, see the follow-up details.";
            default -> "Encountered some unknown error: " + errorName(e);
        };
    }

    /** The protocol error name Kafka prints for errors it has no special message for. */
    private static String errorName(Throwable e) {
        return switch (e) {
            case TimeoutException x -> "REQUEST_TIMED_OUT";
            case CoordinatorNotAvailableException x -> "COORDINATOR_NOT_AVAILABLE";
            case NotCoordinatorException x -> "NOT_COORDINATOR";
            case UnsupportedVersionException x -> "UNSUPPORTED_VERSION";
            default -> "UNKNOWN_SERVER_ERROR";
        };
    }
}
