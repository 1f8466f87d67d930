package io.herald.broker;

import io.herald.coordinator.TxnMarkers;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.network.ProtocolClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a transaction's commit or abort markers: WriteTxnMarkers (v1) to the current leader of each partition, this
 * broker included, over the inter-broker listener. Partitions not yet acknowledged are retried with a backoff, each
 * time on the leader the metadata names then (so a partition whose leader moved goes to the new one), until all are
 * written, the partition's topic is gone, or this broker no longer coordinates the transaction.
 */
final class TxnMarkerSender implements TxnMarkers.Sender, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TxnMarkerSender.class);
    private static final short WRITE_TXN_MARKERS_VERSION = 1;
    private static final long RETRY_BACKOFF_MS = 100;
    private static final long MAX_RETRY_BACKOFF_MS = 2_000;
    private static final long WARN_AFTER_MS = 10_000;

    private final MetadataCache cache;
    private final Function<BrokerRegistration, Optional<InetSocketAddress>> addresses;
    private final BiPredicate<String, Integer> stillCoordinating;
    private final long requestTimeoutMs;
    private final ProtocolClient client;
    private final ScheduledExecutorService retries;

    TxnMarkerSender(
            MetadataCache cache,
            Function<BrokerRegistration, Optional<InetSocketAddress>> addresses,
            BiPredicate<String, Integer> stillCoordinating,
            long requestTimeoutMs,
            ProtocolClient client) {
        this.cache = cache;
        this.addresses = addresses;
        this.stillCoordinating = stillCoordinating;
        this.requestTimeoutMs = requestTimeoutMs;
        this.client = client;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-txn-markers");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void send(TxnMarkers markers, Runnable done) {
        Delivery delivery = new Delivery(markers, done, new HashSet<>(markers.partitions()));
        execute(delivery::attempt);
    }

    private void execute(Runnable task) {
        try {
            retries.execute(task);
        } catch (RejectedExecutionException e) {
            // shutting down: the next coordinator re-sends what is unfinished
        }
    }

    /** One transaction's markers in flight; touched only on the retry thread. */
    private final class Delivery {
        private final TxnMarkers markers;
        private final Runnable done;
        private final Set<TopicPartition> remaining;
        private final long startMs = System.currentTimeMillis();
        private long backoffMs = RETRY_BACKOFF_MS;
        private int inFlight;
        private boolean warned;

        Delivery(TxnMarkers markers, Runnable done, Set<TopicPartition> remaining) {
            this.markers = markers;
            this.done = done;
            this.remaining = remaining;
        }

        void attempt() {
            if (!stillCoordinating.test(markers.transactionalId(), markers.coordinatorEpoch())) {
                LOG.info(
                        "Stopped sending {} markers of {}: this broker no longer coordinates it",
                        kind(),
                        markers.transactionalId());
                return;
            }
            MetadataImage image = cache.image();
            Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
            for (TopicPartition tp : List.copyOf(remaining)) {
                Optional<TopicImage> topic = image.topic(tp.topic());
                PartitionRegistration registration =
                        topic.map(t -> t.partition(tp.partition())).orElse(null);
                if (registration == null) {
                    remaining.remove(tp); // the topic (or partition) is gone: nothing to mark
                } else if (registration.leader() >= 0) {
                    byLeader.computeIfAbsent(registration.leader(), l -> new ArrayList<>())
                            .add(tp);
                }
            }
            if (remaining.isEmpty()) {
                done.run();
                return;
            }
            if (byLeader.isEmpty()) {
                retryLater();
                return;
            }
            inFlight = byLeader.size();
            byLeader.forEach((leader, partitions) -> sendTo(image, leader, partitions));
        }

        private void sendTo(MetadataImage image, int leader, List<TopicPartition> partitions) {
            Optional<InetSocketAddress> address = image.broker(leader).flatMap(addresses);
            if (address.isEmpty()) {
                answered();
                return;
            }
            WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                    .setProducerId(markers.producerId())
                    .setProducerEpoch(markers.producerEpoch())
                    .setTransactionResult(markers.commit())
                    .setCoordinatorEpoch(markers.coordinatorEpoch());
            Map<String, WriteTxnMarkersRequestData.WritableTxnMarkerTopic> topics = new HashMap<>();
            for (TopicPartition tp : partitions) {
                topics.computeIfAbsent(tp.topic(), name -> {
                            WriteTxnMarkersRequestData.WritableTxnMarkerTopic t =
                                    new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(name);
                            marker.topics().add(t);
                            return t;
                        })
                        .partitionIndexes()
                        .add(tp.partition());
            }
            WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
            request.markers().add(marker);
            client.send(address.get(), ApiKeys.WRITE_TXN_MARKERS, WRITE_TXN_MARKERS_VERSION, request, requestTimeoutMs)
                    .whenComplete((response, error) -> execute(() -> {
                        if (error == null) {
                            acknowledged(((WriteTxnMarkersResponse) response).data());
                        } else {
                            LOG.debug("WriteTxnMarkers to broker {} failed: {}", leader, error.toString());
                        }
                        answered();
                    }));
        }

        private void acknowledged(WriteTxnMarkersResponseData data) {
            for (WriteTxnMarkersResponseData.WritableTxnMarkerResult result : data.markers()) {
                for (WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topic : result.topics()) {
                    for (WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult p : topic.partitions()) {
                        TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                        Errors error = Errors.forCode(p.errorCode());
                        switch (error) {
                            // Written, or never to be: a newer producer epoch already fenced this one there.
                            case NONE, INVALID_PRODUCER_EPOCH -> remaining.remove(tp);
                            default -> LOG.debug("Marker for {} of {} not written yet: {}", tp, markers, error);
                        }
                    }
                }
            }
        }

        private void answered() {
            if (--inFlight > 0) {
                return;
            }
            if (remaining.isEmpty()) {
                done.run();
            } else {
                retryLater();
            }
        }

        private void retryLater() {
            if (!warned && System.currentTimeMillis() - startMs > WARN_AFTER_MS) {
                warned = true;
                LOG.warn(
                        "{} markers of {} (producer {} epoch {}) still not written on {} after {} ms; retrying",
                        kind(),
                        markers.transactionalId(),
                        markers.producerId(),
                        markers.producerEpoch(),
                        remaining,
                        System.currentTimeMillis() - startMs);
            }
            long delay = backoffMs;
            backoffMs = Math.min(MAX_RETRY_BACKOFF_MS, backoffMs * 2);
            try {
                retries.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }

        private String kind() {
            return markers.commit() ? "Commit" : "Abort";
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        client.close();
    }
}
