package io.herald.protocol;

import java.io.IOException;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A response whose client is over a quota: the network writes {@code response} (none for acks=0 Produce) at once, then
 * stops reading from the connection for {@code throttleMs} (KIP-219's channel muting). {@code clientThrottles} is
 * false for clients older than KIP-219, whose response the dispatcher holds back for the throttle time instead.
 */
public record ThrottledSend(Send response, int throttleMs, boolean clientThrottles) implements Send {
    public ThrottledSend {
        if (throttleMs <= 0) {
            throw new IllegalArgumentException("throttleMs must be positive: " + throttleMs);
        }
    }

    @Override
    public boolean completed() {
        return response == null || response.completed();
    }

    @Override
    public long writeTo(TransferableChannel channel) throws IOException {
        return response == null ? 0 : response.writeTo(channel);
    }

    @Override
    public long size() {
        return response == null ? 0 : response.size();
    }
}
