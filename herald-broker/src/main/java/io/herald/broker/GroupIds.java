package io.herald.broker;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;

/** The one group (or transactional id) a request acts on, for its whole-request authorization. */
final class GroupIds {
    private GroupIds() {}

    static String of(AbstractRequest request) {
        return switch (request) {
            case JoinGroupRequest r -> r.data().groupId();
            case SyncGroupRequest r -> r.data().groupId();
            case HeartbeatRequest r -> r.data().groupId();
            case LeaveGroupRequest r -> r.data().groupId();
            case OffsetCommitRequest r -> r.data().groupId();
            case OffsetDeleteRequest r -> r.data().groupId();
            case ConsumerGroupHeartbeatRequest r -> r.data().groupId();
            case AddOffsetsToTxnRequest r -> r.data().groupId();
            case TxnOffsetCommitRequest r -> r.data().groupId();
            default -> throw new IllegalArgumentException("not a single-group request: " + request.apiKey());
        };
    }

    /** The transactional id a client's transaction request acts on. */
    static String transactionalIdOf(AbstractRequest request) {
        return switch (request) {
            case EndTxnRequest r -> r.data().transactionalId();
            case AddOffsetsToTxnRequest r -> r.data().transactionalId();
            case TxnOffsetCommitRequest r -> r.data().transactionalId();
            case AddPartitionsToTxnRequest r -> r.data().v3AndBelowTransactionalId();
            default -> throw new IllegalArgumentException("not a transaction request: " + request.apiKey());
        };
    }
}
