package io.herald.broker;

import io.herald.coordinator.TransactionCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * InitProducerId. With a transactional id it goes to the transaction coordinator (epoch bump, fencing of an older
 * instance, abort of what it left open). Without one (idempotent producers): a new producer id at epoch 0, or, when the
 * producer presents its id and epoch after a fatal sequence error (KIP-360), the same id with the epoch bumped.
 */
final class InitProducerIdHandler implements ApiHandler {
    private final ProducerIdManager producerIds;
    private final TransactionCoordinator transactions;

    InitProducerIdHandler(ProducerIdManager producerIds, TransactionCoordinator transactions) {
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        InitProducerIdRequestData data = ((InitProducerIdRequest) request).data();
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
        if (data.producerId() >= 0 && data.producerEpoch() >= 0 && data.producerEpoch() < Short.MAX_VALUE - 1) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setProducerId(data.producerId())
                    .setProducerEpoch((short) (data.producerEpoch() + 1)));
        }
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
