package io.herald.network;

/**
 * Limits and sizes of the socket server, under Kafka's names: {@code socket.request.max.bytes},
 * {@code connections.max.idle.ms}, {@code num.network.threads}, {@code socket.send.buffer.bytes},
 * {@code socket.receive.buffer.bytes}; plus Herald's bound on pipelined requests per connection.
 */
public record NetworkConfig(
        int maxRequestBytes,
        long connectionsMaxIdleMs,
        int networkThreads,
        int sendBufferBytes,
        int receiveBufferBytes,
        int maxInFlightPerConnection) {
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 64;

    public static NetworkConfig defaults() {
        return new NetworkConfig(104857600, 600000L, 3, 102400, 102400, DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
    }

    public NetworkConfig {
        if (maxRequestBytes <= 0 || networkThreads <= 0 || maxInFlightPerConnection <= 0) {
            throw new IllegalArgumentException("network limits must be positive");
        }
    }
}
