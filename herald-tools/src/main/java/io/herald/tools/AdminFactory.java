package io.herald.tools;

import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/** Creates the {@link Admin} client a command uses; tests substitute a mock. */
@FunctionalInterface
public interface AdminFactory {
    AdminFactory DEFAULT = Admin::create;

    Admin create(Properties props);

    /** Loads {@code --command-config} (if any) and sets the bootstrap servers over it. */
    static Properties adminProps(String commandConfig, String bootstrapKey, String bootstrap) {
        Properties props = commandConfig == null ? new Properties() : ServerConfig.loadProperties(commandConfig);
        props.put(bootstrapKey, bootstrap);
        return props;
    }
}
