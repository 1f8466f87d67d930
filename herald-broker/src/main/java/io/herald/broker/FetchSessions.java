package io.herald.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Incremental fetch sessions (KIP-227). A client opens a session with a full fetch (epoch 0); the broker remembers the
 * partitions and their fetch positions under a session id, and later requests (epoch 1, 2, ...) carry only the
 * partitions whose position changed, plus the ones to forget. Answers to those carry only partitions with something
 * to say: records, an error, a moved high watermark, last stable offset or log start, a diverging epoch or a leader
 * hint. With thousands of partitions neither side sends the idle ones again.
 *
 * <p>At most {@code max.incremental.fetch.session.cache.slots} sessions are held. When the cache is full a new
 * session takes the place of the least recently used one idle for longer than {@link #EVICTION_IDLE_MS}; failing
 * that, of the smallest consumer session, if the new one is a follower's or holds more partitions (KIP-227's rules,
 * which favour the sessions that save the most). Otherwise it is answered sessionless (id 0: the client then sends
 * full requests, which is always correct). Partitions that returned records move to the end of their session's
 * order, so one busy partition cannot take a whole response's byte budget every time.
 *
 * <p>Thread-safe: one lock over the cache; a session's own state is only touched under it.
 */
final class FetchSessions {
    static final int DEFAULT_SLOTS = 1000;
    static final long EVICTION_IDLE_MS = 120_000;
    private static final int INITIAL_EPOCH = 0;
    private static final int FINAL_EPOCH = -1;

    private final int maxSessions;
    private final LongSupplier nowMs;
    private final LinkedHashMap<Integer, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private int cachedPartitions;

    FetchSessions(int maxSessions, LongSupplier nowMs) {
        this.maxSessions = Math.max(0, maxSessions);
        this.nowMs = nowMs;
    }

    /** The cache a broker configured with {@code properties} keeps ({@code max.incremental.fetch.session.cache.slots}). */
    static FetchSessions from(Map<String, String> properties) {
        String slots = properties.get("max.incremental.fetch.session.cache.slots");
        int max = DEFAULT_SLOTS;
        if (slots != null) {
            try {
                max = Integer.parseInt(slots.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "Invalid value " + slots + " for configuration max.incremental.fetch.session.cache.slots:"
                                + " Not a number of type INT");
            }
        }
        return new FetchSessions(max, System::currentTimeMillis);
    }

    /** A partition as a session knows it: the key (topic id or name, and index) and what the client last asked. */
    private static final class Cached {
        final Uuid topicId;
        final String topic;
        final FetchRequestData.FetchPartition request;
        long highWatermark = -1;
        long lastStableOffset = -1;
        long logStartOffset = -1;

        Cached(Uuid topicId, String topic, FetchRequestData.FetchPartition request) {
            this.topicId = topicId;
            this.topic = topic;
            this.request = request;
        }
    }

    private record Key(Uuid topicId, String topic, int partition) {}

    private static final class Session {
        final int id;
        final boolean follower;
        final boolean usesTopicIds;
        final LinkedHashMap<Key, Cached> partitions = new LinkedHashMap<>();
        int epoch = 1; // the epoch the next request must carry
        long lastUsedMs;

        Session(int id, boolean follower, boolean usesTopicIds, long now) {
            this.id = id;
            this.follower = follower;
            this.usesTopicIds = usesTopicIds;
            this.lastUsedMs = now;
        }
    }

    /**
     * What one Fetch request reads and how its answer is cut. {@link #topics()} lists the partitions to read, in the
     * order to read them; {@link #complete} turns the full answer into what goes on the wire.
     */
    interface Context {
        /** A request-level error (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, ...), or NONE. */
        default Errors error() {
            return Errors.NONE;
        }

        /** The partitions to read: the request's own, or the session's after this request's changes. */
        List<FetchRequestData.FetchTopic> topics();

        /**
         * Sets the session id on {@code full} (the answer for every partition of {@link #topics()}) and, for an
         * incremental fetch, leaves out the partitions with nothing new. Call once, when the answer is final.
         */
        FetchResponseData complete(FetchResponseData full);
    }

    /** Opens, continues or closes the request's session. */
    Context open(FetchRequestData request, boolean follower) {
        int sessionId = request.sessionId();
        int epoch = request.sessionEpoch();
        synchronized (this) {
            if (epoch == FINAL_EPOCH || epoch == INITIAL_EPOCH) {
                if (sessionId != 0) {
                    remove(sessionId);
                }
                if (epoch == FINAL_EPOCH) {
                    return new Sessionless(request.topics());
                }
                Session created = create(request, follower);
                return created == null ? new Sessionless(request.topics()) : new Full(request.topics(), created);
            }
            Session session = sessions.get(sessionId);
            if (session == null) {
                return new Failed(Errors.FETCH_SESSION_ID_NOT_FOUND);
            }
            if (session.epoch != epoch) {
                return new Failed(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            if (usesTopicIds(request) != session.usesTopicIds
                    && !request.topics().isEmpty()) {
                return new Failed(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
            }
            update(session, request);
            session.epoch = nextEpoch(session.epoch);
            session.lastUsedMs = nowMs.getAsLong();
            return new Incremental(session);
        }
    }

    synchronized int sessionCount() {
        return sessions.size();
    }

    synchronized int cachedPartitions() {
        return cachedPartitions;
    }

    private static int nextEpoch(int epoch) {
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    private static boolean usesTopicIds(FetchRequestData request) {
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            return !Uuid.ZERO_UUID.equals(topic.topicId());
        }
        return false;
    }

    private Session create(FetchRequestData request, boolean follower) {
        int size = 0;
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            size += topic.partitions().size();
        }
        long now = nowMs.getAsLong();
        if (!makeRoom(size, follower, now)) {
            return null;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        Session session = new Session(id, follower, usesTopicIds(request), now);
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                put(session, topic, p);
            }
        }
        sessions.put(id, session);
        return session;
    }

    /** Whether a new session of {@code size} partitions may be cached, evicting one if the cache is full. */
    private boolean makeRoom(int size, boolean follower, long now) {
        if (maxSessions == 0) {
            return false;
        }
        if (sessions.size() < maxSessions) {
            return true;
        }
        Session oldest = sessions.values().iterator().next();
        if (now - oldest.lastUsedMs >= EVICTION_IDLE_MS) {
            remove(oldest.id);
            return true;
        }
        Session smallest = null;
        for (Session s : sessions.values()) {
            if (!s.follower && (smallest == null || s.partitions.size() < smallest.partitions.size())) {
                smallest = s;
            }
        }
        if (smallest != null && (follower || size > smallest.partitions.size())) {
            remove(smallest.id);
            return true;
        }
        return false;
    }

    private void remove(int sessionId) {
        Session gone = sessions.remove(sessionId);
        if (gone != null) {
            cachedPartitions -= gone.partitions.size();
        }
    }

    private void put(Session session, FetchRequestData.FetchTopic topic, FetchRequestData.FetchPartition p) {
        Key key = new Key(topic.topicId(), topic.topic(), p.partition());
        Cached previous = session.partitions.get(key);
        Cached next = new Cached(topic.topicId(), topic.topic(), p);
        if (previous != null) {
            next.highWatermark = previous.highWatermark;
            next.lastStableOffset = previous.lastStableOffset;
            next.logStartOffset = previous.logStartOffset;
            session.partitions.put(key, next); // keeps its place in the order
        } else {
            session.partitions.put(key, next);
            cachedPartitions++;
        }
    }

    private void update(Session session, FetchRequestData request) {
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                put(session, topic, p);
            }
        }
        for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
            for (int partition : forgotten.partitions()) {
                if (session.partitions.remove(new Key(forgotten.topicId(), forgotten.topic(), partition)) != null) {
                    cachedPartitions--;
                }
            }
        }
    }

    /** A request without a session (epoch -1, or no room for one): read and answer everything, session id 0. */
    private record Sessionless(List<FetchRequestData.FetchTopic> topics) implements Context {
        @Override
        public FetchResponseData complete(FetchResponseData full) {
            return full.setSessionId(0);
        }
    }

    private record Failed(Errors error) implements Context {
        @Override
        public List<FetchRequestData.FetchTopic> topics() {
            return List.of();
        }

        @Override
        public FetchResponseData complete(FetchResponseData full) {
            return new FetchResponseData().setErrorCode(error.code()).setSessionId(0);
        }
    }

    /** The full fetch that opened a session: every partition is answered, and the session learns what was sent. */
    private final class Full implements Context {
        private final List<FetchRequestData.FetchTopic> topics;
        private final Session session;

        Full(List<FetchRequestData.FetchTopic> topics, Session session) {
            this.topics = topics;
            this.session = session;
        }

        @Override
        public List<FetchRequestData.FetchTopic> topics() {
            return topics;
        }

        @Override
        public FetchResponseData complete(FetchResponseData full) {
            synchronized (FetchSessions.this) {
                forEachAnswer(session, full, (cached, answer) -> {
                    remember(cached, answer);
                    return true;
                });
            }
            return full.setSessionId(session.id);
        }
    }

    /** A later fetch of a session: reads the session's partitions, answers only those with news. */
    private final class Incremental implements Context {
        private final Session session;
        private final List<FetchRequestData.FetchTopic> topics;

        Incremental(Session session) {
            this.session = session;
            this.topics = new ArrayList<>();
            FetchRequestData.FetchTopic current = null;
            for (Cached cached : session.partitions.values()) {
                if (current == null
                        || !Objects.equals(current.topicId(), cached.topicId)
                        || !Objects.equals(current.topic(), cached.topic)) {
                    current = new FetchRequestData.FetchTopic()
                            .setTopic(cached.topic)
                            .setTopicId(cached.topicId);
                    topics.add(current);
                }
                current.partitions().add(cached.request);
            }
        }

        @Override
        public List<FetchRequestData.FetchTopic> topics() {
            return topics;
        }

        @Override
        public FetchResponseData complete(FetchResponseData full) {
            List<Key> served = new ArrayList<>();
            synchronized (FetchSessions.this) {
                forEachAnswer(session, full, (cached, answer) -> {
                    boolean news = remember(cached, answer);
                    if (answer.records() != null && answer.records().sizeInBytes() > 0) {
                        served.add(new Key(cached.topicId, cached.topic, cached.request.partition()));
                    }
                    return news;
                });
                for (Key key : served) {
                    Cached moved = session.partitions.remove(key);
                    if (moved != null) {
                        session.partitions.put(key, moved);
                    }
                }
            }
            full.responses().removeIf(t -> t.partitions().isEmpty());
            return full.setSessionId(session.id);
        }
    }

    private interface AnswerFilter {
        /** Whether {@code answer} stays in the response. */
        boolean keep(Cached cached, FetchResponseData.PartitionData answer);
    }

    /** Walks the answer's partitions with their session entries, dropping those the filter refuses. */
    private static void forEachAnswer(Session session, FetchResponseData full, AnswerFilter filter) {
        for (FetchResponseData.FetchableTopicResponse topic : full.responses()) {
            topic.partitions().removeIf(answer -> {
                Cached cached =
                        session.partitions.get(new Key(topic.topicId(), topic.topic(), answer.partitionIndex()));
                return cached != null && !filter.keep(cached, answer);
            });
        }
    }

    /**
     * Records what the client now knows of a partition; returns whether the answer has news for it: records, an
     * error, a moved high watermark, last stable offset or log start offset, a diverging epoch, a preferred read
     * replica or a leader hint. After an error the cached positions are forgotten, so the next answer repeats them.
     */
    private static boolean remember(Cached cached, FetchResponseData.PartitionData answer) {
        boolean news = answer.records() != null && answer.records().sizeInBytes() > 0;
        if (answer.errorCode() != Errors.NONE.code()) {
            cached.highWatermark = -1;
            cached.lastStableOffset = -1;
            cached.logStartOffset = -1;
            return true;
        }
        if (answer.highWatermark() != cached.highWatermark) {
            cached.highWatermark = answer.highWatermark();
            news = true;
        }
        if (answer.lastStableOffset() != cached.lastStableOffset) {
            cached.lastStableOffset = answer.lastStableOffset();
            news = true;
        }
        if (answer.logStartOffset() != cached.logStartOffset) {
            cached.logStartOffset = answer.logStartOffset();
            news = true;
        }
        return news
                || answer.divergingEpoch().epoch() >= 0
                || answer.preferredReadReplica() >= 0
                || answer.currentLeader().leaderId() >= 0;
    }

    /** Used by tests and logs: the partitions a session holds, keyed by "topic-partition". */
    synchronized Map<String, Long> positions(int sessionId) {
        Session session = sessions.get(sessionId);
        Map<String, Long> out = new LinkedHashMap<>();
        if (session != null) {
            session.partitions
                    .values()
                    .forEach(c -> out.put(
                            (c.topic == null || c.topic.isEmpty() ? c.topicId.toString() : c.topic) + "-"
                                    + c.request.partition(),
                            c.request.fetchOffset()));
        }
        return out;
    }
}
