package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker passes a faithful output and names an injected duplicate, a lost input and an invented one. */
class ExactlyOnceCheckerTest {
    private static final Set<String> INPUTS = Set.of("0", "1", "2", "3");

    @Test
    void aFaithfulOutputIsClean() {
        ExactlyOnceChecker.Report report = ExactlyOnceChecker.check(INPUTS, List.of("2", "0", "3", "1"));
        assertThat(report.clean()).as(report.toString()).isTrue();
    }

    @Test
    void anInjectedDuplicateIsCaught() {
        List<String> output = new ArrayList<>(List.of("0", "1", "2", "3"));
        output.add("2");
        ExactlyOnceChecker.Report report = ExactlyOnceChecker.check(INPUTS, output);
        assertThat(report.clean()).isFalse();
        assertThat(report.duplicated()).isEqualTo(Map.of("2", 2));
    }

    @Test
    void aLostAndAnInventedOutputAreCaught() {
        ExactlyOnceChecker.Report report = ExactlyOnceChecker.check(INPUTS, List.of("0", "1", "3", "9"));
        assertThat(report.missing()).containsExactly("2");
        assertThat(report.unknown()).containsExactly("9");
    }
}
