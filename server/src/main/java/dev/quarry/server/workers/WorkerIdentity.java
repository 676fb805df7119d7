package dev.quarry.server.workers;

import java.util.UUID;

/** Who a connected worker is: its token, and the tenant and profile the token serves. */
public record WorkerIdentity(UUID tokenId, String tenantId, String profile) {}
