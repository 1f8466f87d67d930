package io.herald.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exactly-once promise of a read-process-write loop: every input id appears in the committed output exactly once,
 * and nothing else does. Names every missing, duplicated and unknown id.
 */
final class ExactlyOnceChecker {
    private ExactlyOnceChecker() {}

    record Report(List<String> missing, Map<String, Integer> duplicated, List<String> unknown, int inputs) {
        boolean clean() {
            return missing.isEmpty() && duplicated.isEmpty() && unknown.isEmpty();
        }

        @Override
        public String toString() {
            if (clean()) {
                return inputs + " input(s), each reflected exactly once";
            }
            return inputs + " input(s): missing " + missing + ", duplicated " + duplicated + ", unknown " + unknown;
        }
    }

    static Report check(Set<String> inputs, List<String> committedOutputs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        committedOutputs.forEach(id -> counts.merge(id, 1, Integer::sum));
        List<String> missing = new ArrayList<>();
        for (String id : new TreeSet<>(inputs)) {
            if (!counts.containsKey(id)) {
                missing.add(id);
            }
        }
        Map<String, Integer> duplicated = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        counts.forEach((id, count) -> {
            if (!inputs.contains(id)) {
                unknown.add(id);
            } else if (count > 1) {
                duplicated.put(id, count);
            }
        });
        return new Report(missing, duplicated, unknown, inputs.size());
    }
}
