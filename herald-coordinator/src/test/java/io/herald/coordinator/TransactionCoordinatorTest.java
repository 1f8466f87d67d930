package io.herald.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.protocol.Errors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transaction coordinator on its runtime, over an in-memory log: it answers only for partitions it leads, writes
 * before it answers, and a coordinator that takes over a partition finishes the commit its predecessor decided.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransactionCoordinatorTest {
    private static final TopicPartition DATA = new TopicPartition("data", 0);

    /** One shared log per partition, as replication would give every leader in turn. */
    private static final class MemoryStore implements PartitionStore {
        final Map<Integer, List<GroupRecord>> logs = new HashMap<>();

        @Override
        public synchronized void append(int partition, List<GroupRecord> records) {
            logs.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(records);
        }

        @Override
        public void replay(int partition, Consumer<GroupRecord> sink) {
            List<GroupRecord> copy;
            synchronized (this) {
                copy = List.copyOf(logs.getOrDefault(partition, List.of()));
            }
            copy.forEach(sink);
        }
    }

    private static final TopicsView ONE_PARTITION = new TopicsView() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return Optional.of(new TopicInfo(name, Uuid.ZERO_UUID, 1));
        }

        @Override
        public Optional<TopicInfo> byId(Uuid id) {
            return Optional.empty();
        }

        @Override
        public java.util.Collection<String> names() {
            return List.of();
        }

        @Override
        public long version() {
            return 0;
        }
    };

    private final MemoryStore store = new MemoryStore();
    private final List<TxnMarkers> sent = new CopyOnWriteArrayList<>();
    private final List<TransactionCoordinator> started = new ArrayList<>();

    /** A coordinator whose markers are recorded and never acknowledged (the transaction stays in doubt). */
    private TransactionCoordinator coordinator() {
        TransactionCoordinator c = new TransactionCoordinator(
                TxnConfig.defaults(),
                new ManualClock(1_000),
                store,
                ONE_PARTITION,
                () -> CompletableFuture.completedFuture(42L),
                (markers, done) -> sent.add(markers));
        started.add(c);
        return c;
    }

    @AfterEach
    void close() {
        started.forEach(TransactionCoordinator::close);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void loaded(TransactionCoordinator c) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            c.describe("probe").get();
            return true;
        });
    }

    @Test
    void aNewLeaderFinishesTheCommitItsPredecessorDecided() throws Exception {
        TransactionCoordinator first = coordinator();
        assertThatThrownBy(() -> await(first.initProducerId("tx", 60_000, -1, (short) -1)))
                .hasCauseInstanceOf(NotCoordinatorException.class);
        first.becameLeader(0, 5);
        loaded(first);
        TransactionCoordinator.Result init = await(first.initProducerId("tx", 60_000, -1, (short) -1));
        assertThat(init).isEqualTo(new TransactionCoordinator.Result(Errors.NONE, 42, (short) 0));
        assertThat(await(first.addPartitions("tx", 42, (short) 0, Set.of(DATA), false)))
                .isEqualTo(Errors.NONE);
        assertThat(await(first.endTxn("tx", 42, (short) 0, true, true)))
                .isEqualTo(new TransactionCoordinator.Result(Errors.NONE, 42, (short) 1));
        assertThat(sent).containsExactly(new TxnMarkers("tx", 42, (short) 1, true, 5, Set.of(DATA)));

        // Leadership moves: the old coordinator stops answering, the new one replays the log and sends the markers
        // again under its own coordinator epoch.
        first.resigned(0);
        assertThatThrownBy(() -> await(first.describe("tx"))).hasCauseInstanceOf(NotCoordinatorException.class);
        TransactionCoordinator second = coordinator();
        second.becameLeader(0, 6);
        loaded(second);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 2);
        assertThat(sent.get(1)).isEqualTo(new TxnMarkers("tx", 42, (short) 1, true, 6, Set.of(DATA)));
        assertThat(await(second.describe("tx")).state()).isEqualTo(TxnState.PREPARE_COMMIT);
        assertThat(await(second.initProducerId("tx", 60_000, -1, (short) -1)).error())
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
    }
}
