package io.herald.tools;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code kafka-run-class.sh CLASS ARGS…}: runs a Kafka tool by its Kafka class name (e.g.
 * {@code org.apache.kafka.tools.GetOffsetShell} or the older {@code kafka.tools.GetOffsetShell}) using Herald's
 * implementation, so scripts written against Kafka keep working; any other class on the class path runs as is.
 */
public final class KafkaRunClass {
    /** Kafka tool classes (simple names, any package) to the Herald tool implementing them. */
    private static final Map<String, Class<?>> TOOLS = Map.ofEntries(
            Map.entry("StorageTool", StorageTool.class),
            Map.entry("TopicCommand", TopicsCommand.class),
            Map.entry("ConsoleProducer", ConsoleProducer.class),
            Map.entry("ConsoleConsumer", ConsoleConsumer.class),
            Map.entry("ConsumerGroupCommand", ConsumerGroupCommand.class),
            Map.entry("GroupsCommand", GroupsCommand.class),
            Map.entry("ConfigCommand", ConfigCommand.class),
            Map.entry("ClusterTool", ClusterTool.class),
            Map.entry("BrokerApiVersionsCommand", BrokerApiVersionsCommand.class),
            Map.entry("GetOffsetShell", GetOffsetShell.class),
            Map.entry("LogDirsCommand", LogDirsCommand.class),
            Map.entry("DeleteRecordsCommand", DeleteRecordsCommand.class),
            Map.entry("LeaderElectionCommand", LeaderElectionCommand.class),
            Map.entry("ReassignPartitionsCommand", ReassignPartitionsCommand.class),
            Map.entry("FeatureCommand", FeatureCommand.class),
            Map.entry("MetadataQuorumCommand", MetadataQuorumCommand.class),
            Map.entry("TransactionsCommand", TransactionsCommand.class),
            Map.entry("AclCommand", AclCommand.class),
            Map.entry("ProducerPerformance", ProducerPerformance.class),
            Map.entry("ConsumerPerformance", ConsumerPerformance.class),
            Map.entry("VerifiableProducer", VerifiableProducer.class),
            Map.entry("VerifiableConsumer", VerifiableConsumer.class),
            Map.entry("EndToEndLatency", EndToEndLatency.class),
            Map.entry("DumpLogSegments", DumpLogSegments.class));

    private KafkaRunClass() {}

    public static void main(String[] rawArgs) throws Throwable {
        String[] args = withoutLauncherFlags(rawArgs);
        if (args.length == 0) {
            System.err.println("USAGE: kafka-run-class.sh [-daemon] [-name servicename] [-loggc] classname [opts]");
            System.exit(1);
        }
        Class<?> target = resolve(args[0]);
        if (target == null) {
            System.err.println("Error: Could not find or load main class " + args[0]);
            System.exit(1);
        }
        Method main = target.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Drops Kafka's launcher flags ({@code -daemon}, {@code -loggc}, {@code -name NAME}) before the class name. */
    static String[] withoutLauncherFlags(String[] args) {
        int i = 0;
        while (i < args.length) {
            if (args[i].equals("-daemon") || args[i].equals("-loggc")) {
                i++;
            } else if (args[i].equals("-name") && i + 1 < args.length) {
                i += 2;
            } else {
                break;
            }
        }
        return Arrays.copyOfRange(args, i, args.length);
    }

    /** In-process use: runs a mapped tool's {@code run}; unknown names are an error. */
    public static int run(String[] rawArgs, PrintStream out, PrintStream err) {
        String[] args = withoutLauncherFlags(rawArgs);
        if (args.length == 0) {
            err.println("USAGE: kafka-run-class.sh [-daemon] [-name servicename] [-loggc] classname [opts]");
            return 1;
        }
        Class<?> target = TOOLS.get(simpleName(args[0]));
        if (target == null) {
            err.println("Error: Could not find or load main class " + args[0]);
            return 1;
        }
        try {
            return (int) target.getMethod("run", String[].class, PrintStream.class, PrintStream.class)
                    .invoke(null, Arrays.copyOfRange(args, 1, args.length), out, err);
        } catch (ReflectiveOperationException e) {
            err.println(ToolRunner.message(e.getCause() == null ? e : e.getCause()));
            return 1;
        }
    }

    /** The Herald tool for a Kafka tool class name, else the named class itself if loadable, else null. */
    static Class<?> resolve(String className) {
        Class<?> tool = TOOLS.get(simpleName(className));
        if (tool != null && (className.startsWith("kafka.") || className.startsWith("org.apache.kafka."))) {
            return tool;
        }
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            return tool;
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
