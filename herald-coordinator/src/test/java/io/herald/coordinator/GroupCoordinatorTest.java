package io.herald.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.common.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime around the shards: routing, loading by replay, write-before-reply, unloading. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCoordinatorTest {
    /** Partitions as lists of records; a replay can be held back to observe the loading state. */
    private static final class MemoryStore implements PartitionStore {
        final Map<Integer, List<GroupRecord>> logs = new HashMap<>();
        volatile CountDownLatch replayGate = new CountDownLatch(0);
        volatile boolean failAppends;
        /** Holds appends (and so the coordinator thread) back, to queue events behind one. */
        volatile CountDownLatch appendGate = new CountDownLatch(0);
        /** What replicated() answers: the test completes it when "the followers" have the writes. */
        volatile CompletableFuture<Void> replication = CompletableFuture.completedFuture(null);

        @Override
        public java.util.concurrent.CompletionStage<Void> replicated(int partition) {
            return replication;
        }

        @Override
        public void append(int partition, List<GroupRecord> records) {
            try {
                appendGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failAppends) {
                throw new NotCoordinatorException("lost leadership");
            }
            synchronized (this) {
                logs.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(records);
            }
        }

        @Override
        public void replay(int partition, Consumer<GroupRecord> sink) {
            try {
                replayGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<GroupRecord> copy;
            synchronized (this) {
                copy = List.copyOf(logs.getOrDefault(partition, List.of()));
            }
            copy.forEach(sink);
        }
    }

    private static final TopicsView NO_TOPICS = new TopicsView() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return Optional.empty();
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
    private final GroupConfig config = ShardHarness.config(0);
    private final List<GroupCoordinator> started = new ArrayList<>();

    private GroupCoordinator coordinator() {
        GroupCoordinator c = new GroupCoordinator(config, new ManualClock(1_000), store, NO_TOPICS);
        started.add(c);
        return c;
    }

    @AfterEach
    void close() {
        started.forEach(GroupCoordinator::close);
    }

    private static OffsetCommitRequestData simpleCommit(String group, long offset) {
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId(group)
                .setGenerationIdOrMemberEpoch(-1)
                .setMemberId("");
        data.topics()
                .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("t")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(offset))));
        return data;
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    /** Repeats a request until the shard has loaded: until then it is answered COORDINATOR_LOAD_IN_PROGRESS. */
    private static void awaitLoaded(java.util.function.Supplier<CompletableFuture<?>> request) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                request.get().get(10, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(CoordinatorLoadInProgressException.class);
                return false;
            }
        });
    }

    @Test
    void aGroupOfAPartitionNotLedHereIsNotCoordinatedHere() {
        GroupCoordinator c = coordinator();
        assertThat(failure(c.commitOffsets(simpleCommit("g", 1), (short) 8)))
                .isInstanceOf(NotCoordinatorException.class);
    }

    @Test
    void requestsWaitForTheLoadThenSeeWhatWasReplayed() throws Exception {
        GroupCoordinator first = coordinator();
        first.becameLeader(0);
        awaitLoaded(() -> first.commitOffsets(simpleCommit("g", 42), (short) 8));
        assertThat(store.logs.get(0)).isNotEmpty(); // written before the reply
        first.resigned(0);
        assertThat(failure(first.commitOffsets(simpleCommit("g", 43), (short) 8)))
                .isInstanceOf(NotCoordinatorException.class);

        store.replayGate = new CountDownLatch(1);
        GroupCoordinator second = coordinator();
        second.becameLeader(0);
        assertThat(failure(second.fetchOffsets("g", null, null, -1)))
                .isInstanceOf(CoordinatorLoadInProgressException.class);
        store.replayGate.countDown();
        awaitLoaded(() -> second.fetchOffsets("g", null, null, -1));
        GroupCoordinator.FetchedOffsets fetched =
                second.fetchOffsets("g", null, null, -1).get(10, TimeUnit.SECONDS);
        assertThat(fetched.error()).isEqualTo(Errors.NONE);
        assertThat(fetched.offsets().get(new TopicPartition("t", 0)).offset()).isEqualTo(42);
    }

    @Test
    void aJoinWaitingWhenTheShardIsUnloadedIsToldToFindTheNewCoordinator() throws Exception {
        ShardHarness h = new ShardHarness(ShardHarness.config(60_000));
        CompletableFuture<JoinGroupResponseData> waiting = h.joinNew("g", "range");
        assertThat(waiting).isNotDone(); // held by the initial rebalance delay
        h.shard.unloaded();
        assertThat(Errors.forCode(waiting.get(1, TimeUnit.SECONDS).errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void membersWhoseFirstJoinsArriveTogetherShareTheFirstGenerationEvenWithNoInitialDelay() throws Exception {
        GroupCoordinator c = coordinator(); // group.initial.rebalance.delay.ms=0
        c.becameLeader(0);
        awaitLoaded(() -> c.commitOffsets(simpleCommit("warm-up", 1), (short) 8));
        store.appendGate = new CountDownLatch(1);
        CompletableFuture<?> holding = c.commitOffsets(simpleCommit("other", 2), (short) 8);
        // JoinGroup v3: no KIP-394 round trip, each join adds its member at once. Both are queued behind the commit.
        CompletableFuture<JoinGroupResponseData> a =
                c.joinGroup(ShardHarness.joinRequest("g", "", null, "range"), (short) 3, "a", "/127.0.0.1");
        CompletableFuture<JoinGroupResponseData> b =
                c.joinGroup(ShardHarness.joinRequest("g", "", null, "range"), (short) 3, "b", "/127.0.0.1");
        store.appendGate.countDown();
        holding.get(10, TimeUnit.SECONDS);

        JoinGroupResponseData first = a.get(10, TimeUnit.SECONDS);
        JoinGroupResponseData second = b.get(10, TimeUnit.SECONDS);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE);
        assertThat(first.generationId()).isEqualTo(1);
        assertThat(second.generationId()).isEqualTo(1);
        assertThat(first.members().size() + second.members().size()).isEqualTo(2); // the leader sees both
    }

    @Test
    void aFailedWriteUnloadsTheShard() throws Exception {
        GroupCoordinator c = coordinator();
        c.becameLeader(0);
        awaitLoaded(() -> c.commitOffsets(simpleCommit("g", 1), (short) 8));
        store.failAppends = true;
        assertThat(failure(c.commitOffsets(simpleCommit("g", 2), (short) 8)))
                .isInstanceOf(NotCoordinatorException.class);
        store.failAppends = false;
        assertThatThrownBy(
                        () -> c.commitOffsets(simpleCommit("g", 3), (short) 8).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NotCoordinatorException.class);
    }

    @Test
    void aCommitIsAnsweredOnlyOnceTheInSyncReplicasHaveIt() throws Exception {
        GroupCoordinator c = coordinator();
        c.becameLeader(0);
        awaitLoaded(() -> c.commitOffsets(simpleCommit("g", 1), (short) 8));
        store.replication = new CompletableFuture<>();
        CompletableFuture<OffsetCommitResponseData> commit = c.commitOffsets(simpleCommit("g", 2), (short) 8);
        // A fetch after it must not see the commit before it is replicated either: it waits behind it.
        CompletableFuture<GroupCoordinator.FetchedOffsets> fetch = c.fetchOffsets("g", null, null, -1);
        await().during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !commit.isDone() && !fetch.isDone());
        store.replication.complete(null);
        assertThat(Errors.forCode(commit.get(10, TimeUnit.SECONDS)
                        .topics()
                        .get(0)
                        .partitions()
                        .get(0)
                        .errorCode()))
                .isEqualTo(Errors.NONE);
        assertThat(fetch.get(10, TimeUnit.SECONDS)
                        .offsets()
                        .values()
                        .iterator()
                        .next()
                        .offset())
                .isEqualTo(2);
    }

    @Test
    void aCommitTheReplicasMissedIsRefusedAsRetriableAndTheNextWaitStartsAfresh() throws Exception {
        GroupCoordinator c = coordinator();
        c.becameLeader(0);
        awaitLoaded(() -> c.commitOffsets(simpleCommit("g", 1), (short) 8));
        store.replication = CompletableFuture.failedFuture(
                new org.apache.kafka.common.errors.CoordinatorNotAvailableException("replicas too slow"));
        assertThat(failure(c.commitOffsets(simpleCommit("g", 2), (short) 8)))
                .isInstanceOf(org.apache.kafka.common.errors.CoordinatorNotAvailableException.class);
        store.replication = CompletableFuture.completedFuture(null); // the followers caught up
        assertThat(c.fetchOffsets("g", null, null, -1).get(10, TimeUnit.SECONDS).error())
                .isEqualTo(Errors.NONE);
    }
}
