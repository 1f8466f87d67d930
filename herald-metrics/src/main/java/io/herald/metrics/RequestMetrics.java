package io.herald.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Kafka's {@code kafka.network:type=RequestMetrics} per API: {@code RequestsPerSec} per version, {@code TotalTimeMs}
 * (receive to response ready) and {@code ErrorsPerSec} per error; plus the requests received and not yet answered.
 * Lookups after the first request of an API and version are array reads: no allocation, no lock.
 */
public final class RequestMetrics {
    private static final int MAX_API_KEYS = 256;
    private static final int MAX_VERSIONS = 64;

    private final HeraldMetrics metrics;
    private final AtomicReferenceArray<Api> apis = new AtomicReferenceArray<>(MAX_API_KEYS);
    private final LongAdder inFlight = new LongAdder();

    public RequestMetrics(HeraldMetrics metrics) {
        this.metrics = metrics;
        metrics.gauge(MetricNames.REQUESTS_IN_FLIGHT, inFlight::sum);
    }

    private final class Api {
        final String name;
        final Timer totalTime;
        final AtomicReferenceArray<Meter> versions = new AtomicReferenceArray<>(MAX_VERSIONS);
        final Map<String, Meter> errors = new ConcurrentHashMap<>();

        Api(String name) {
            this.name = name;
            this.totalTime = metrics.timer(MetricNames.requestTotalTime(name));
        }

        Meter version(short version) {
            int index = Math.floorMod(version, MAX_VERSIONS);
            Meter meter = versions.get(index);
            if (meter == null) {
                meter = metrics.meter(MetricNames.requestsPerSec(name, version));
                versions.set(index, meter);
            }
            return meter;
        }
    }

    private Api api(int apiKey, String apiName) {
        int index = Math.floorMod(apiKey, MAX_API_KEYS);
        Api api = apis.get(index);
        if (api == null) {
            api = new Api(apiName);
            if (!apis.compareAndSet(index, null, api)) {
                api = apis.get(index);
            }
        }
        return api;
    }

    /** A request was received and handed to its handler. */
    public void received() {
        inFlight.increment();
    }

    /**
     * A request's response is ready (or it failed): {@code error} is Kafka's error name for a request that failed as a
     * whole, else null.
     */
    public void completed(int apiKey, String apiName, short version, long elapsedNanos, String error) {
        inFlight.decrement();
        Api api = api(apiKey, apiName);
        api.version(version).mark();
        api.totalTime.update(elapsedNanos, TimeUnit.NANOSECONDS);
        if (error != null) {
            api.errors
                    .computeIfAbsent(error, e -> metrics.meter(MetricNames.requestErrors(api.name, e)))
                    .mark();
        }
    }
}
