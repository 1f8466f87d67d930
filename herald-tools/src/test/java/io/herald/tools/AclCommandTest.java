package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.tools.acls.AclStore;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AclCommandTest {
    /** An in-memory ACL store with the Admin client's matching rules. */
    private final List<AclBinding> stored = new ArrayList<>();

    private final AclStore store = new AclStore() {
        @Override
        public Collection<AclBinding> describe(AclBindingFilter filter) {
            return stored.stream().filter(filter::matches).toList();
        }

        @Override
        public void create(List<AclBinding> bindings) {
            stored.addAll(bindings);
        }

        @Override
        public void delete(List<AclBindingFilter> filters) {
            stored.removeIf(b -> filters.stream().anyMatch(f -> f.matches(b)));
        }

        @Override
        public void close() {}
    };

    private ToolOutput acls(String input, String... args) {
        return ToolOutput.run(
                (a, o, e) -> AclCommand.run(a, new ByteArrayInputStream(input.getBytes()), o, e, p -> store), args);
    }

    @Test
    void resourceBlockFormat() {
        var topic = new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL);
        var acl = new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW);
        String nl = System.lineSeparator();
        assertThat(AclCommand.resourceBlocks(Map.of(topic, Set.of(acl))))
                .isEqualTo(
                        "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`:"
                                + nl + "\t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)" + nl
                                + nl);
    }

    @Test
    void addListRemoveThroughAdmin() {
        var add = acls(
                "",
                "--bootstrap-server",
                "h",
                "--add",
                "--allow-principal",
                "User:alice",
                "--operation",
                "Read",
                "--topic",
                "t");
        assertThat(add.exitCode()).as(add.out() + add.err()).isZero();
        String nl = System.lineSeparator();
        assertThat(add.out())
                .isEqualTo(
                        "Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: "
                                + nl + " \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)" + nl
                                + nl);
        var again = acls(
                "",
                "--bootstrap-server",
                "h",
                "--add",
                "--allow-principal",
                "User:alice",
                "--operation",
                "Read",
                "--topic",
                "t");
        assertThat(again.out())
                .startsWith(
                        "Acl (pattern=ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL),"
                                + " entry=(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)) already exists.");
        var list = acls("", "--bootstrap-server", "h", "--list", "--topic", "t");
        assertThat(list.out()).contains("\t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)");
        var declined = acls("n\n", "--bootstrap-server", "h", "--remove", "--topic", "t");
        assertThat(declined.out()).startsWith("Are you sure you want to delete all ACLs for resource filter `");
        assertThat(acls("", "--bootstrap-server", "h", "--list").out()).isNotEmpty();
        acls("", "--bootstrap-server", "h", "--remove", "--topic", "t", "--force");
        assertThat(acls("", "--bootstrap-server", "h", "--list").out()).isEmpty();
    }

    @Test
    void producerShortcutAndErrors() {
        var r = acls(
                "",
                "--bootstrap-server",
                "h",
                "--add",
                "--producer",
                "--allow-principal",
                "User:bob",
                "--topic",
                "t",
                "--idempotent");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("operation=WRITE")
                .contains("operation=CREATE")
                .contains("operation=IDEMPOTENT_WRITE");
        assertThat(acls("", "--bootstrap-server", "h", "--add", "--topic", "t").err())
                .isEqualTo("You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.\n");
        assertThat(acls("", "--list").err())
                .isEqualTo("One of --bootstrap-server or --bootstrap-controller must be specified\n");
        assertThat(acls("", "--bootstrap-server", "h", "--add", "--producer", "--allow-principal", "User:x")
                        .err())
                .isEqualTo("With --producer you must specify a --topic\n");
        assertThat(AclCommand.operation("IdempotentWrite")).isEqualTo(AclOperation.IDEMPOTENT_WRITE);
        assertThat(AclCommand.operation("describe_configs")).isEqualTo(AclOperation.DESCRIBE_CONFIGS);
    }
}
