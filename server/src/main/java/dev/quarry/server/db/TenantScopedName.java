package dev.quarry.server.db;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The key of a tenant's named row (a credential set, a profile): unique per tenant. */
@Embeddable
public record TenantScopedName(
    @Column(name = "tenant_id") String tenantId, @Column(name = "name") String name) {}
