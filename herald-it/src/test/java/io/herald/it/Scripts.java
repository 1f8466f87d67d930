package io.herald.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the distribution's bin/ scripts as a user would, from the project root. */
final class Scripts {
    static final Path HOME =
            Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();

    private Scripts() {}

    /** The outcome of a finished script. */
    record Result(int exitCode, String stdout, String stderr) {}

    static Result run(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
        return runWithInput(timeoutSeconds, null, script, args);
    }

    static Result runWithInput(long timeoutSeconds, String stdin, String script, String... args)
            throws IOException, InterruptedException {
        Process process = start(script, args);
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        byte[][] output = new byte[2][];
        Thread out = Thread.ofVirtual().start(() -> output[0] = readQuietly(process.getInputStream()));
        Thread err = Thread.ofVirtual().start(() -> output[1] = readQuietly(process.getErrorStream()));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + timeoutSeconds + " s");
        }
        out.join();
        err.join();
        return new Result(
                process.exitValue(),
                new String(output[0], StandardCharsets.UTF_8),
                new String(output[1], StandardCharsets.UTF_8));
    }

    private static byte[] readQuietly(java.io.InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    static Process start(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin").resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }

    static Process startLogged(Path log, String script, String... args) throws IOException {
        return startLogged(log, java.util.Map.of(), script, args);
    }

    /** With extra environment variables (e.g. Kafka's {@code JMX_PORT}). */
    static Process startLogged(Path log, java.util.Map<String, String> env, String script, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin").resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** A copy of a shipped config with its directories and ports replaced. */
    static Path config(Path dir, String shipped, int brokerPort, int controllerPort, Path logDir) throws IOException {
        String text = Files.readString(HOME.resolve("config").resolve(shipped))
                .replace(":9092", ":" + brokerPort)
                .replace(":9093", ":" + controllerPort)
                .replace(":8080", ":" + TestPorts.free())
                .replaceAll("(?m)^log\\.dirs=.*$", "log.dirs=" + logDir);
        int raftPort = TestPorts.free();
        text += "\nherald.quorum.raft.port.offset=" + (raftPort - controllerPort) + "\n";
        Path file = dir.resolve(shipped.replace('/', '-'));
        Files.writeString(file, text);
        return file;
    }
}
