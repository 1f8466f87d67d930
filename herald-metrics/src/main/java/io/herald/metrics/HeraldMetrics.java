package io.herald.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.jmx.JmxReporter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every measurement of one node, stored once: Dropwizard meters (a count plus Kafka's 1/5/15-minute rates), timers
 * (latencies, an exponentially decaying reservoir as Kafka's Yammer histograms) and gauges (read when asked), each
 * under its Kafka MBean name. Both exporters read these same objects: the JMX reporter registers each under its
 * {@link MetricName#mbeanName()}, the Prometheus exporter maps names to Prometheus names at scrape time. Families of
 * samples computed at scrape time only (consumer-group lag) are added with {@link #addFamily}.
 *
 * <p>The hot path pays what Dropwizard's {@code Meter.mark} and {@code Timer.update} cost: a few {@code LongAdder}
 * adds, no lock. A disabled instance ({@link #disabled()}) hands out meters and timers that record nothing, for
 * measuring what the metrics cost.
 */
public final class HeraldMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldMetrics.class);

    private final boolean enabled;
    private final MetricRegistry registry = new MetricRegistry();
    private final Map<String, MetricName> names = new ConcurrentHashMap<>();
    private final List<SampleFamily> families = new CopyOnWriteArrayList<>();
    private final List<Runnable> beforeCollect = new CopyOnWriteArrayList<>();
    private JmxReporter jmx;

    private HeraldMetrics(boolean enabled) {
        this.enabled = enabled;
    }

    public static HeraldMetrics create() {
        return new HeraldMetrics(true);
    }

    /** Records nothing: meters and timers are no-ops, gauges and families are not kept. */
    public static HeraldMetrics disabled() {
        return new HeraldMetrics(false);
    }

    public boolean enabled() {
        return enabled;
    }

    /** A meter (count and rates), created on first use; the same object for the same name. */
    public Meter meter(MetricName name) {
        if (!enabled) {
            return NoopMetrics.METER;
        }
        names.putIfAbsent(name.mbeanName(), name);
        return registry.meter(name.mbeanName());
    }

    /** A meter made by {@code make} on first use (a {@link SumMeter}); the same object for the same name. */
    Meter meter(MetricName name, Supplier<Meter> make) {
        if (!enabled) {
            return NoopMetrics.METER;
        }
        names.putIfAbsent(name.mbeanName(), name);
        return registry.meter(name.mbeanName(), make::get);
    }

    /** A latency timer (nanoseconds in, milliseconds out on JMX as Kafka's {@code TotalTimeMs}). */
    public Timer timer(MetricName name) {
        if (!enabled) {
            return NoopMetrics.TIMER;
        }
        names.putIfAbsent(name.mbeanName(), name);
        return registry.timer(
                name.mbeanName(),
                () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    /** A gauge read whenever an exporter asks; replaces a gauge of the same name. */
    public void gauge(MetricName name, Supplier<? extends Number> value) {
        if (!enabled) {
            return;
        }
        registry.remove(name.mbeanName());
        names.put(name.mbeanName(), name);
        registry.register(name.mbeanName(), (Gauge<Number>) value::get);
    }

    public boolean contains(MetricName name) {
        return registry.getMetrics().containsKey(name.mbeanName());
    }

    public void remove(MetricName name) {
        registry.remove(name.mbeanName());
        names.remove(name.mbeanName());
    }

    /** Removes every measurement whose name matches (a deleted topic's, a partition no longer hosted here). */
    public void removeIf(Predicate<MetricName> which) {
        names.values().stream().filter(which).toList().forEach(this::remove);
    }

    /** Every measurement with its name, in no particular order; a snapshot of the set, live objects. */
    public Map<MetricName, Metric> metrics() {
        for (Runnable hook : beforeCollect) {
            hook.run();
        }
        Map<MetricName, Metric> result = new LinkedHashMap<>();
        registry.getMetrics().forEach((key, metric) -> {
            MetricName name = names.get(key);
            if (name != null) {
                result.put(name, metric);
            }
        });
        return result;
    }

    public Optional<Metric> get(MetricName name) {
        return Optional.ofNullable(registry.getMetrics().get(name.mbeanName()));
    }

    /** Samples computed at scrape time, exported to Prometheus only (Kafka has no MBean for them). */
    public void addFamily(SampleFamily family) {
        if (enabled) {
            families.add(family);
        }
    }

    public List<SampleFamily> families() {
        return List.copyOf(families);
    }

    /** Runs before each export, e.g. to bring per-partition gauges in line with the partitions hosted now. */
    public void beforeCollect(Runnable hook) {
        if (enabled) {
            beforeCollect.add(hook);
        }
    }

    /**
     * Registers every measurement in the platform MBean server under its Kafka name, as Kafka's brokers do (remote
     * access is the JVM's, switched on by {@code JMX_PORT} in the scripts).
     */
    public synchronized void startJmx() {
        if (!enabled || jmx != null) {
            return;
        }
        jmx = JmxReporter.forRegistry(registry)
                .convertRatesTo(TimeUnit.SECONDS)
                .convertDurationsTo(TimeUnit.MILLISECONDS)
                .createsObjectNamesWith((type, domain, name) -> objectName(name))
                .build();
        jmx.start();
    }

    static ObjectName objectName(String mbeanName) {
        try {
            return new ObjectName(mbeanName);
        } catch (MalformedObjectNameException e) {
            LOG.warn("Metric {} has no valid JMX name: {}", mbeanName, e.getMessage());
            try {
                return new ObjectName("io.herald", "name", ObjectName.quote(mbeanName));
            } catch (MalformedObjectNameException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** Unregisters the MBeans (several nodes in one JVM, in tests, each take theirs away). */
    @Override
    public synchronized void close() {
        if (jmx != null) {
            jmx.stop();
            jmx = null;
        }
        registry.removeMatching((name, metric) -> true);
        names.clear();
    }
}
