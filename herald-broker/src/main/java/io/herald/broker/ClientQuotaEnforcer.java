package io.herald.broker;

import io.herald.metadata.ClientQuotas;
import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.MetricName;
import io.herald.protocol.QuotaRate;
import io.herald.protocol.RequestContext;
import io.herald.protocol.RequestThrottle;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Kafka's client quotas, enforced by throttling (KIP-13, KIP-124, KIP-219): Produce records its request bytes against
 * {@code producer_byte_rate}, a consumer's Fetch its response bytes against {@code consumer_byte_rate}, and every
 * request its handler time against {@code request_percentage} (percent of one thread per window). The quota of a
 * client is looked up in the current metadata image at each request (so changes apply at once); the clients that share
 * a quota share one measurement, keyed by the quota's metric tags. Follower fetches and inter-broker (cluster action)
 * requests are exempt, as in Kafka.
 */
final class ClientQuotaEnforcer implements RequestThrottle {
    static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    static final String REQUEST_PERCENTAGE = "request_percentage";
    private static final long IDLE_EXPIRY_MS = TimeUnit.HOURS.toMillis(1);
    private static final long SWEEP_INTERVAL_MS = TimeUnit.MINUTES.toMillis(1);

    /** The three kinds of client quota, with the MBean type Kafka reports each under. */
    enum QuotaType {
        PRODUCE(PRODUCER_BYTE_RATE, "Produce", "byte-rate"),
        FETCH(CONSUMER_BYTE_RATE, "Fetch", "byte-rate"),
        REQUEST(REQUEST_PERCENTAGE, "Request", "request-time");

        final String key;
        final String metricType;
        final String rateName;

        QuotaType(String key, String metricType, String rateName) {
            this.key = key;
            this.metricType = metricType;
            this.rateName = rateName;
        }
    }

    private record Key(QuotaType type, String user, String clientId) {}

    /** Resolutions of the current image's quotas, so a request does not walk the eight levels each time. */
    private record Resolutions(ClientQuotas quotas, Map<Key, Optional<ClientQuotas.Applied>> byClient) {}

    private static final int MAX_CACHED_RESOLUTIONS = 10_000;

    /** One shared measurement: the rate against the quota and the throttle times it gave. */
    private static final class Sensor {
        final QuotaRate rate;
        final Avg throttleTimes = new Avg();

        Sensor(QuotaRate rate) {
            this.rate = rate;
        }

        synchronized long record(double value, double bound, long nowMs, MetricConfig config) {
            long throttleMs = rate.recordAndThrottleMs(value, bound, nowMs);
            throttleTimes.record(config, throttleMs, nowMs);
            return throttleMs;
        }

        synchronized double throttleTimeAvg(MetricConfig config, long nowMs) {
            double avg = throttleTimes.measure(config, nowMs);
            return Double.isNaN(avg) ? 0 : avg;
        }
    }

    private final Supplier<ClientQuotas> quotas;
    private final HeraldMetrics metrics;
    private final LongSupplier clockMs;
    private final int windowNum;
    private final long windowSizeMs;
    private final MetricConfig config;
    private final Map<Key, Sensor> sensors = new ConcurrentHashMap<>();
    private volatile long lastSweepMs;
    private volatile Resolutions resolutions = new Resolutions(ClientQuotas.EMPTY, new ConcurrentHashMap<>());

    ClientQuotaEnforcer(
            Supplier<ClientQuotas> quotas,
            int windowNum,
            long windowSizeMs,
            HeraldMetrics metrics,
            LongSupplier clockMs) {
        this.quotas = quotas;
        this.metrics = metrics;
        this.clockMs = clockMs;
        this.windowNum = windowNum;
        this.windowSizeMs = windowSizeMs;
        this.config = new MetricConfig().samples(windowNum).timeWindow(windowSizeMs, TimeUnit.MILLISECONDS);
        this.lastSweepMs = clockMs.getAsLong();
    }

    /** With {@code quota.window.num} and {@code quota.window.size.seconds} from the broker's properties. */
    static ClientQuotaEnforcer from(Map<String, String> properties, MetadataCache cache, HeraldMetrics metrics) {
        int windowNum = positive(properties, "quota.window.num", 11);
        int windowSizeSeconds = positive(properties, "quota.window.size.seconds", 1);
        return new ClientQuotaEnforcer(
                () -> cache.image().clientQuotas(),
                windowNum,
                TimeUnit.SECONDS.toMillis(windowSizeSeconds),
                metrics,
                System::currentTimeMillis);
    }

    private static int positive(Map<String, String> properties, String name, int defaultValue) {
        String value = properties.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name, value, "must be an integer of at least 1");
    }

    @Override
    public int throttleMs(RequestContext context, AbstractRequest request, Use use) {
        ClientQuotas current = quotas.get();
        if (current.byEntity().isEmpty() || exempt(context, request)) {
            return 0;
        }
        String user = context.principal().getName();
        String clientId = context.clientId() == null ? "" : context.clientId();
        long nowMs = clockMs.getAsLong();
        long throttleMs = 0;
        if (context.apiKey() == ApiKeys.PRODUCE) {
            throttleMs = record(current, QuotaType.PRODUCE, user, clientId, use.requestBytes(), nowMs);
        } else if (context.apiKey() == ApiKeys.FETCH && use.responseBytes() > 0) {
            throttleMs = record(current, QuotaType.FETCH, user, clientId, use.responseBytes(), nowMs);
        }
        double percent = use.handlerNanos() * 100.0 / TimeUnit.SECONDS.toNanos(1);
        throttleMs = Math.max(throttleMs, record(current, QuotaType.REQUEST, user, clientId, percent, nowMs));
        sweepIfDue(nowMs);
        return (int) Math.min(Integer.MAX_VALUE, throttleMs);
    }

    /** Brokers' own traffic is never throttled by client quotas (replication has its own throttles). */
    private static boolean exempt(RequestContext context, AbstractRequest request) {
        if (request instanceof FetchRequest fetch && fetch.replicaId() >= 0) {
            return true;
        }
        return context.apiKey().clusterAction;
    }

    private long record(ClientQuotas current, QuotaType type, String user, String clientId, double value, long nowMs) {
        Optional<ClientQuotas.Applied> applied = resolve(current, type, user, clientId);
        if (applied.isEmpty()) {
            return 0;
        }
        Key key = new Key(type, applied.get().userTag(), applied.get().clientIdTag());
        Sensor sensor = sensors.computeIfAbsent(key, this::newSensor);
        return sensor.record(value, applied.get().bound(), nowMs, config);
    }

    private Optional<ClientQuotas.Applied> resolve(ClientQuotas current, QuotaType type, String user, String clientId) {
        Resolutions cached = resolutions;
        if (cached.quotas() != current || cached.byClient().size() > MAX_CACHED_RESOLUTIONS) {
            cached = new Resolutions(current, new ConcurrentHashMap<>());
            resolutions = cached;
        }
        return cached.byClient()
                .computeIfAbsent(new Key(type, user, clientId), key -> current.resolve(user, clientId, type.key));
    }

    private Sensor newSensor(Key key) {
        Sensor sensor = new Sensor(new QuotaRate(windowNum, windowSizeMs));
        metrics.gauge(metricName(key, key.type().rateName), () -> sensor.rate.measure(clockMs.getAsLong()));
        metrics.gauge(metricName(key, "throttle-time"), () -> sensor.throttleTimeAvg(config, clockMs.getAsLong()));
        return sensor;
    }

    private static MetricName metricName(Key key, String name) {
        return MetricName.of(
                "kafka.server", key.type().metricType, name, "user", key.user(), "client-id", key.clientId());
    }

    /** Measurements idle for an hour go, as Kafka's quota sensors expire. */
    private void sweepIfDue(long nowMs) {
        if (nowMs - lastSweepMs < SWEEP_INTERVAL_MS) {
            return;
        }
        lastSweepMs = nowMs;
        sensors.entrySet().removeIf(entry -> {
            boolean idle = nowMs - entry.getValue().rate.lastRecordMs() > IDLE_EXPIRY_MS;
            if (idle) {
                metrics.remove(metricName(entry.getKey(), entry.getKey().type().rateName));
                metrics.remove(metricName(entry.getKey(), "throttle-time"));
            }
            return idle;
        });
    }

    /** The rate of the measurement {@code type} shares under these tags, for tests; NaN when none. */
    double measuredRate(QuotaType type, String userTag, String clientIdTag) {
        Sensor sensor = sensors.get(new Key(type, userTag, clientIdTag));
        return sensor == null ? Double.NaN : sensor.rate.measure(clockMs.getAsLong());
    }
}
