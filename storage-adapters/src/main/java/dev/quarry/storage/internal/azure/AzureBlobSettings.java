package dev.quarry.storage.internal.azure;

import dev.quarry.storage.InvalidKeyException;
import dev.quarry.storage.ObjectKeys;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parsed settings of an {@code azure-blob} store. {@link #toString()} never shows credentials.
 *
 * @param endpoint the blob service URL, e.g. {@code https://acct.blob.core.windows.net} or
 *     Azurite's {@code http://127.0.0.1:10000/devstoreaccount1}
 * @param prefix blob name prefix inside the container: empty, or ending in {@code /}
 * @param accountKey shared key (base64); with it the store can pre-sign (service SAS)
 * @param sasToken an account or container SAS, without the leading {@code ?}
 * @param blockSize bytes per staged block of an upload larger than {@code maxSingleUpload}
 * @param maxSingleUpload objects up to this size are written with one request
 * @param maxTries attempts per request (the SDK's retry policy), 1 means no retry
 * @param listPageSize blob names per listing request (at most 5,000)
 */
record AzureBlobSettings(
    URI endpoint,
    String account,
    String container,
    String prefix,
    @Nullable String accountKey,
    @Nullable String sasToken,
    boolean createContainer,
    int blockSize,
    int maxSingleUpload,
    int maxTries,
    int listPageSize) {

  static final String ENDPOINT = "endpoint";
  static final String ACCOUNT = "account";
  static final String CONTAINER = "container";
  static final String PREFIX = "prefix";
  static final String ACCOUNT_KEY = "accountKey";
  static final String SAS_TOKEN = "sasToken";
  static final String CREATE_CONTAINER = "createContainer";
  static final String BLOCK_SIZE = "blockSize";
  static final String MAX_SINGLE_UPLOAD = "maxSingleUpload";
  static final String MAX_TRIES = "maxTries";
  static final String LIST_PAGE_SIZE = "listPageSize";

  /** Settings whose values are secrets: never logged, never sent to workers. */
  static final Set<String> SECRETS = Set.of(ACCOUNT_KEY, SAS_TOKEN);

  static final Set<String> KNOWN =
      Set.of(
          "type",
          ENDPOINT,
          ACCOUNT,
          CONTAINER,
          PREFIX,
          ACCOUNT_KEY,
          SAS_TOKEN,
          CREATE_CONTAINER,
          BLOCK_SIZE,
          MAX_SINGLE_UPLOAD,
          MAX_TRIES,
          LIST_PAGE_SIZE);

  static final int MIB = 1024 * 1024;
  static final int DEFAULT_BLOCK_SIZE = 8 * MIB;
  static final int DEFAULT_MAX_SINGLE_UPLOAD = 32 * MIB;
  private static final int MAX_SAS_LENGTH = 4096;
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern CONTAINER_NAME =
      Pattern.compile("(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]");
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,10}) *(KB|MB)?");
  private static final Pattern SAS = Pattern.compile("[A-Za-z0-9%&=._~+/:-]+");

  /**
   * Parses and checks settings.
   *
   * @param given settings by name, matched ignoring case
   * @throws IllegalArgumentException if a setting is missing or invalid; the message never holds a
   *     secret's value
   */
  static AzureBlobSettings parse(Map<String, String> given) {
    // names are matched ignoring case: settings from environment variables arrive lower-cased
    Map<String, String> settings = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    settings.putAll(given);
    String account = optional(settings, ACCOUNT);
    if (account == null || !ACCOUNT_NAME.matcher(account).matches()) {
      throw invalid(ACCOUNT, "must be a storage account name (3-24 lowercase letters and digits)");
    }
    String container = optional(settings, CONTAINER);
    if (container == null || !CONTAINER_NAME.matcher(container).matches()) {
      throw invalid(
          CONTAINER,
          "must be a container name (3-63 lowercase letters, digits and single hyphens, starting"
              + " and ending with a letter or digit)");
    }
    String accountKey = optional(settings, ACCOUNT_KEY);
    if (accountKey != null && !isBase64(accountKey)) {
      throw invalid(ACCOUNT_KEY, "must be the account's base64 access key");
    }
    String sas = optional(settings, SAS_TOKEN);
    if (sas != null) {
      sas = sas.startsWith("?") ? sas.substring(1) : sas;
      if (sas.length() > MAX_SAS_LENGTH || !SAS.matcher(sas).matches() || !sas.contains("sig=")) {
        throw invalid(SAS_TOKEN, "must be a SAS query string with a signature (sig=...)");
      }
    }
    if ((accountKey == null) == (sas == null)) {
      throw new IllegalArgumentException(
          "azure-blob object store needs exactly one of the settings '"
              + ACCOUNT_KEY
              + "' and '"
              + SAS_TOKEN
              + "'");
    }
    int maxSingleUpload = bytes(settings, MAX_SINGLE_UPLOAD, DEFAULT_MAX_SINGLE_UPLOAD);
    return new AzureBlobSettings(
        endpoint(optional(settings, ENDPOINT), account),
        account,
        container,
        prefix(optional(settings, PREFIX)),
        accountKey,
        sas,
        bool(settings, CREATE_CONTAINER),
        bytes(settings, BLOCK_SIZE, DEFAULT_BLOCK_SIZE),
        maxSingleUpload,
        intIn(settings, MAX_TRIES, 1, 10, 4),
        intIn(settings, LIST_PAGE_SIZE, 1, 5000, 5000));
  }

  @Override
  public String toString() {
    return String.format(
        "AzureBlobSettings[endpoint=%s, account=%s, container=%s, prefix=%s, credentials=%s,"
            + " createContainer=%s, blockSize=%d, maxSingleUpload=%d, maxTries=%d,"
            + " listPageSize=%d]",
        endpoint,
        account,
        container,
        prefix,
        accountKey != null ? "shared key" : "SAS token",
        createContainer,
        blockSize,
        maxSingleUpload,
        maxTries,
        listPageSize);
  }

  private static IllegalArgumentException invalid(String name, String problem) {
    return new IllegalArgumentException("azure-blob setting '" + name + "' " + problem);
  }

  private static @Nullable String optional(Map<String, String> settings, String name) {
    String value = settings.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static boolean isBase64(String value) {
    try {
      return value.length() <= 512 && Base64.getDecoder().decode(value).length >= 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String prefix(@Nullable String value) {
    try {
      return ObjectKeys.directoryPrefix(value);
    } catch (InvalidKeyException e) {
      throw invalid(PREFIX, "is not a valid key prefix: " + e.getMessage());
    }
  }

  private static URI endpoint(@Nullable String value, String account) {
    if (value == null) {
      return URI.create("https://" + account + ".blob.core.windows.net");
    }
    URI uri;
    try {
      uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    } catch (java.net.URISyntaxException e) {
      throw invalid(ENDPOINT, "is not a URI");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw invalid(
          ENDPOINT, "must be an http(s) URL with a host and no query, user or fragment: " + value);
    }
    return uri;
  }

  private static boolean bool(Map<String, String> settings, String name) {
    String value = optional(settings, name);
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(name, "must be true or false: " + value);
    };
  }

  /** Bytes between 64 KiB and 256 MiB, with an optional KB/MB suffix (binary units). */
  private static int bytes(Map<String, String> settings, String name, int fallback) {
    String value = optional(settings, name);
    if (value == null) {
      return fallback;
    }
    java.util.regex.Matcher m = SIZE.matcher(value.toUpperCase(Locale.ROOT));
    if (m.matches()) {
      long unit = m.group(2) == null ? 1 : m.group(2).equals("MB") ? MIB : 1024;
      long n = Long.parseLong(m.group(1)) * unit;
      if (n >= 64 * 1024 && n <= 256L * MIB) {
        return (int) n;
      }
    }
    throw invalid(name, "must be between 64KB and 256MB: " + value);
  }

  private static int intIn(Map<String, String> settings, String name, int min, int max, int dflt) {
    String value = optional(settings, name);
    if (value == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw invalid(name, "must be an integer from " + min + " to " + max + ": " + value);
  }
}
