package io.herald.server;

import io.herald.controller.QuorumPeer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where the controllers are: the static voter set of {@code controller.quorum.voters} (id@host:port), or, with
 * {@code controller.quorum.bootstrap.servers}, a standalone controller quorum of this node alone (Kafka's
 * {@code format --standalone}).
 */
final class QuorumConfig {
    private QuorumConfig() {}

    static List<QuorumPeer> voters(ServerConfig config) {
        int offset = config.getInt(ServerConfigDef.RAFT_PORT_OFFSET);
        List<QuorumPeer> voters = parseVoters(config, offset);
        for (QuorumPeer voter : voters) {
            if (voter.raftPort() <= 0 || voter.raftPort() > 65535) {
                throw new ConfigException(
                        ServerConfigDef.RAFT_PORT_OFFSET,
                        offset,
                        "the Raft port of controller " + voter.id() + " (" + voter.controllerPort()
                                + " + offset) is not a valid port");
            }
        }
        return voters;
    }

    private static List<QuorumPeer> parseVoters(ServerConfig config, int offset) {
        List<String> declared = config.getList(ServerConfigDef.QUORUM_VOTERS);
        List<QuorumPeer> voters = new ArrayList<>();
        for (String voter : declared) {
            String entry = voter.trim();
            int at = entry.indexOf('@');
            int colon = entry.lastIndexOf(':');
            if (at <= 0 || colon <= at + 1) {
                throw new ConfigException(ServerConfigDef.QUORUM_VOTERS, voter, "expected id@host:port");
            }
            try {
                int id = Integer.parseInt(entry.substring(0, at));
                String host = entry.substring(at + 1, colon);
                int port = Integer.parseInt(entry.substring(colon + 1));
                voters.add(new QuorumPeer(id, host, port, port + offset));
            } catch (NumberFormatException e) {
                throw new ConfigException(ServerConfigDef.QUORUM_VOTERS, voter, "expected id@host:port");
            }
        }
        if (voters.isEmpty() && config.isController()) {
            Endpoint listener = config.controllerListeners().get(0);
            Endpoint advertised = config.advertised(listener.listenerName());
            String host = advertised != null ? advertised.host() : listener.host();
            if (host.isEmpty()) {
                host = "localhost";
            }
            int port = advertised != null ? advertised.port() : listener.port();
            voters.add(new QuorumPeer(config.nodeId(), host, port, listener.port() + offset));
        }
        return voters;
    }

    /** The controller listeners a broker may contact. */
    static List<InetSocketAddress> controllerAddresses(ServerConfig config, List<QuorumPeer> voters) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (!config.getList(ServerConfigDef.QUORUM_VOTERS).isEmpty()) {
            voters.forEach(v -> addresses.add(InetSocketAddress.createUnresolved(v.host(), v.controllerPort())));
        } else {
            for (String server : config.getList(ServerConfigDef.QUORUM_BOOTSTRAP_SERVERS)) {
                int colon = server.lastIndexOf(':');
                if (colon <= 0) {
                    throw new ConfigException(ServerConfigDef.QUORUM_BOOTSTRAP_SERVERS, server, "expected host:port");
                }
                try {
                    addresses.add(InetSocketAddress.createUnresolved(
                            server.substring(0, colon).trim(),
                            Integer.parseInt(server.substring(colon + 1).trim())));
                } catch (NumberFormatException e) {
                    throw new ConfigException(ServerConfigDef.QUORUM_BOOTSTRAP_SERVERS, server, "expected host:port");
                }
            }
        }
        return addresses;
    }
}
