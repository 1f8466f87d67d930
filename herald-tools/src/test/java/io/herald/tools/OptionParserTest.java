package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OptionParserTest {
    private final OptionParser parser = new OptionParser()
            .arg("bootstrap-server", "server", "servers")
            .arg("config", "k=v", "repeatable", "-c")
            .flag("list", "list")
            .flag("describe", "describe");

    @Test
    void parsesForms() {
        var p = parser.parse(new String[] {"--bootstrap-server=h:1", "-c", "a=1", "--config", "b=2", "--lis", "x"});
        assertThat(p.value("bootstrap-server")).isEqualTo("h:1");
        assertThat(p.values("config")).containsExactly("a=1", "b=2");
        assertThat(p.has("list")).isTrue();
        assertThat(p.positional()).isEqualTo(List.of("x"));
    }

    @Test
    void joptSimpleMessages() {
        assertThatThrownBy(() -> parser.parse(new String[] {"--nope"})).hasMessage("nope is not a recognized option");
        assertThatThrownBy(() -> parser.parse(new String[] {"--bootstrap-server"}))
                .hasMessage("Option bootstrap-server requires an argument");
        var p = parser.parse(new String[] {"--list", "--describe"});
        assertThatThrownBy(() -> p.require("bootstrap-server"))
                .hasMessage("Missing required argument \"[bootstrap-server]\"");
        assertThatThrownBy(() -> p.forbidWith("list", Set.of("describe")))
                .hasMessage("Option \"[list]\" can't be used with option \"[describe]\"");
        var n = parser.parse(new String[] {"--bootstrap-server", "x"});
        assertThatThrownBy(() -> n.intValue("bootstrap-server"))
                .hasMessage("Cannot parse argument 'x' of option bootstrap-server");
    }
}
