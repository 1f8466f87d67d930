package io.herald.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {
    private static final InetAddress A = address("10.0.0.1");
    private static final InetAddress B = address("10.0.0.2");
    private static final long NOW_MS = 1_000_000;

    @Test
    void anIpOverItsLimitIsRefusedAndAnOverrideRaisesOrLowersIt() {
        ConnectionLimits limits =
                limits(Map.of("max.connections.per.ip", "2", "max.connections.per.ip.overrides", "10.0.0.2:1"));
        assertThat(limits.admit("PLAINTEXT", A, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Accept.class);
        assertThat(limits.admit("PLAINTEXT", A, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Accept.class);
        assertThat(limits.admit("PLAINTEXT", A, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Reject.class);
        assertThat(limits.admit("PLAINTEXT", B, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Accept.class);
        assertThat(limits.admit("PLAINTEXT", B, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Reject.class);
        limits.release("PLAINTEXT", A);
        assertThat(limits.admit("PLAINTEXT", A, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Accept.class);
    }

    @Test
    void theBrokerWideLimitSparesTheInterBrokerListenerAndAListenerHasItsOwn() {
        ConnectionLimits limits = ConnectionLimits.create(
                Map.of("max.connections", "2", "listener.name.external.max.connections", "1"),
                Set.of("INTERNAL", "EXTERNAL"),
                "INTERNAL",
                ConnectionLimits.IpQuotas.NONE);
        limits.admit("EXTERNAL", A, NOW_MS);
        assertThat(limits.atCapacity("EXTERNAL")).isTrue();
        limits.admit("INTERNAL", A, NOW_MS);
        limits.admit("INTERNAL", B, NOW_MS);
        assertThat(limits.atCapacity("INTERNAL")).isFalse();
        limits.release("EXTERNAL", A);
        assertThat(limits.atCapacity("EXTERNAL")).isFalse();
    }

    @Test
    void withASingleListenerTheBrokerWideLimitHoldsForIt() {
        ConnectionLimits limits = limits(Map.of("max.connections", "1"));
        limits.admit("PLAINTEXT", A, NOW_MS);
        assertThat(limits.atCapacity("PLAINTEXT")).isTrue();
    }

    @Test
    void creatingConnectionsFasterThanTheRateThrottlesAccepting() {
        // Two one-second windows: the rate is over one second at first (with Kafka's 11 it would be over ten).
        ConnectionLimits limits = limits(Map.of("max.connection.creation.rate", "2", "quota.window.num", "2"));
        assertThat(limits.creationThrottleMs("PLAINTEXT", NOW_MS)).isZero();
        assertThat(limits.creationThrottleMs("PLAINTEXT", NOW_MS)).isZero();
        assertThat(limits.creationThrottleMs("PLAINTEXT", NOW_MS)).isPositive();
    }

    @Test
    void anIpOverItsConnectionCreationRateQuotaIsClosedAfterTheThrottleTime() {
        ConnectionLimits limits = ConnectionLimits.create(
                Map.of("quota.window.num", "2"),
                Set.of("PLAINTEXT"),
                "PLAINTEXT",
                address -> address.equals(A) ? OptionalDouble.of(1) : OptionalDouble.empty());
        assertThat(limits.admit("PLAINTEXT", A, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Accept.class);
        ConnectionLimits.Admission second = limits.admit("PLAINTEXT", A, NOW_MS);
        assertThat(second).isInstanceOf(ConnectionLimits.Admission.CloseAfter.class);
        assertThat(((ConnectionLimits.Admission.CloseAfter) second).delayMs()).isEqualTo(1_000);
        assertThat(limits.admit("PLAINTEXT", B, NOW_MS)).isInstanceOf(ConnectionLimits.Admission.Accept.class);
    }

    @Test
    void badValuesAreConfigErrors() {
        assertThatThrownBy(() -> limits(Map.of("max.connections.per.ip.overrides", "10.0.0.1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.connections.per.ip.overrides");
        assertThatThrownBy(() -> limits(Map.of("max.connections", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.connections");
    }

    private static ConnectionLimits limits(Map<String, String> properties) {
        return ConnectionLimits.create(properties, Set.of("PLAINTEXT"), "PLAINTEXT", ConnectionLimits.IpQuotas.NONE);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
