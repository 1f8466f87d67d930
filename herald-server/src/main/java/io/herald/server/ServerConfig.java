package io.herald.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The server's configuration: a properties file (plus --override values) parsed against {@link ServerConfigDef} and
 * checked for consistency the way Kafka checks it. Any problem is a {@link ConfigException} whose message is one line
 * naming the key.
 */
final class ServerConfig extends AbstractConfig {
    private static final ConfigDef DEF = ServerConfigDef.define();

    private final int nodeId;
    private final Set<String> roles;
    private final List<Endpoint> listeners;
    private final Map<String, Endpoint> advertised;
    private final Map<String, SecurityProtocol> protocols;
    private final List<String> controllerListenerNames;

    ServerConfig(Map<String, String> props) {
        super(DEF, props, false);
        nodeId = getInt(ServerConfigDef.NODE_ID);
        roles = Set.copyOf(getList(ServerConfigDef.PROCESS_ROLES));
        if (roles.isEmpty()) {
            throw new ConfigException(ServerConfigDef.PROCESS_ROLES, "", "name broker, controller, or both");
        }
        protocols = parseProtocolMap(getString(ServerConfigDef.SECURITY_PROTOCOL_MAP));
        listeners = parseListeners(ServerConfigDef.LISTENERS, getList(ServerConfigDef.LISTENERS));
        controllerListenerNames = getList(ServerConfigDef.CONTROLLER_LISTENER_NAMES);
        List<String> advertisedList = getList(ServerConfigDef.ADVERTISED_LISTENERS);
        Map<String, Endpoint> adv = new LinkedHashMap<>();
        if (advertisedList != null) {
            for (Endpoint e : parseListeners(ServerConfigDef.ADVERTISED_LISTENERS, advertisedList)) {
                adv.put(e.listenerName(), e);
            }
        }
        advertised = adv;
        validate();
    }

    /** The definitions of every server key Herald reads, as DescribeConfigs shows them. */
    static Map<String, ConfigDef.ConfigKey> definitions() {
        return DEF.configKeys();
    }

    static Set<String> unknownKeys(Map<String, String> props) {
        Set<String> unknown = new java.util.TreeSet<>();
        for (String key : props.keySet()) {
            if (DEF.configKeys().containsKey(key)) {
                continue;
            }
            if (ServerConfigDef.KAFKA_PREFIXES.stream().noneMatch(key::startsWith)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    /** The keys set that Herald accepts and validates but does not act on yet (docs/configs.md lists them). */
    static Set<String> notActedOn(Map<String, String> props) {
        Set<String> inert = new java.util.TreeSet<>();
        for (String key : props.keySet()) {
            io.herald.metadata.BrokerConfigs.definition(key)
                    .filter(d -> d.support() == io.herald.metadata.BrokerConfigs.Support.ACCEPTED)
                    .ifPresent(d -> inert.add(key));
        }
        return inert;
    }

    private void validate() {
        if (isController() && controllerListenerNames.isEmpty()) {
            throw new ConfigException(ServerConfigDef.CONTROLLER_LISTENER_NAMES
                    + " must contain at least one value when running in KRaft with just the controller role"
                    + " or both roles");
        }
        for (String name : controllerListenerNames) {
            boolean declared = listeners.stream().anyMatch(l -> l.listenerName().equals(name));
            if (isController() && !declared) {
                throw new ConfigException(ServerConfigDef.CONTROLLER_LISTENER_NAMES + " must contain only names"
                        + " that appear in listeners; " + name + " does not");
            }
        }
        if (isBroker() && clientListeners().isEmpty()) {
            throw new ConfigException(ServerConfigDef.LISTENERS + " must contain a listener other than the controller"
                    + " listeners " + controllerListenerNames + " on a broker");
        }
        if (getList(ServerConfigDef.QUORUM_VOTERS).isEmpty()
                && getList(ServerConfigDef.QUORUM_BOOTSTRAP_SERVERS).isEmpty()) {
            throw new ConfigException("If using KRaft mode, either " + ServerConfigDef.QUORUM_VOTERS + " or "
                    + ServerConfigDef.QUORUM_BOOTSTRAP_SERVERS + " must contain the set of bootstrap controllers");
        }
    }

    private List<Endpoint> parseListeners(String key, List<String> values) {
        List<Endpoint> result = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (String value : values) {
            Endpoint endpoint = Endpoint.parse(key, value.trim());
            if (!names.add(endpoint.listenerName())) {
                throw new ConfigException(key, value, "each listener must have a different name");
            }
            securityProtocol(endpoint.listenerName());
            result.add(endpoint);
        }
        return result;
    }

    private static Map<String, SecurityProtocol> parseProtocolMap(String value) {
        Map<String, SecurityProtocol> map = new HashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            if (parts.length != 2) {
                throw new ConfigException(ServerConfigDef.SECURITY_PROTOCOL_MAP, value, "expected NAME:PROTOCOL pairs");
            }
            try {
                map.put(
                        parts[0].trim(),
                        SecurityProtocol.forName(parts[1].trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        ServerConfigDef.SECURITY_PROTOCOL_MAP, value, "unknown security protocol " + parts[1]);
            }
        }
        return map;
    }

    SecurityProtocol securityProtocol(String listenerName) {
        SecurityProtocol protocol = protocols.get(listenerName);
        if (protocol == null) {
            throw new ConfigException("No security protocol defined for listener " + listenerName + " in "
                    + ServerConfigDef.SECURITY_PROTOCOL_MAP);
        }
        return protocol;
    }

    int nodeId() {
        return nodeId;
    }

    boolean isBroker() {
        return roles.contains("broker");
    }

    boolean isController() {
        return roles.contains("controller");
    }

    List<Endpoint> listeners() {
        return listeners;
    }

    List<Endpoint> clientListeners() {
        return listeners.stream()
                .filter(l -> !controllerListenerNames.contains(l.listenerName()))
                .toList();
    }

    List<Endpoint> controllerListeners() {
        return listeners.stream()
                .filter(l -> controllerListenerNames.contains(l.listenerName()))
                .toList();
    }

    /** The advertised endpoint of a listener, if advertised.listeners names it. */
    Endpoint advertised(String listenerName) {
        return advertised.get(listenerName);
    }

    List<String> controllerListenerNames() {
        return controllerListenerNames;
    }

    List<Path> logDirs() {
        List<String> dirs = getList(ServerConfigDef.LOG_DIRS);
        if (dirs == null || dirs.isEmpty()) {
            dirs = List.of(getString(ServerConfigDef.LOG_DIR));
        }
        return dirs.stream().map(d -> Path.of(d.trim())).toList();
    }

    Path metadataLogDir() {
        String dir = getString(ServerConfigDef.METADATA_LOG_DIR);
        return dir != null ? Path.of(dir) : logDirs().get(0);
    }

    /** Every directory that must be formatted: the log dirs and the metadata dir. */
    List<Path> allDirs() {
        List<Path> dirs = new ArrayList<>(logDirs());
        if (!dirs.contains(metadataLogDir())) {
            dirs.add(metadataLogDir());
        }
        return dirs;
    }
}
