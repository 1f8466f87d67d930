package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/** KIP-227 fetch sessions: opening, incremental requests and answers, errors, eviction. */
class FetchSessionsTest {
    private static final Uuid TOPIC = Uuid.randomUuid();
    private final AtomicLong now = new AtomicLong(1_000_000);

    private static FetchRequestData request(int sessionId, int epoch, int... partitions) {
        FetchRequestData data = new FetchRequestData().setSessionId(sessionId).setSessionEpoch(epoch);
        if (partitions.length > 0) {
            FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(TOPIC);
            for (int p : partitions) {
                topic.partitions()
                        .add(new FetchRequestData.FetchPartition()
                                .setPartition(p)
                                .setFetchOffset(10L * p)
                                .setPartitionMaxBytes(1024));
            }
            data.topics().add(topic);
        }
        return data;
    }

    /** What a broker would answer for every partition the context reads: the same high watermark unless told. */
    private static FetchResponseData answer(FetchSessions.Context context, long highWatermark, int withRecords) {
        FetchResponseData response = new FetchResponseData();
        for (FetchRequestData.FetchTopic topic : context.topics()) {
            FetchResponseData.FetchableTopicResponse t =
                    new FetchResponseData.FetchableTopicResponse().setTopicId(topic.topicId());
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                t.partitions()
                        .add(new FetchResponseData.PartitionData()
                                .setPartitionIndex(p.partition())
                                .setHighWatermark(highWatermark)
                                .setLastStableOffset(highWatermark)
                                .setLogStartOffset(0)
                                .setRecords(
                                        p.partition() == withRecords
                                                ? MemoryRecords.withRecords(
                                                        Compression.NONE, new SimpleRecord("v".getBytes()))
                                                : MemoryRecords.EMPTY));
            }
            response.responses().add(t);
        }
        return response;
    }

    private static List<Integer> partitionsOf(FetchResponseData response) {
        return response.responses().stream()
                .flatMap(t -> t.partitions().stream())
                .map(FetchResponseData.PartitionData::partitionIndex)
                .toList();
    }

    private static List<Integer> readOrder(FetchSessions.Context context) {
        return context.topics().stream()
                .flatMap(t -> t.partitions().stream())
                .map(FetchRequestData.FetchPartition::partition)
                .toList();
    }

    @Test
    void aFullFetchOpensASessionAndLaterFetchesAnswerOnlyWhatChanged() {
        FetchSessions sessions = new FetchSessions(10, now::get);
        FetchSessions.Context full = sessions.open(request(0, 0, 0, 1, 2), false);
        FetchResponseData first = full.complete(answer(full, 5, -1));
        assertThat(first.sessionId()).isPositive();
        assertThat(partitionsOf(first)).containsExactly(0, 1, 2);

        int id = first.sessionId();
        FetchSessions.Context quiet = sessions.open(request(id, 1), false);
        assertThat(readOrder(quiet)).containsExactly(0, 1, 2); // the session's partitions are read
        FetchResponseData nothing = quiet.complete(answer(quiet, 5, -1));
        assertThat(nothing.sessionId()).isEqualTo(id);
        assertThat(nothing.responses()).isEmpty();

        FetchSessions.Context busy = sessions.open(request(id, 2), false);
        assertThat(partitionsOf(busy.complete(answer(busy, 5, 1)))).containsExactly(1);
        // Partition 1 returned records: it is read last next time, so it cannot starve the others.
        FetchSessions.Context next = sessions.open(request(id, 3), false);
        assertThat(readOrder(next)).containsExactly(0, 2, 1);
        // A moved high watermark is news for every partition, records or not.
        assertThat(partitionsOf(next.complete(answer(next, 6, -1)))).containsExactly(0, 2, 1);
    }

    @Test
    void incrementalRequestsUpdateAndForgetPartitions() {
        FetchSessions sessions = new FetchSessions(10, now::get);
        FetchSessions.Context full = sessions.open(request(0, 0, 0, 1), false);
        int id = full.complete(answer(full, 5, -1)).sessionId();

        FetchRequestData incremental = request(id, 1, 1, 4);
        incremental.topics().get(0).partitions().get(0).setFetchOffset(99);
        incremental
                .forgottenTopicsData()
                .add(new FetchRequestData.ForgottenTopic().setTopicId(TOPIC).setPartitions(List.of(0)));
        FetchSessions.Context context = sessions.open(incremental, false);
        assertThat(readOrder(context)).containsExactly(1, 4);
        assertThat(context.topics().get(0).partitions().get(0).fetchOffset()).isEqualTo(99);
        // Partition 4 is new to the session, so its first answer is news even without records.
        assertThat(partitionsOf(context.complete(answer(context, 5, -1)))).containsExactly(4);
        assertThat(sessions.cachedPartitions()).isEqualTo(2);
    }

    @Test
    void wrongEpochsAndUnknownSessionsAreRequestErrors() {
        FetchSessions sessions = new FetchSessions(10, now::get);
        FetchSessions.Context full = sessions.open(request(0, 0, 0), false);
        int id = full.complete(answer(full, 5, -1)).sessionId();

        FetchSessions.Context stale = sessions.open(request(id, 7), false);
        assertThat(stale.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        FetchResponseData refused = stale.complete(null);
        assertThat(refused.errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
        assertThat(refused.responses()).isEmpty();
        assertThat(sessions.open(request(id + 1, 1), false).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        // The epoch that was refused did not move the session: epoch 1 is still the one it expects.
        assertThat(sessions.open(request(id, 1), false).error()).isEqualTo(Errors.NONE);

        // Epoch -1 closes the session and is answered sessionless.
        FetchSessions.Context closing = sessions.open(request(id, -1, 0), false);
        assertThat(closing.complete(answer(closing, 5, -1)).sessionId()).isZero();
        assertThat(sessions.sessionCount()).isZero();
        assertThat(sessions.open(request(id, 2), false).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    @Test
    void aFullCacheEvictsIdleSessionsThenSmallConsumerSessionsElseAnswersSessionless() {
        FetchSessions sessions = new FetchSessions(2, now::get);
        FetchSessions.Context a = sessions.open(request(0, 0, 0, 1, 2), false);
        int idA = a.complete(answer(a, 5, -1)).sessionId();
        now.addAndGet(1000);
        FetchSessions.Context b = sessions.open(request(0, 0, 0), false);
        int idB = b.complete(answer(b, 5, -1)).sessionId();

        // Full and nobody idle: a consumer session no bigger than the smallest gets none.
        FetchSessions.Context c = sessions.open(request(0, 0, 0), false);
        assertThat(c.complete(answer(c, 5, -1)).sessionId()).isZero();
        // A follower's session takes the smallest consumer session's place.
        FetchSessions.Context follower = sessions.open(request(0, 0, 0), true);
        assertThat(follower.complete(answer(follower, 5, -1)).sessionId()).isPositive();
        assertThat(sessions.open(request(idB, 1), false).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

        // Once a session has been idle for the eviction time, any new session may take its place.
        now.addAndGet(FetchSessions.EVICTION_IDLE_MS);
        FetchSessions.Context d = sessions.open(request(0, 0, 0), false);
        assertThat(d.complete(answer(d, 5, -1)).sessionId()).isPositive();
        assertThat(sessions.open(request(idA, 1), false).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(sessions.sessionCount()).isEqualTo(2);
    }

    @Test
    void noSlotsMeansEveryFetchIsSessionless() {
        FetchSessions sessions = new FetchSessions(0, now::get);
        FetchSessions.Context full = sessions.open(request(0, 0, 0), false);
        assertThat(full.complete(answer(full, 5, -1)).sessionId()).isZero();
        assertThat(sessions.sessionCount()).isZero();
    }
}
