package io.herald.tools;

import java.util.ArrayList;
import java.util.List;

/** Kafka's plain tool tables: every cell padded to its column's widest value and followed by a tab. */
public final class Tables {
    private Tables() {}

    public static String plain(List<String> headers, List<List<String>> rows) {
        int[] widths = headers.stream().mapToInt(String::length).toArray();
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        var out = new StringBuilder();
        var all = new ArrayList<List<String>>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                out.append(row.get(i))
                        .append(" ".repeat(widths[i] - row.get(i).length()))
                        .append('\t');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
