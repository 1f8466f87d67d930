package io.herald.protocol;

import java.net.InetAddress;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * What a handler knows about one request besides its body: the parsed header and the connection it came on. Immutable;
 * the principal and security protocol join it when authentication lands.
 */
public record RequestContext(
        RequestHeader header, String listenerName, InetAddress clientAddress, String connectionId, long receivedNanos) {

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
