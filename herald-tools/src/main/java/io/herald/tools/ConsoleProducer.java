package io.herald.tools;

import io.herald.tools.producer.LineRecordReader;
import io.herald.tools.producer.ProducerOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code kafka-console-producer.sh}: sends each stdin line as a record (see {@link LineRecordReader}), prompting with
 * {@code >} only on a terminal; at end of input it flushes, closes and exits 0.
 */
public final class ConsoleProducer {
    private ConsoleProducer() {}

    public static void main(String[] args) {
        ToolLogging.init();
        Function<Properties, Producer<byte[], byte[]>> factory = props -> {
            var producer = new KafkaProducer<byte[], byte[]>(props);
            // On Ctrl-C, still deliver what was typed so far.
            Runtime.getRuntime().addShutdownHook(new Thread(producer::close, "producer-shutdown-hook"));
            return producer;
        };
        System.exit(run(args, System.in, System.console() != null, System.out, System.err, factory));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, System.console() != null, out, err, KafkaProducer::new);
    }

    /** In-process entry point: input, whether to prompt, and the producer factory are the caller's. */
    public static int run(
            String[] args,
            InputStream in,
            boolean prompt,
            PrintStream out,
            PrintStream err,
            Function<Properties, Producer<byte[], byte[]>> factory) {
        return ToolRunner.run(err, () -> {
            ProducerOptions opts = ProducerOptions.parse(args, out);
            var reader = new LineRecordReader(opts.topic(), opts.readerProps());
            try (Producer<byte[], byte[]> producer = factory.apply(opts.producerProps())) {
                var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                while (true) {
                    if (prompt) {
                        out.print(">");
                        out.flush();
                    }
                    String line = lines.readLine();
                    if (line == null) {
                        break;
                    }
                    ProducerRecord<byte[], byte[]> record = reader.toRecord(line);
                    if (opts.sync()) {
                        producer.send(record).get();
                    } else {
                        producer.send(record, (metadata, e) -> {
                            if (e != null) {
                                err.println(sendError(record, e));
                            }
                        });
                    }
                }
                producer.flush();
            }
            return 0;
        });
    }

    /** Kafka's one-line report of a failed asynchronous send. */
    static String sendError(ProducerRecord<byte[], byte[]> record, Exception e) {
        return "Error when sending message to topic " + record.topic() + " with key: " + size(record.key())
                + ", value: " + size(record.value()) + " with error: " + ToolRunner.message(e);
    }

    private static String size(byte[] bytes) {
        return bytes == null ? "null" : bytes.length + " bytes";
    }
}
