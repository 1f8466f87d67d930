package io.herald.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a live process's memory and CPU use from Linux's /proc: the resident-set high-water mark (VmHWM) and the user
 * plus system CPU time. Elsewhere the figures are absent rather than wrong.
 */
final class ProcessStats {
    /** USER_HZ: /proc/PID/stat counts CPU time in these ticks; 100 on every mainstream Linux build. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** The peak resident set size in bytes, or empty when /proc is not readable. */
    static OptionalLong peakRssBytes(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** The current resident set size in bytes. */
    static OptionalLong rssBytes(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** User plus system CPU seconds the process has used so far, or NaN when /proc is not readable. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static OptionalLong statusField(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
