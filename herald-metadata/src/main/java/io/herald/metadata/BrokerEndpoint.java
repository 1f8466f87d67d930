package io.herald.metadata;

/** One advertised listener of a broker: the address clients of that listener connect to. */
public record BrokerEndpoint(String listenerName, String host, int port, String securityProtocol) {}
