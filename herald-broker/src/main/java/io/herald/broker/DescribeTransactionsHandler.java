package io.herald.broker;

import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;

/**
 * DescribeTransactions v0: no transaction state exists yet (there is no transaction coordinator), so every id gets
 * TRANSACTIONAL_ID_NOT_FOUND, Kafka's answer for an id its coordinator has never seen.
 */
final class DescribeTransactionsHandler implements ApiHandler {
    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DescribeTransactionsRequestData data = ((DescribeTransactionsRequest) request).data();
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
        for (String id : data.transactionalIds()) {
            response.transactionStates()
                    .add(new TransactionState()
                            .setTransactionalId(id)
                            .setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code())
                            .setProducerId(-1)
                            .setProducerEpoch((short) -1));
        }
        return CompletableFuture.completedFuture(response);
    }
}
