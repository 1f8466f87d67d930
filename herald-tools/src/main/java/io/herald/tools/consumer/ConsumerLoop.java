package io.herald.tools.consumer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
    private Iterator<ConsumerRecord<byte[], byte[]>> pending = Collections.emptyIterator();

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
        long count = 0;
        try {
            start();
            int max = opts.maxMessages();
            while (max < 0 || count < max) {
                ConsumerRecord<byte[], byte[]> record = next();
                if (record == null) {
                    break;
                }
                count++;
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
                    break;
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: fall through to the summary.
        } finally {
            rewindUnprinted();
            out.flush();
            err.println("Processed a total of " + count + " messages");
        }
        return count;
    }

    private void start() {
        if (opts.partition() != null) {
            var tp = new TopicPartition(opts.topic(), opts.partition());
            consumer.assign(List.of(tp));
            long offset = opts.offset();
            if (offset == ConsumerOptions.EARLIEST) {
                consumer.seekToBeginning(List.of(tp));
            } else if (offset == ConsumerOptions.LATEST) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, offset);
            }
        } else if (opts.topic() != null) {
            consumer.subscribe(List.of(opts.topic()));
        } else {
            consumer.subscribe(Pattern.compile(opts.include()));
        }
    }

    /**
     * Moves each partition back to its first fetched but unprinted record, so the offsets the consumer commits on
     * close cover only what was printed (Kafka's console consumer with {@code --max-messages} and a group).
     */
    private void rewindUnprinted() {
        Map<TopicPartition, Long> firstUnprinted = new HashMap<>();
        pending.forEachRemaining(
                r -> firstUnprinted.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset()));
        try {
            firstUnprinted.forEach(consumer::seek);
        } catch (RuntimeException e) {
            // The partition was revoked or the consumer woken meanwhile: nothing left to rewind.
        }
    }

    /** The next record, or null when {@code --timeout-ms} passed without one. */
    private ConsumerRecord<byte[], byte[]> next() {
        long timeout = opts.timeoutMs();
        long start = System.nanoTime();
        while (!pending.hasNext()) {
            pending = consumer.poll(Duration.ofMillis(timeout)).iterator();
            if (!pending.hasNext()
                    && System.nanoTime() - start > Duration.ofMillis(timeout).toNanos()) {
                return null;
            }
        }
        return pending.next();
    }
}
