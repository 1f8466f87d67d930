package io.herald.tools;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finding the entries a user gave more than once (topics, brokers, partitions, entity types, ...). */
public final class Repeated {
    private Repeated() {}

    /** The elements that occur more than once, in the order of their first repetition. */
    public static <T> Set<T> in(List<T> items) {
        var seen = new HashSet<T>();
        var repeated = new LinkedHashSet<T>();
        for (T item : items) {
            if (!seen.add(item)) {
                repeated.add(item);
            }
        }
        return repeated;
    }
}
