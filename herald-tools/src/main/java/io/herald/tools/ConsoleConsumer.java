package io.herald.tools;

import io.herald.tools.consumer.ConsumerLoop;
import io.herald.tools.consumer.ConsumerOptions;
import io.herald.tools.consumer.RecordFormatter;
import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code kafka-console-consumer.sh}: prints records from a topic, a topic pattern or one partition in Kafka's default
 * message format, and reports {@code Processed a total of N messages} on stderr when it stops.
 */
public final class ConsoleConsumer {
    private ConsoleConsumer() {}

    public static void main(String[] args) {
        ToolLogging.init();
        var done = new CountDownLatch(1);
        Consumer<ConsumerLoop> onStart = loop -> Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (done.getCount() == 0) {
                                return; // a normal exit: the loop already finished and closed the consumer
                            }
                            // Ctrl-C: stop the poll, then let the loop print its summary and close the consumer.
                            try {
                                loop.wakeup();
                                done.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                // The consumer closed meanwhile; nothing left to stop.
                            }
                        },
                        "console-consumer-shutdown-hook"));
        int code;
        try {
            code = run(args, System.out, System.err, KafkaConsumer::new, onStart);
        } finally {
            done.countDown();
        }
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, KafkaConsumer::new, loop -> {});
    }

    /** In-process entry point with a chosen consumer factory; {@code onStart} sees the loop (e.g. to stop it). */
    public static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            Function<Properties, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> factory,
            Consumer<ConsumerLoop> onStart) {
        return ToolRunner.run(err, () -> {
            ConsumerOptions opts = ConsumerOptions.parse(args, out);
            var formatter = new RecordFormatter(opts.formatterProps());
            try (var consumer = factory.apply(opts.consumerProps())) {
                var loop = new ConsumerLoop(consumer, opts, formatter, out, err);
                onStart.accept(loop);
                loop.run();
            }
            return 0;
        });
    }
}
