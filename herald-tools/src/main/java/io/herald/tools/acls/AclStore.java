package io.herald.tools.acls;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * The three ACL calls {@code kafka-acls.sh} makes, so the command can be tested against an in-memory store; the
 * production store is an {@link Admin} client.
 */
public interface AclStore extends AutoCloseable {
    Collection<AclBinding> describe(AclBindingFilter filter) throws Exception;

    void create(List<AclBinding> bindings) throws Exception;

    void delete(List<AclBindingFilter> filters) throws Exception;

    @Override
    void close();

    /** The store backed by a cluster through the Admin client; closing it closes the client. */
    static AclStore of(Admin admin) {
        return new AclStore() {
            @Override
            public Collection<AclBinding> describe(AclBindingFilter filter) throws Exception {
                return admin.describeAcls(filter).values().get();
            }

            @Override
            public void create(List<AclBinding> bindings) throws Exception {
                admin.createAcls(bindings).all().get();
            }

            @Override
            public void delete(List<AclBindingFilter> filters) throws Exception {
                admin.deleteAcls(filters).all().get();
            }

            @Override
            public void close() {
                admin.close();
            }
        };
    }
}
