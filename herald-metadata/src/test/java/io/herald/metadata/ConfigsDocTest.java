package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/configs.md is generated from the registries; this fails when it is stale. Regenerate it with
 * {@code HERALD_WRITE_DOCS=1 mvn -o -pl herald-metadata test -Dtest=ConfigsDocTest}.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigsDocTest {
    private static final Path DOC = Path.of("..", "docs", "configs.md");

    @Test
    void docsListEveryConfigAsTheRegistriesDefineIt() throws IOException {
        String expected = ConfigsDoc.render();
        if (System.getenv("HERALD_WRITE_DOCS") != null || Boolean.getBoolean("herald.docs.write")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(DOC)).as(DOC + " exists").isTrue();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/configs.md is stale: regenerate it with"
                        + " HERALD_WRITE_DOCS=1 mvn -o -pl herald-metadata test -Dtest=ConfigsDocTest")
                .isEqualTo(expected);
    }

    @Test
    void theDocNamesWhatHeraldDoesNotActOn() {
        String doc = ConfigsDoc.render();
        assertThat(doc).contains("| `background.threads` | INT | 10 | cluster-wide | accepted, not acted on |");
        assertThat(doc).contains("| `log.retention.hours` | INT | 168 | read-only | acts |");
        assertThat(doc).contains("| `remote.storage.enable` | BOOLEAN | false | `remote.storage.enable` |");
        assertThat(ConfigDef.Type.CLASS.name()).isEqualTo("CLASS");
    }
}
