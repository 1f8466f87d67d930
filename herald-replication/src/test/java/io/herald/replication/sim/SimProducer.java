package io.herald.replication.sim;

import io.herald.metadata.PartitionRegistration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * An acks=all producer: sends batches of 1-3 unique values to the broker it believes leads (its metadata can be
 * stale, so it also hits deposed leaders and followers), refreshes metadata periodically and after an error. Records
 * count as acknowledged when the leader acknowledges them (the checker hears it then), which is stricter than when
 * the answer arrives.
 */
final class SimProducer implements SimWorld.Node {
    static final int ID = 2000;

    private final SimWorld world;
    private boolean producing = true;
    private int leaderView = PartitionRegistration.NO_LEADER;
    private long requestSeq;
    private long nextValue = 1;
    int acks;
    int errors;

    SimProducer(SimWorld world) {
        this.world = world;
    }

    @Override
    public boolean alive() {
        return true;
    }

    void start() {
        refreshMetadata();
        world.schedule(1 + world.random.nextInt(30), "producer send", this::produce);
    }

    void stop() {
        producing = false;
    }

    private void refreshMetadata() {
        if (!producing) {
            return;
        }
        world.send(ID, SimController.ID, new Message.MetadataRequest());
        world.schedule(200, "producer metadata", this::refreshMetadata);
    }

    private void produce() {
        if (!producing) {
            return;
        }
        if (leaderView != PartitionRegistration.NO_LEADER) {
            int count = 1 + world.random.nextInt(3);
            List<Long> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(nextValue++);
            }
            world.send(ID, leaderView, new Message.Produce(++requestSeq, values));
        }
        world.schedule(5 + world.random.nextInt(40), "producer send", this::produce);
    }

    @Override
    public void receive(int from, Message message) {
        switch (message) {
            case Message.PartitionState state -> leaderView = state.partition().leader();
            case Message.ProduceResponse response -> {
                if (response.error() == Errors.NONE) {
                    acks++;
                } else {
                    errors++;
                    if (response.error() == Errors.NOT_LEADER_OR_FOLLOWER) {
                        world.send(ID, SimController.ID, new Message.MetadataRequest());
                    }
                }
            }
            default -> throw new IllegalStateException("producer got " + message);
        }
    }
}
