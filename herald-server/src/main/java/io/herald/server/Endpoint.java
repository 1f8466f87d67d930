package io.herald.server;

import org.apache.kafka.common.config.ConfigException;

/** A listener URI, NAME://host:port; an empty host means every interface. */
record Endpoint(String listenerName, String host, int port) {
    static Endpoint parse(String key, String uri) {
        int sep = uri.indexOf("://");
        int colon = uri.lastIndexOf(':');
        if (sep <= 0 || colon <= sep + 2) {
            throw new ConfigException(key, uri, "expected NAME://host:port");
        }
        String name = uri.substring(0, sep).trim();
        String host = uri.substring(sep + 3, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(uri.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, uri, "the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(key, uri, "the port is out of range");
        }
        return new Endpoint(name, host, port);
    }
}
