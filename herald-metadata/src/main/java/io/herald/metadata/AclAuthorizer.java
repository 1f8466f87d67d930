package io.herald.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Kafka's StandardAuthorizer rules as pure functions of the ACLs in an image: super users may do anything; otherwise
 * the bindings on the resource (literal on its name, literal on {@code *}, prefixed on a prefix of its name) whose
 * principal ({@code User:*} matches everyone) and host ({@code *} or the client's address) match are consulted, a
 * matching DENY wins over any ALLOW, an ALLOW of READ, WRITE, DELETE or ALTER implies DESCRIBE and one of
 * ALTER_CONFIGS implies DESCRIBE_CONFIGS; a resource without any binding at all is allowed only when
 * {@code allow.everyone.if.no.acl.found}.
 */
public final class AclAuthorizer {
    /** Kafka's one cluster resource name. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    static final String WILDCARD_PRINCIPAL = "User:*";
    static final String WILDCARD_HOST = "*";
    private static final Set<AclOperation> IMPLY_DESCRIBE = Set.of(
            AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLY_DESCRIBE_CONFIGS =
            Set.of(AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    /** {@code super.users} (principals as {@code Type:name}) and {@code allow.everyone.if.no.acl.found}. */
    public record Rules(Set<String> superUsers, boolean allowEveryoneIfNoAclFound) {
        public Rules {
            superUsers = Set.copyOf(superUsers);
        }

        /** Parses {@code super.users}: principals separated by semicolons. */
        public static Rules of(String superUsers, boolean allowEveryoneIfNoAclFound) {
            Set<String> users = new HashSet<>();
            if (superUsers != null) {
                for (String user : superUsers.split(";")) {
                    if (!user.isBlank()) {
                        users.add(user.trim());
                    }
                }
            }
            return new Rules(users, allowEveryoneIfNoAclFound);
        }
    }

    /** The name Kafka users configure; Herald's own authorizer answers to it. */
    public static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    /**
     * The rules a server's properties configure: empty without {@code authorizer.class.name} (no authorization, as
     * Kafka); a ConfigException for an authorizer class Herald does not implement.
     */
    public static Optional<Rules> configured(Map<String, String> properties) {
        String className = properties.getOrDefault("authorizer.class.name", "").trim();
        if (className.isEmpty()) {
            return Optional.empty();
        }
        if (!className.equals(STANDARD_AUTHORIZER)) {
            throw new ConfigException(
                    "authorizer.class.name",
                    className,
                    "Herald implements only " + STANDARD_AUTHORIZER + " (ACLs in the metadata log)");
        }
        String allowEveryone = properties
                .getOrDefault("allow.everyone.if.no.acl.found", "false")
                .trim();
        return Optional.of(Rules.of(properties.get("super.users"), Boolean.parseBoolean(allowEveryone)));
    }

    /** An answer and the rule that gave it, as the authorizer log names it. */
    public record Decision(boolean allowed, String rule) {}

    private AclAuthorizer() {}

    public static Decision authorize(
            Acls acls,
            Rules rules,
            KafkaPrincipal principal,
            String host,
            AclOperation operation,
            ResourceType type,
            String name) {
        String who = principalName(principal);
        if (rules.superUsers().contains(who)) {
            return new Decision(true, "SuperUser");
        }
        boolean found = false;
        AclBinding allowedBy = null;
        for (AclBinding binding : candidates(acls, type, name)) {
            found = true;
            AccessControlEntry entry = binding.entry();
            if (!principalMatches(entry, who) || !hostMatches(entry, host)) {
                continue;
            }
            if (entry.permissionType() == AclPermissionType.DENY && denies(entry.operation(), operation)) {
                return new Decision(false, "MatchingAcl(" + binding + ")");
            }
            if (entry.permissionType() == AclPermissionType.ALLOW
                    && allows(entry.operation(), operation)
                    && allowedBy == null) {
                allowedBy = binding;
            }
        }
        if (allowedBy != null) {
            return new Decision(true, "MatchingAcl(" + allowedBy + ")");
        }
        if (!found && rules.allowEveryoneIfNoAclFound()) {
            return new Decision(true, "DefaultAllow");
        }
        return new Decision(false, found ? "NoMatchingAllowAcl" : "DefaultDeny");
    }

    /**
     * Whether the principal may perform the operation on some resource of the type (Kafka's
     * {@code authorizeByResourceType}, e.g. WRITE on any topic for an idempotent producer): an ALLOW binding not
     * covered by a DENY binding of the same principal and host.
     */
    public static boolean authorizeByResourceType(
            Acls acls, Rules rules, KafkaPrincipal principal, String host, AclOperation operation, ResourceType type) {
        String who = principalName(principal);
        if (rules.superUsers().contains(who)) {
            return true;
        }
        List<AclBinding> bindings = acls.ofType(type);
        if (bindings.isEmpty()) {
            return rules.allowEveryoneIfNoAclFound();
        }
        List<AclBinding> denials = new ArrayList<>();
        List<AclBinding> allowances = new ArrayList<>();
        for (AclBinding binding : bindings) {
            AccessControlEntry entry = binding.entry();
            if (!principalMatches(entry, who) || !hostMatches(entry, host)) {
                continue;
            }
            if (entry.permissionType() == AclPermissionType.DENY && denies(entry.operation(), operation)) {
                denials.add(binding);
            } else if (entry.permissionType() == AclPermissionType.ALLOW && allows(entry.operation(), operation)) {
                allowances.add(binding);
            }
        }
        for (AclBinding allow : allowances) {
            if (!coveredByDenial(allow, denials)) {
                return true;
            }
        }
        return false;
    }

    private static boolean coveredByDenial(AclBinding allow, List<AclBinding> denials) {
        String name = allow.pattern().name();
        boolean prefixed = allow.pattern().patternType() == PatternType.PREFIXED;
        for (AclBinding deny : denials) {
            String denied = deny.pattern().name();
            boolean deniedPrefix = deny.pattern().patternType() == PatternType.PREFIXED;
            if (!deniedPrefix && denied.equals("*")) {
                return true;
            }
            if (deniedPrefix && name.startsWith(denied)) {
                return true;
            }
            if (!deniedPrefix && !prefixed && denied.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<AclBinding> candidates(Acls acls, ResourceType type, String name) {
        List<AclBinding> candidates = new ArrayList<>(acls.literal(type, name));
        if (!name.equals("*")) {
            candidates.addAll(acls.literal(type, "*"));
        }
        for (AclBinding binding : acls.prefixed(type)) {
            if (name.startsWith(binding.pattern().name())) {
                candidates.add(binding);
            }
        }
        return candidates;
    }

    /** The principal as ACLs name it: {@code Type:name}, without any subclass's extra state. */
    public static String principalName(KafkaPrincipal principal) {
        return principal.getPrincipalType() + ":" + principal.getName();
    }

    private static boolean principalMatches(AccessControlEntry entry, String principal) {
        return entry.principal().equals(principal) || entry.principal().equals(WILDCARD_PRINCIPAL);
    }

    private static boolean hostMatches(AccessControlEntry entry, String host) {
        return entry.host().equals(WILDCARD_HOST) || entry.host().equals(host);
    }

    private static boolean denies(AclOperation aclOperation, AclOperation requested) {
        return aclOperation == AclOperation.ALL || aclOperation == requested;
    }

    static boolean allows(AclOperation aclOperation, AclOperation requested) {
        if (aclOperation == AclOperation.ALL || aclOperation == requested) {
            return true;
        }
        return switch (requested) {
            case DESCRIBE -> IMPLY_DESCRIBE.contains(aclOperation);
            case DESCRIBE_CONFIGS -> IMPLY_DESCRIBE_CONFIGS.contains(aclOperation);
            default -> false;
        };
    }
}
