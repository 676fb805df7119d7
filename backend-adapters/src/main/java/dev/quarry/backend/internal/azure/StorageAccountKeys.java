package dev.quarry.backend.internal.azure;

import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.util.HashMap;
import java.util.Map;

/**
 * The profile's storage account as ARM describes it: its first key and blob endpoint (read through
 * ARM {@code listKeys} and {@code get}), the connection string apps are given, and a store on one
 * of its containers. The key is never logged.
 */
final class StorageAccountKeys {

  private final AzureFunctionsOptions options;
  private final AzureClients clients;

  StorageAccountKeys(AzureFunctionsOptions options, AzureClients clients) {
    this.options = options;
    this.clients = clients;
  }

  /** The account's name, first key and blob endpoint (without a trailing slash). */
  record Account(String name, String key, String blobEndpoint) {
    /** The connection string Functions reads ({@code AzureWebJobsStorage} and the like). */
    String connectionString() {
      return "DefaultEndpointsProtocol=https;AccountName="
          + name
          + ";AccountKey="
          + key
          + ";BlobEndpoint="
          + blobEndpoint;
    }

    @Override
    public String toString() {
      return "Account[" + name + ", " + blobEndpoint + "]";
    }
  }

  Account account() {
    String account = options.storageAccount();
    String key =
        clients
            .storageAccounts()
            .listKeys(options.resourceGroup(), account)
            .keys()
            .getFirst()
            .value();
    String blob =
        clients
            .storageAccounts()
            .getByResourceGroup(options.resourceGroup(), account)
            .primaryEndpoints()
            .blob();
    String endpoint = blob.endsWith("/") ? blob.substring(0, blob.length() - 1) : blob;
    return new Account(account, key, endpoint);
  }

  /** A store on {@code container} of {@code account}, created when missing; close it. */
  static ObjectStore open(Account account, String container) {
    Map<String, String> settings = new HashMap<>();
    settings.put("endpoint", account.blobEndpoint());
    settings.put("account", account.name());
    settings.put("accountKey", account.key());
    settings.put("container", container);
    settings.put("createContainer", "true");
    return ObjectStores.open("azure-blob", settings);
  }
}
