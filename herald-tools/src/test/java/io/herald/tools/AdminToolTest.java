package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class AdminToolTest {
    private static final OptionParser OPTIONS = new OptionParser()
            .bootstrapServer("server")
            .commandConfig("file")
            .arg("name", "name", "A name.")
            .helpAndVersion();

    private final AtomicReference<Properties> connectedWith = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AdminFactory factory = props -> {
        connectedWith.set(props);
        return new MockAdminClient() {
            @Override
            public synchronized void close(java.time.Duration timeout) {
                closed.set(true);
                super.close(timeout);
            }
        };
    };

    private static AdminTool.Invocation<String> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts = AdminTool.parse(OPTIONS, "Greets.", args, out);
        opts.require("bootstrap-server", "name");
        return new AdminTool.Invocation<>(opts.value("name"), AdminTool.brokerConnection(opts));
    }

    private ToolOutput run(AdminTool.Action<String> action, AdminTool.Failures failures, String... args) {
        return ToolOutput.run(
                (a, o, e) -> AdminTool.run(a, o, e, factory, AdminToolTest::read, action, failures), args);
    }

    private ToolOutput run(AdminTool.Action<String> action, String... args) {
        return ToolOutput.run((a, o, e) -> AdminTool.run(a, o, e, factory, AdminToolTest::read, action), args);
    }

    @Test
    void readsConnectsActsAndCloses() {
        var r = run(
                (name, admin, out) -> {
                    out.println("hello " + name);
                    return 0;
                },
                "--bootstrap-server",
                "h:9092",
                "--name",
                "x");
        assertThat(r).isEqualTo(new ToolOutput(0, "hello x\n", ""));
        assertThat(connectedWith.get().getProperty("bootstrap.servers")).isEqualTo("h:9092");
        assertThat(closed).isTrue();
    }

    @Test
    void helpAndUsageErrorsNeverConnect() {
        var help = run((name, admin, out) -> 0);
        assertThat(help.exitCode()).isEqualTo(1);
        assertThat(help.err()).startsWith("Greets.\n").contains("--bootstrap-server <server>");
        assertThat(run((name, admin, out) -> 0, "--bootstrap-server", "h").err())
                .isEqualTo("Missing required argument \"[name]\"\n");
        assertThat(connectedWith.get()).isNull();
    }

    @Test
    void failedActionsAreOneLineOnStderrByDefault() {
        var r = run(
                (name, admin, out) -> {
                    throw new ExecutionException(new UnknownTopicOrPartitionException("no such\ntopic"));
                },
                "--bootstrap-server",
                "h",
                "--name",
                "x");
        assertThat(r).isEqualTo(new ToolOutput(1, "", "no such topic\n"));
        assertThat(closed).isTrue();
    }

    @Test
    void onStdoutReportsTheCauseAfterAPrefix() {
        var r = run(
                (name, admin, out) -> {
                    throw new ExecutionException(new UnknownTopicOrPartitionException("gone"));
                },
                AdminTool.Failures.onStdout("Error: "),
                "--bootstrap-server",
                "h",
                "--name",
                "x");
        assertThat(r).isEqualTo(new ToolOutput(1, "Error: gone\n", ""));
    }
}
