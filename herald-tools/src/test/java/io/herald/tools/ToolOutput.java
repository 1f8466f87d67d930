package io.herald.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures a tool's stdout/stderr and exit code for in-process tests. */
record ToolOutput(int exitCode, String out, String err) {
    @FunctionalInterface
    interface Tool {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    static ToolOutput run(Tool tool, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
                var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = tool.run(args, o, e);
        }
        return new ToolOutput(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
