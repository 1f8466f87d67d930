package io.herald.replication.sim;

import io.herald.metadata.PartitionRegistration;
import io.herald.replication.LeaderState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One seeded schedule: a partition replicated on 3 or 5 brokers with a controller and an acks=all producer, a fault
 * phase (crashes and restarts, links cut and healed, on a network that delays, drops, duplicates and reorders) and
 * then a heal phase (every broker up, a clean network, no new writes) that must converge: one leader, the whole
 * replica set in sync, every acknowledged record read by a consumer. The checker runs after every step.
 */
final class ReplicationSimulation {
    /** What a schedule ended with; {@code violation} is null when every invariant held. */
    record Result(
            long seed,
            SimConfig config,
            String violation,
            List<SimWorld.Event> trace,
            long steps,
            int acknowledged,
            int elrElections,
            String finalState) {
        boolean ok() {
            return violation == null;
        }

        String report() {
            StringBuilder out = new StringBuilder();
            out.append("seed ")
                    .append(seed)
                    .append(": ")
                    .append(violation == null ? "ok" : "VIOLATION " + violation)
                    .append("\n  ")
                    .append(config)
                    .append("\n  ")
                    .append(steps)
                    .append(" steps, ")
                    .append(acknowledged)
                    .append(" records acked")
                    .append("\n  last ")
                    .append(trace.size())
                    .append(" steps:\n");
            trace.forEach(event -> out.append("    ").append(event).append('\n'));
            out.append("  state:\n").append(finalState);
            return out.toString();
        }
    }

    private final long seed;
    private final SimConfig config;
    private final SimWorld world;
    private final Checker checker;
    private final List<SimBroker> brokers = new ArrayList<>();
    private final SimController controller;
    private final SimProducer producer;
    private final long faultEndMs;
    private boolean converged;

    private ReplicationSimulation(long seed, SimConfig config, int traceLength) {
        this.seed = seed;
        this.config = config;
        this.world = new SimWorld(seed, traceLength);
        world.dropRate = config.dropRate();
        world.duplicateRate = config.duplicateRate();
        world.maxDelayMs = config.maxDelayMs();
        this.checker = new Checker(world);
        List<Integer> replicas = new ArrayList<>();
        for (int i = 0; i < config.brokers(); i++) {
            SimBroker broker = new SimBroker(i, world, config, checker);
            brokers.add(broker);
            world.register(i, broker);
            replicas.add(i);
        }
        Collections.shuffle(replicas, world.random);
        PartitionRegistration initial = new PartitionRegistration(replicas, replicas, replicas.get(0), 0, 0);
        this.controller = new SimController(world, config, checker, initial);
        world.register(SimController.ID, controller);
        this.producer = new SimProducer(world);
        world.register(SimProducer.ID, producer);
        checker.bind(brokers, controller);
        this.faultEndMs = config.faultPhaseMs();
    }

    /** Reruns one seed outside Maven: {@code seed [brokers [traceLength [BROKEN_RULE...]]]}. */
    public static void main(String[] args) {
        Set<SimConfig.Broken> broken = java.util.EnumSet.noneOf(SimConfig.Broken.class);
        for (int i = 3; i < args.length; i++) {
            broken.add(SimConfig.Broken.valueOf(args[i]));
        }
        Result result = run(
                Long.parseLong(args[0]),
                args.length > 1 ? Integer.parseInt(args[1]) : 3,
                broken,
                args.length > 2 ? Integer.parseInt(args[2]) : 200);
        System.out.println(result.report());
    }

    static Result run(long seed, int brokerCount, Set<SimConfig.Broken> broken, int traceLength) {
        return new ReplicationSimulation(seed, SimConfig.random(seed, brokerCount, broken), traceLength).run();
    }

    private Result run() {
        String violation = null;
        try {
            controller.start();
            brokers.forEach(SimBroker::start);
            producer.start();
            world.schedule(100, "chaos", this::chaos);
            world.schedule(50, "consumer", this::consume);
            while (world.step(faultEndMs)) {
                checker.afterStep();
            }
            heal();
            long deadline = faultEndMs + config.healBudgetMs();
            while (!converged && world.step(deadline)) {
                checker.afterStep();
            }
            if (!converged) {
                Checker.fail("no convergence within " + config.healBudgetMs() + " ms after healing");
            }
            checker.finalRead(brokers.get(controller.partition().leader()));
        } catch (Checker.Violation e) {
            violation = e.getMessage();
        } catch (RuntimeException e) {
            violation = "exception " + e;
        }
        return new Result(
                seed,
                config,
                violation,
                world.trace(),
                world.steps(),
                checker.acknowledgedCount(),
                checker.elrElections(),
                state());
    }

    private String state() {
        return "    " + controller.partition() + "\n"
                + brokers.stream().map(b -> "    " + b).collect(Collectors.joining("\n"));
    }

    /** One fault now and then: a crash (restarted later), or cut links (healed later). */
    private void chaos() {
        if (world.nowMs() >= faultEndMs) {
            return;
        }
        double roll = world.random.nextDouble() * (config.crashWeight() + config.partitionWeight() + 0.3);
        SimBroker victim = brokers.get(world.random.nextInt(brokers.size()));
        long durationMs = 20 + world.random.nextInt(1_500);
        if (roll < config.crashWeight()) {
            if (victim.alive()) {
                world.note("FAULT crash " + SimWorld.name(victim.id) + " for " + durationMs + " ms");
                victim.crash();
                world.schedule(durationMs, "restart " + SimWorld.name(victim.id), () -> restart(victim));
            }
        } else if (roll < config.crashWeight() + config.partitionWeight()) {
            List<Integer> peers = new ArrayList<>();
            int kind = world.random.nextInt(5);
            switch (kind) {
                case 0, 3 -> { // isolated from everyone (3: it still hears them, they do not hear it)
                    peers.add(SimController.ID);
                    brokers.stream().filter(b -> b != victim).forEach(b -> peers.add(b.id));
                }
                case 1, 4 -> peers.add(SimController.ID); // cut off from the controller (4: it sends, hears nothing)
                default -> { // one link between brokers
                    SimBroker other = brokers.get(world.random.nextInt(brokers.size()));
                    if (other != victim) {
                        peers.add(other.id);
                    }
                }
            }
            boolean outgoing = kind != 4;
            boolean incoming = kind != 3;
            world.note("FAULT cut " + SimWorld.name(victim.id)
                    + (incoming && outgoing ? " from " : incoming ? " (deaf) from " : " (mute) to ")
                    + peers.stream().map(SimWorld::name).toList() + " for " + durationMs + " ms");
            peers.forEach(peer -> cut(victim.id, peer, outgoing, incoming, true));
            world.schedule(
                    durationMs,
                    "heal " + SimWorld.name(victim.id),
                    () -> peers.forEach(peer -> cut(victim.id, peer, outgoing, incoming, false)));
        }
        world.schedule(50 + world.random.nextInt(400), "chaos", this::chaos);
    }

    private void cut(int victim, int peer, boolean outgoing, boolean incoming, boolean cut) {
        if (outgoing) {
            if (cut) {
                world.cut(victim, peer);
            } else {
                world.heal(victim, peer);
            }
        }
        if (incoming) {
            if (cut) {
                world.cut(peer, victim);
            } else {
                world.heal(peer, victim);
            }
        }
    }

    private void restart(SimBroker broker) {
        if (!broker.alive()) {
            broker.restart();
        }
    }

    /** Reads from a broker that acts as leader, as a consumer with possibly stale metadata would. */
    private void consume() {
        List<SimBroker> leaders =
                brokers.stream().filter(b -> b.leaderState() != null).toList();
        if (!leaders.isEmpty()) {
            checker.consumeFrom(leaders.get(world.random.nextInt(leaders.size())));
        }
        world.schedule(50, "consumer", this::consume);
    }

    private void heal() {
        world.note("HEAL: all links, all brokers up, clean network, producer stops");
        world.healAll();
        world.dropRate = 0;
        world.duplicateRate = 0;
        producer.stop();
        brokers.forEach(this::restart);
        world.schedule(100, "convergence check", this::checkConverged);
    }

    private void checkConverged() {
        PartitionRegistration partition = controller.partition();
        converged = partition.leader() != PartitionRegistration.NO_LEADER
                && partition.isr().size() == partition.replicas().size()
                && converged(brokers.get(partition.leader()), partition);
        if (!converged) {
            world.schedule(100, "convergence check", this::checkConverged);
        }
    }

    private boolean converged(SimBroker leader, PartitionRegistration partition) {
        LeaderState state = leader.leaderState();
        if (state == null || state.leaderEpoch() != partition.leaderEpoch()) {
            return false;
        }
        long end = leader.log.logEndOffset();
        if (leader.log.highWatermark() != end) {
            return false;
        }
        for (SimBroker broker : brokers) {
            if (broker.view() == null
                    || broker.view().partitionEpoch() != partition.partitionEpoch()
                    || broker.log.logEndOffset() != end) {
                return false;
            }
        }
        return true;
    }
}
