package dev.quarry.server.storage.internal;

import dev.quarry.backend.local.TenantObjects;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.storage.ObjectContent;
import dev.quarry.server.storage.ObjectPage;
import dev.quarry.server.storage.RangeRequest;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.server.storage.TenantStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A context function's storage calls, served from the Storage API as the invocation's tenant with
 * the member role (submitting a job needs it): the same names, limits and quota as REST and gRPC,
 * and the same isolation (objects live by id under the tenant's own prefix, so no name reaches the
 * server's objects or another tenant's).
 */
@Component
class FunctionTenantObjects implements TenantObjects {
  /** The key id of the principal a function's calls run as: no API key. */
  static final UUID FUNCTION_KEY = new UUID(0, 0);

  private final TenantStorage storage;

  FunctionTenantObjects(TenantStorage storage) {
    this.storage = storage;
  }

  @Override
  public Read read(String tenant, String bucket, String key, long offset, int length) {
    Principal caller = caller(tenant);
    try {
      StoredObject info;
      try {
        info = storage.head(caller, bucket, key);
      } catch (ApiException e) {
        if (e.reason() == ErrorReason.OBJECT_NOT_FOUND) {
          return Read.MISSING;
        }
        throw e;
      }
      if (length <= 0 || offset >= info.size()) {
        return new Read(true, info.size(), info.etag(), new byte[0]);
      }
      try (ObjectContent c = storage.get(caller, bucket, key, RangeRequest.of(offset, length))) {
        return new Read(true, c.info().size(), c.info().etag(), c.stream().readNBytes(length));
      }
    } catch (ApiException e) {
      if (e.reason() == ErrorReason.OBJECT_NOT_FOUND) {
        return Read.MISSING;
      }
      throw refused(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void write(String tenant, String bucket, String key, byte[] data) {
    try {
      storage.put(caller(tenant), bucket, key, new ByteArrayInputStream(data), data.length);
    } catch (ApiException e) {
      throw refused(e);
    }
  }

  @Override
  public Page list(String tenant, String bucket, String prefix, String pageToken, int limit) {
    try {
      ObjectPage page =
          storage.list(
              caller(tenant),
              bucket,
              prefix,
              pageToken.isEmpty() ? null : pageToken,
              Math.min(limit, TenantStorage.MAX_PAGE));
      List<Entry> entries = new ArrayList<>(page.objects().size());
      for (StoredObject o : page.objects()) {
        entries.add(new Entry(o.key(), o.size(), o.etag()));
      }
      return new Page(entries, page.nextPageToken());
    } catch (ApiException e) {
      throw refused(e);
    }
  }

  @Override
  public boolean delete(String tenant, String bucket, String key) {
    try {
      return storage.delete(caller(tenant), bucket, List.of(key)) > 0;
    } catch (ApiException e) {
      throw refused(e);
    }
  }

  private static Principal caller(String tenant) {
    return new Principal(tenant, FUNCTION_KEY, Role.MEMBER);
  }

  private static Refused refused(ApiException e) {
    return new Refused(e.reason().name(), e.getMessage());
  }
}
