package io.herald.protocol;

import java.net.InetAddress;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * What a handler knows about one request besides its body: the parsed header and the connection it came on, with the
 * connection's principal and security protocol. Immutable.
 */
public record RequestContext(RequestHeader header, ConnectionInfo connection, long receivedNanos) {

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }

    public String listenerName() {
        return connection.listenerName();
    }

    public InetAddress clientAddress() {
        return connection.clientAddress();
    }

    public String connectionId() {
        return connection.connectionId();
    }

    /** Who sent the request: {@link KafkaPrincipal#ANONYMOUS} on an unauthenticated listener. */
    public KafkaPrincipal principal() {
        return connection.principal();
    }

    public SecurityProtocol securityProtocol() {
        return connection.securityProtocol();
    }
}
