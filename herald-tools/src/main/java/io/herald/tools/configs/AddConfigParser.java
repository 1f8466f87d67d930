package io.herald.tools.configs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --add-config} grammar of {@code kafka-configs.sh}: {@code key=value} pairs separated by commas, where a
 * value may group comma-separated items in brackets ({@code k=[a,b]} sets {@code k} to {@code a,b}).
 *
 * <p>A comma or {@code =} separates unless it stands inside brackets, which (as Kafka reads it) is decided by what
 * follows: a position is inside when the next bracket to its right is a {@code ]}. Keys and values are trimmed and
 * every bracket is dropped from values. Empty pairs at the very end are ignored; any other pair needs exactly one
 * separating {@code =}.
 */
final class AddConfigParser {
    static final String INVALID = "Invalid entity config: all configs to be added must be in the format \"key=val\""
            + " or  \"key=[val1,val2]\" to group values which contain commas.";

    private AddConfigParser() {}

    /** The pairs in input order; a later duplicate key wins. */
    static Map<String, String> parse(String text) {
        boolean[] inside = insideBrackets(text);
        List<int[]> pairs = separated(text, inside, ',', 0, text.length());
        if (pairs.size() > 1) {
            // Pairs left empty at the end do not count (when there was a separating comma at all).
            while (!pairs.isEmpty() && isEmpty(pairs.getLast())) {
                pairs.removeLast();
            }
        }
        var result = new LinkedHashMap<String, String>();
        for (int[] pair : pairs) {
            List<int[]> sides = separated(text, inside, '=', pair[0], pair[1]);
            if (sides.size() != 2) {
                throw new IllegalArgumentException(INVALID);
            }
            String key = slice(text, sides.get(0)).trim();
            String value =
                    slice(text, sides.get(1)).replace("[", "").replace("]", "").trim();
            result.put(key, value);
        }
        return result;
    }

    /** For each position: is the nearest bracket to its right a closing one? */
    private static boolean[] insideBrackets(String text) {
        boolean[] inside = new boolean[text.length()];
        boolean closingAhead = false;
        for (int i = text.length() - 1; i >= 0; i--) {
            inside[i] = closingAhead;
            char c = text.charAt(i);
            if (c == ']' || c == '[') {
                closingAhead = c == ']';
            }
        }
        return inside;
    }

    /** The spans {@code [from, to)} between the separators outside brackets in {@code text[start, end)}. */
    private static List<int[]> separated(String text, boolean[] inside, char separator, int start, int end) {
        var spans = new ArrayList<int[]>();
        int from = start;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == separator && !inside[i]) {
                spans.add(new int[] {from, i});
                from = i + 1;
            }
        }
        spans.add(new int[] {from, end});
        return spans;
    }

    private static boolean isEmpty(int[] span) {
        return span[0] == span[1];
    }

    private static String slice(String text, int[] span) {
        return text.substring(span[0], span[1]);
    }
}
