package io.herald.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The "no acknowledged event lost" check. A producer writes records numbered by a sequence (unique key {@code k<seq>},
 * value {@code <seq>}, partition chosen by the writer), and records in a {@link History} what each send became:
 * acknowledged at an offset, or failed. What a fresh consumer reads back afterwards is then checked against it:
 *
 * <ul>
 *   <li><b>lost</b>: acknowledged, never read back;
 *   <li><b>duplicated</b>: read back more than once;
 *   <li><b>reordered</b>: read back in a partition after a record with a higher sequence number that the same producer
 *       sent to that partition later (one producer writing one partition in sequence order must be read back in it);
 *   <li><b>moved</b>: read back at an offset other than the one its acknowledgement gave (a replica's log diverged);
 *   <li><b>unknown</b>: read back though never sent.
 * </ul>
 *
 * A record whose send failed may or may not be in the log (the write may have happened before the error): either is
 * accepted, once. The check is a pure function, so a unit test can feed it a broken history and see it caught.
 */
final class AckChecker {
    private AckChecker() {}

    /** What the producer sent and heard back; thread-safe, filled from producer callbacks. */
    static final class History {
        private final Map<Long, Integer> sentTo = new ConcurrentHashMap<>();
        private final Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
        private final Map<Long, String> failed = new ConcurrentHashMap<>();

        void sent(long seq, int partition) {
            sentTo.put(seq, partition);
        }

        void acked(long seq, long offset) {
            ackedAt.put(seq, offset);
        }

        void failed(long seq, Exception error) {
            failed.put(seq, error.getClass().getSimpleName());
        }

        int sentCount() {
            return sentTo.size();
        }

        int ackedCount() {
            return ackedAt.size();
        }

        int failedCount() {
            return failed.size();
        }

        /** The failures by exception class, e.g. {NotEnoughReplicasException=3}. */
        Map<String, Long> failureKinds() {
            return failed.values().stream().collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
        }
    }

    /** One record as a consumer read it back. */
    record Read(int partition, long offset, String key, String value) {}

    /** The outcome: empty lists mean every acknowledged record was read back exactly once, in order, where acked. */
    record Report(
            int acked,
            int read,
            List<String> lost,
            List<String> duplicated,
            List<String> reordered,
            List<String> moved,
            List<String> unknown) {
        boolean clean() {
            return lost.isEmpty()
                    && duplicated.isEmpty()
                    && reordered.isEmpty()
                    && moved.isEmpty()
                    && unknown.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(acked + " acknowledged, " + read + " read back");
            append(text, "lost (acknowledged, never read)", lost);
            append(text, "duplicated", duplicated);
            append(text, "reordered", reordered);
            append(text, "moved (read at another offset than acknowledged)", moved);
            append(text, "unknown (read, never sent)", unknown);
            return text.toString();
        }

        private static void append(StringBuilder text, String what, List<String> items) {
            if (!items.isEmpty()) {
                text.append("\n  ")
                        .append(items.size())
                        .append(' ')
                        .append(what)
                        .append(": ")
                        .append(String.join(", ", items.subList(0, Math.min(20, items.size()))));
                if (items.size() > 20) {
                    text.append(", ...");
                }
            }
        }
    }

    static Report check(History history, List<Read> reads) {
        List<String> duplicated = new ArrayList<>();
        List<String> reordered = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<Long, Read> firstRead = new HashMap<>();
        Map<Integer, List<Read>> byPartition =
                reads.stream().collect(Collectors.groupingBy(Read::partition, TreeMap::new, Collectors.toList()));
        for (List<Read> partition : byPartition.values()) {
            partition.sort(Comparator.comparingLong(Read::offset));
            long highest = -1;
            for (Read read : partition) {
                Long seq = sequenceOf(read);
                if (seq == null || !history.sentTo.containsKey(seq)) {
                    unknown.add(describe(read));
                    continue;
                }
                Read earlier = firstRead.putIfAbsent(seq, read);
                if (earlier != null) {
                    duplicated.add("seq " + seq + " at " + where(earlier) + " and " + where(read));
                    continue;
                }
                if (seq < highest) {
                    reordered.add("seq " + seq + " at " + where(read) + " after seq " + highest);
                }
                highest = Math.max(highest, seq);
                Long ackedOffset = history.ackedAt.get(seq);
                int sentPartition = history.sentTo.get(seq);
                if ((ackedOffset != null && ackedOffset != read.offset()) || sentPartition != read.partition()) {
                    moved.add("seq " + seq + " acknowledged at p" + sentPartition + "@" + ackedOffset + ", read at "
                            + where(read));
                }
            }
        }
        List<String> lost = new ArrayList<>();
        Set<Long> lostSeqs = new HashSet<>(history.ackedAt.keySet());
        lostSeqs.removeAll(firstRead.keySet());
        lostSeqs.stream()
                .sorted()
                .forEach(seq -> lost.add(
                        "seq " + seq + " (p" + history.sentTo.get(seq) + "@" + history.ackedAt.get(seq) + ")"));
        return new Report(history.ackedCount(), reads.size(), lost, duplicated, reordered, moved, unknown);
    }

    private static Long sequenceOf(Read read) {
        if (read.key() == null
                || !read.key().startsWith("k")
                || !read.key().substring(1).equals(read.value())) {
            return null;
        }
        try {
            return Long.parseLong(read.value());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String where(Read read) {
        return "p" + read.partition() + "@" + read.offset();
    }

    private static String describe(Read read) {
        return where(read) + " key=" + read.key() + " value=" + read.value();
    }
}
