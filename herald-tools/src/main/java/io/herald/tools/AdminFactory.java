package io.herald.tools;

import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Creates the {@link Admin} client a command uses; tests substitute a mock. */
@FunctionalInterface
public interface AdminFactory {
    AdminFactory DEFAULT = Admin::create;

    Admin create(Properties props);

    /**
     * Admin settings for tools taking {@code --bootstrap-server} or {@code --bootstrap-controller}: the given
     * {@code server} when not null, otherwise {@code controller}.
     */
    static Properties bootstrapProps(String commandConfig, String server, String controller) {
        return server != null
                ? adminProps(commandConfig, AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server)
                : adminProps(commandConfig, AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, controller);
    }

    /** Loads {@code --command-config} (if any) and sets the bootstrap servers over it. */
    static Properties adminProps(String commandConfig, String bootstrapKey, String bootstrap) {
        Properties props = commandConfig == null ? new Properties() : ServerConfig.loadProperties(commandConfig);
        props.put(bootstrapKey, bootstrap);
        return props;
    }
}
