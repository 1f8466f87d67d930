package io.herald.broker;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.message.AllocateProducerIdsRequestData;
import org.apache.kafka.common.message.AllocateProducerIdsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Hands out producer ids from blocks the controller allocates through the metadata log (AllocateProducerIds), so ids
 * are unique across brokers and restarts. Callers queue while a block is being fetched.
 */
final class ProducerIdManager {
    private final ControllerChannel channel;
    private final int nodeId;
    private final LongSupplier brokerEpoch;
    private final long timeoutMs;
    private final ArrayDeque<CompletableFuture<Long>> waiting = new ArrayDeque<>();
    private long next;
    private long end;
    private boolean fetching;

    ProducerIdManager(ControllerChannel channel, int nodeId, LongSupplier brokerEpoch, long timeoutMs) {
        this.channel = channel;
        this.nodeId = nodeId;
        this.brokerEpoch = brokerEpoch;
        this.timeoutMs = timeoutMs;
    }

    synchronized CompletableFuture<Long> nextProducerId() {
        if (next < end) {
            return CompletableFuture.completedFuture(next++);
        }
        CompletableFuture<Long> future = new CompletableFuture<>();
        waiting.add(future);
        if (!fetching) {
            fetching = true;
            fetchBlock();
        }
        return future;
    }

    private void fetchBlock() {
        AllocateProducerIdsRequestData request =
                new AllocateProducerIdsRequestData().setBrokerId(nodeId).setBrokerEpoch(brokerEpoch.getAsLong());
        channel.<AllocateProducerIdsResponseData>send(ApiKeys.ALLOCATE_PRODUCER_IDS, (short) 0, request, timeoutMs)
                .whenComplete((response, error) -> {
                    synchronized (this) {
                        fetching = false;
                        if (error == null && response.errorCode() == Errors.NONE.code()) {
                            next = response.producerIdStart();
                            end = next + response.producerIdLen();
                            while (!waiting.isEmpty() && next < end) {
                                waiting.poll().complete(next++);
                            }
                            if (!waiting.isEmpty()) {
                                fetching = true;
                                fetchBlock();
                            }
                            return;
                        }
                        CoordinatorNotAvailableException failure = new CoordinatorNotAvailableException(
                                "producer ids are not available from the controller yet");
                        while (!waiting.isEmpty()) {
                            waiting.poll().completeExceptionally(failure);
                        }
                    }
                });
    }
}
