package io.herald.protocol;

import java.net.InetAddress;

/** The connection a frame arrived on, as the network layer describes it. */
public record ConnectionInfo(String listenerName, InetAddress clientAddress, String connectionId) {}
