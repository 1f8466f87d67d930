package io.herald.tools.consumer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Consumes and prints records until {@code --max-messages}, {@code --timeout-ms} without a record, a broken stdout,
 * or {@link #wakeup()} (Ctrl-C), then reports {@code Processed a total of N messages} on stderr as Kafka does.
 */
public final class ConsumerLoop {
    private final Consumer<byte[], byte[]> consumer;
    private final ConsumerOptions opts;
    private final RecordFormatter formatter;
    private final PrintStream out;
    private final PrintStream err;
    /** Records fetched but not printed yet, in fetch order. */
    private final Queue<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();

    public ConsumerLoop(
            Consumer<byte[], byte[]> consumer,
            ConsumerOptions opts,
            RecordFormatter formatter,
            PrintStream out,
            PrintStream err) {
        this.consumer = consumer;
        this.opts = opts;
        this.formatter = formatter;
        this.out = out;
        this.err = err;
    }

    /** Interrupts a blocked poll from another thread (the shutdown hook). */
    public void wakeup() {
        consumer.wakeup();
    }

    /** Runs to completion and returns the number of messages processed. */
    public long run() {
        long printed = 0;
        try {
            attach();
            // --max-messages is -1 (or any negative number) for no limit.
            while (opts.maxMessages() < 0 || printed < opts.maxMessages()) {
                ConsumerRecord<byte[], byte[]> record = next();
                if (record == null) {
                    break;
                }
                printed++;
                if (!print(record)) {
                    break;
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: fall through to the summary.
        } finally {
            rewindUnprinted();
            out.flush();
            err.println("Processed a total of " + printed + " messages");
        }
        return printed;
    }

    /** Prints one record; false when stdout is broken and the loop should stop. */
    private boolean print(ConsumerRecord<byte[], byte[]> record) {
        try {
            formatter.writeTo(record, out);
        } catch (RuntimeException e) {
            if (!opts.skipMessageOnError()) {
                throw e;
            }
            err.println("Error processing message, skipping this message: " + e.getMessage());
        }
        if (out.checkError()) {
            err.println("Unable to write to standard out, closing consumer.");
            return false;
        }
        return true;
    }

    /** Subscribes to the topic or pattern, or assigns the one partition at the starting offset. */
    private void attach() {
        if (opts.partition() == null) {
            if (opts.topic() != null) {
                consumer.subscribe(List.of(opts.topic()));
            } else {
                consumer.subscribe(Pattern.compile(opts.include()));
            }
            return;
        }
        List<TopicPartition> only = List.of(new TopicPartition(opts.topic(), opts.partition()));
        consumer.assign(only);
        long offset = opts.offset();
        if (offset == ConsumerOptions.EARLIEST) {
            consumer.seekToBeginning(only);
        } else if (offset == ConsumerOptions.LATEST) {
            consumer.seekToEnd(only);
        } else {
            consumer.seek(only.getFirst(), offset);
        }
    }

    /**
     * Moves each partition back to its first fetched but unprinted record, so the offsets the consumer commits on
     * close cover only what was printed (Kafka's console consumer with {@code --max-messages} and a group).
     */
    private void rewindUnprinted() {
        Map<TopicPartition, Long> firstUnprinted = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : fetched) {
            firstUnprinted.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        try {
            firstUnprinted.forEach(consumer::seek);
        } catch (RuntimeException e) {
            // The partition was revoked or the consumer woken meanwhile: nothing left to rewind.
        }
    }

    /** The next record, or null once {@code --timeout-ms} passes without one. */
    private ConsumerRecord<byte[], byte[]> next() {
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(opts.timeoutMs());
        long began = System.nanoTime();
        while (fetched.isEmpty()) {
            consumer.poll(Duration.ofMillis(opts.timeoutMs())).forEach(fetched::add);
            if (fetched.isEmpty() && System.nanoTime() - began > waitNanos) {
                return null;
            }
        }
        return fetched.poll();
    }
}
