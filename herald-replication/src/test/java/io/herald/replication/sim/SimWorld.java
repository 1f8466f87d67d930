package io.herald.replication.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * The simulated clock, event queue and network of one schedule. Everything that happens is an event at a simulated
 * time, run one at a time in (time, sequence) order, so a seed fixes the whole run. The network delays every message
 * by a random time (which also reorders them), drops some, duplicates some, and honours cut links (one-way or both ways),
 * checked both when a message is sent and when it would arrive; a message for a node that is down is lost.
 */
final class SimWorld {
    /** Something a node does or receives; {@code what} describes it for the trace (formatted only on failure). */
    record Event(long atMs, long seq, Object what, Runnable action) {
        @Override
        public String toString() {
            return String.format("%7d ms  %s", atMs, what);
        }
    }

    /** A message in flight, as the trace shows it. */
    record Delivery(int from, int to, Message message) {
        @Override
        public String toString() {
            return SimWorld.name(from) + " -> " + SimWorld.name(to) + "  " + message;
        }
    }

    /** A node on the network. */
    interface Node {
        boolean alive();

        void receive(int from, Message message);
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.atMs() != b.atMs() ? Long.compare(a.atMs(), b.atMs()) : Long.compare(a.seq(), b.seq()));
    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private final int traceLength;
    private final Map<Integer, Node> nodes = new HashMap<>();
    private final Set<Long> cutLinks = new HashSet<>();
    final Random random;
    private long nowMs;
    private long seq;
    private long steps;
    double dropRate;
    double duplicateRate;
    int maxDelayMs;

    SimWorld(long seed, int traceLength) {
        this.random = new Random(seed);
        this.traceLength = traceLength;
    }

    long nowMs() {
        return nowMs;
    }

    long steps() {
        return steps;
    }

    void register(int id, Node node) {
        nodes.put(id, node);
    }

    void schedule(long delayMs, Object what, Runnable action) {
        queue.add(new Event(nowMs + delayMs, seq++, what, action));
    }

    /** Runs the next event; false when none is left or the next one is after {@code untilMs}. */
    boolean step(long untilMs) {
        Event next = queue.peek();
        if (next == null || next.atMs() > untilMs) {
            nowMs = Math.max(nowMs, untilMs);
            return false;
        }
        queue.poll();
        nowMs = next.atMs();
        steps++;
        recent.addLast(next);
        if (recent.size() > traceLength) {
            recent.removeFirst();
        }
        next.action().run();
        return true;
    }

    /** The last events run, oldest first. */
    List<Event> trace() {
        return new ArrayList<>(recent);
    }

    /** Adds a line to the trace (a fault, a decision) without scheduling anything. */
    void note(String what) {
        recent.addLast(new Event(nowMs, seq++, what, () -> {}));
        if (recent.size() > traceLength) {
            recent.removeFirst();
        }
    }

    void send(int from, int to, Message message) {
        if (isCut(from, to) || random.nextDouble() < dropRate) {
            return;
        }
        // AlterPartition is never duplicated: over TCP a request arrives once, and a copy still in flight after the
        // leader took a refusal as final could be applied later (see docs/replication-simulation.md).
        boolean duplicable = !(message instanceof Message.AlterPartition);
        int copies = duplicable && random.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            Delivery delivery = new Delivery(from, to, message);
            schedule(1 + random.nextInt(maxDelayMs), delivery, () -> deliver(delivery));
        }
    }

    private void deliver(Delivery delivery) {
        Node node = nodes.get(delivery.to());
        if (node == null || !node.alive() || isCut(delivery.from(), delivery.to())) {
            return;
        }
        node.receive(delivery.from(), delivery.message());
    }

    /** Messages from {@code from} to {@code to} are lost (one direction only: partitions can be asymmetric). */
    void cut(int from, int to) {
        cutLinks.add(link(from, to));
    }

    void heal(int from, int to) {
        cutLinks.remove(link(from, to));
    }

    void healAll() {
        cutLinks.clear();
    }

    boolean isCut(int from, int to) {
        return cutLinks.contains(link(from, to));
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }

    static String name(int id) {
        if (id == SimController.ID) {
            return "controller";
        }
        if (id == SimProducer.ID) {
            return "producer";
        }
        return "b" + id;
    }
}
