package io.herald.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the report says about the machine it ran on, from /proc where there is one. */
final class Machine {
    private Machine() {}

    static Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("cpu", procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")));
        out.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        out.put(
                "memory",
                procField("/proc/meminfo", "MemTotal")
                        .map(v -> Long.parseLong(v.replace("kB", "").trim()) / (1024 * 1024) + " GiB")
                        .orElse("?"));
        out.put("java", "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        return out;
    }

    /** The 1-minute load average: on a shared machine, how much else was running. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static Optional<String> procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return Optional.of(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the caller prints a placeholder
        }
        return Optional.empty();
    }
}
