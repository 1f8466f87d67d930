package io.herald.broker;

import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ListTransactionsRequest;

/**
 * ListTransactions v0-2: Herald has no transaction coordinator yet, so no broker holds transaction state and the
 * answer is an empty list (Kafka's answer on a cluster where no transactional producer ever ran). A v2 id pattern
 * that is not a valid regular expression is still refused with INVALID_REGULAR_EXPRESSION, and state filters Kafka
 * does not know are listed back, as Kafka does.
 */
final class ListTransactionsHandler implements ApiHandler {
    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ListTransactionsRequestData data = ((ListTransactionsRequest) request).data();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        String pattern = data.transactionalIdPattern();
        if (pattern != null && !pattern.isEmpty()) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                return CompletableFuture.completedFuture(
                        response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
            }
        }
        for (String state : data.stateFilters()) {
            if (TransactionState.parse(state) == TransactionState.UNKNOWN) {
                response.unknownStateFilters().add(state);
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
