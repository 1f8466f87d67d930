package io.herald.broker;

import io.herald.coordinator.TransactionCoordinator;
import io.herald.metadata.AclAuthorizer;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * InitProducerId. With a transactional id it goes to the transaction coordinator (epoch bump, fencing of an older
 * instance, abort of what it left open). Without one (idempotent producers): a new producer id at epoch 0, also when the
 * producer presents its id and epoch after a fatal sequence error (KIP-360), as Kafka answers.
 */
final class InitProducerIdHandler implements ApiHandler {
    private final ProducerIdManager producerIds;
    private final TransactionCoordinator transactions;
    private final RequestAuthorizer authorizer;

    InitProducerIdHandler(
            ProducerIdManager producerIds, TransactionCoordinator transactions, RequestAuthorizer authorizer) {
        this.producerIds = producerIds;
        this.transactions = transactions;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        InitProducerIdRequestData data = ((InitProducerIdRequest) request).data();
        // A transactional producer needs WRITE on its transactional id; an idempotent one IDEMPOTENT_WRITE on the
        // cluster or WRITE on some topic (KIP-679), as Kafka checks.
        if (data.transactionalId() != null
                && !authorizer.authorize(context, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
            return CompletableFuture.completedFuture(error(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (data.transactionalId() == null
                && !authorizer.allowed(
                        context, AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)
                && !authorizer.authorizeByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC)) {
            authorizer.authorize(context, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME);
            return CompletableFuture.completedFuture(error(Errors.CLUSTER_AUTHORIZATION_FAILED));
        }
        // A producer id without an epoch, or an epoch without a producer id, is malformed (Kafka's rule).
        if ((data.producerId() == RecordBatch.NO_PRODUCER_ID)
                != (data.producerEpoch() == RecordBatch.NO_PRODUCER_EPOCH)) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST));
        }
        if (data.transactionalId() != null) {
            if (data.transactionalId().isEmpty()) {
                return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST));
            }
            return transactions
                    .initProducerId(
                            data.transactionalId(),
                            data.transactionTimeoutMs(),
                            data.producerId(),
                            data.producerEpoch())
                    .handle((result, failure) -> failure != null
                            ? error(TransactionHandlers.errorOf(failure))
                            : new InitProducerIdResponseData()
                                    .setErrorCode(result.error().code())
                                    .setProducerId(result.producerId())
                                    .setProducerEpoch(result.producerEpoch()));
        }
        // An idempotent producer gets a new producer id at epoch 0, also when it presents its current id and epoch
        // after a fatal sequence error (KIP-360): as in Kafka, there is nothing to fence without a transactional id.
        return producerIds.nextProducerId().thenApply(id -> new InitProducerIdResponseData()
                .setProducerId(id)
                .setProducerEpoch((short) 0));
    }

    private static InitProducerIdResponseData error(Errors error) {
        return new InitProducerIdResponseData()
                .setErrorCode(error.code())
                .setProducerId(-1)
                .setProducerEpoch((short) -1);
    }
}
