package io.herald.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kafka-server-start.sh server.properties [--override key=value]...}: starts a Herald node in the foreground and
 * stops it cleanly on SIGTERM/SIGINT. A configuration or storage problem is one line on stderr and exit code 1. With
 * {@code --format-if-needed} (the README's quick start) unformatted directories are formatted first, with a new
 * cluster id.
 */
public final class HeraldMain {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldMain.class);
    private static final long START_TIMEOUT_MS = 120_000;

    private HeraldMain() {}

    public static void main(String[] args) {
        long startNanos = System.nanoTime();
        Map<String, String> properties;
        boolean formatIfNeeded = false;
        try {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
                System.out.println(
                        "USAGE: kafka-server-start.sh [-daemon] server.properties [--override property=value]*");
                System.exit(args.length == 0 ? 1 : 0);
                return;
            }
            if (args[0].equals("--version")) {
                System.out.println(Version.current());
                System.exit(0);
                return;
            }
            properties = load(Path.of(args[0]));
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--override") && i + 1 < args.length) {
                    String pair = args[++i];
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new ConfigException("--override expects property=value, got: " + pair);
                    }
                    properties.put(
                            pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                } else if (args[i].equals("--format-if-needed")) {
                    formatIfNeeded = true;
                } else {
                    throw new ConfigException("Unexpected argument: " + args[i]
                            + " (usage: kafka-server-start.sh server.properties [--override property=value]*)");
                }
            }
            if (formatIfNeeded) {
                HeraldServer.formatIfNeeded(properties);
            }
            HeraldServer server = HeraldServer.start(properties, START_TIMEOUT_MS);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                server.close();
                                stopped.countDown();
                            },
                            "herald-shutdown"));
            LOG.debug("Started in {} ms since JVM main", (System.nanoTime() - startNanos) / 1_000_000);
            stopped.await();
        } catch (ConfigException | StorageNotReadyException e) {
            fail(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Start-up failure", e);
            fail("Herald failed to start: " + e);
        }
    }

    private static void fail(String message) {
        LOG.error(message);
        System.err.println("ERROR " + message);
        System.exit(1);
    }

    static Map<String, String> load(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("The configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("Cannot read the configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }
}
