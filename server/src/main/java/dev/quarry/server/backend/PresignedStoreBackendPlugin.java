package dev.quarry.server.backend;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.lambda.StorageTokens;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;

/**
 * A plug-in of a cloud function service ({@code lambda}, {@code azure-functions}) whose workers
 * reach exactly their invocation's objects through URLs pre-signed by the lane's store and their
 * tenant's Storage API through a token per invocation, open the profile's credential for the
 * server, and deploy their worker through a runtimes API.
 */
public abstract class PresignedStoreBackendPlugin implements BackendPlugin {
  private final String kind;
  private final Set<String> settingNames;
  protected final CredentialService credentials;
  protected final ObjectStore store;
  protected final ObjectProvider<ProfileStores> stores;
  protected final QuarryProperties props;

  /** Tokens for the tenant's Storage API, so context functions reach their objects. */
  protected final StorageTokens storageTokens;

  protected PresignedStoreBackendPlugin(
      String kind,
      Set<String> settingNames,
      CredentialService credentials,
      ObjectStore store,
      ObjectProvider<ProfileStores> stores,
      QuarryProperties props,
      StorageTokens storageTokens) {
    this.kind = kind;
    this.settingNames = settingNames;
    this.credentials = credentials;
    this.store = store;
    this.stores = stores;
    this.props = props;
    this.storageTokens = storageTokens;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final Set<String> settingNames() {
    return settingNames;
  }

  @Override
  public final boolean hasRuntimes() {
    return true;
  }

  /**
   * The store the lane's grants are signed by: the server's for the default lane, the profile's own
   * (its bucket, when it names one) otherwise.
   *
   * @throws BackendException ({@link Kind#PERMANENT}) if the profile's store cannot be opened
   */
  protected final ObjectStore storeOf(LaneRequest request) {
    if (request.isDefault()) {
      return store;
    }
    try {
      return stores.getObject().forProfile(request.tenant(), request.profile()).store();
    } catch (ApiException e) {
      throw new BackendException(Kind.PERMANENT, e.getMessage(), e);
    }
  }
}
