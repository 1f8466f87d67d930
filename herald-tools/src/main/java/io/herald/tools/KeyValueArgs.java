package io.herald.tools;

import java.util.List;
import java.util.Properties;

/** Parses repeated {@code key=value} option arguments ({@code --property}, {@code --producer-property}, …). */
public final class KeyValueArgs {
    private KeyValueArgs() {}

    /**
     * Splits each argument at its first '='; like Kafka, {@code key=} gives an empty value and an argument without
     * '=' is rejected.
     */
    public static Properties parse(List<String> args) {
        var props = new Properties();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new CommandException("Invalid command line properties: " + arg);
            }
            props.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return props;
    }

    /** Sets {@code key} from an option's value when the option was given or the key is still unset. */
    public static void merge(Properties props, String key, OptionParser.Parsed opts, String option, String dflt) {
        if (opts.has(option)) {
            props.put(key, opts.value(option));
        } else if (!props.containsKey(key) && dflt != null) {
            props.put(key, dflt);
        }
    }
}
