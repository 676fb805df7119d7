package dev.quarry.lambda.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Verifies AWS Signature Version 4 on a request by signing it again, with the SDK's own signer,
 * over exactly the headers the client listed as signed and at the client's {@code X-Amz-Date}, then
 * comparing signatures in constant time.
 *
 * <p>Long because it implements the whole of AWS Signature Version 4 verification (canonical
 * request, string to sign, key derivation, header and query-string forms) in one place.
 */
final class SigV4Verifier {

  private static final String SERVICE = "lambda";
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final String accessKeyId;
  private final AwsCredentialsIdentity identity;
  private final String region;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final Clock clock;

  SigV4Verifier(String accessKeyId, String secretAccessKey, String region, Clock clock) {
    this.accessKeyId = accessKeyId;
    this.identity = AwsCredentialsIdentity.create(accessKeyId, secretAccessKey);
    this.region = region;
    this.clock = clock;
  }

  /** What the verifier needs of an HTTP request. */
  interface Request {
    String method();

    /** The path exactly as sent (still percent-encoded). */
    String rawPath();

    /** The query string exactly as sent, null if none. */
    @Nullable String rawQuery();

    /** All values of a header (case-insensitive), empty if absent. */
    List<String> header(String name);

    byte[] body();
  }

  /**
   * @throws ApiException 403 {@code UnrecognizedClientException} for an unknown access key, 403
   *     {@code InvalidSignatureException} for a wrong signature, scope or an expired date, 400
   *     {@code IncompleteSignatureException} for a malformed Authorization header, 403 {@code
   *     MissingAuthenticationTokenException} without one
   */
  void verify(Request request) {
    String authorization = first(request, "Authorization");
    if (authorization == null) {
      throw new ApiException(
          403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Authorization auth = Authorization.parse(authorization);
    if (!auth.accessKeyId().equals(accessKeyId)) {
      throw new ApiException(
          403,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.");
    }
    String amzDate = first(request, "X-Amz-Date");
    if (amzDate == null) {
      throw incomplete(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    Instant signedAt = parseDate(amzDate);
    Instant now = clock.instant();
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      throw invalidSignature(
          "Signature expired: "
              + amzDate
              + " is now earlier or later than the allowed 15 minutes around "
              + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC))
              + ".");
    }
    if (!auth.date().equals(amzDate.substring(0, 8))) {
      throw invalidSignature(
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP.");
    }
    if (!auth.region().equals(region)) {
      throw invalidSignature("Credential should be scoped to a valid region. ");
    }
    if (!auth.service().equals(SERVICE)) {
      throw invalidSignature("Credential should be scoped to correct service: '" + SERVICE + "'. ");
    }
    checkContentSha256(request);
    String expected = expectedSignature(request, auth, signedAt);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        auth.signature().getBytes(StandardCharsets.US_ASCII))) {
      throw invalidSignature(
          "The request signature we calculated does not match the signature you provided. Check"
              + " your AWS Secret Access Key and signing method. Consult the service documentation"
              + " for details.");
    }
  }

  private String expectedSignature(Request request, Authorization auth, Instant signedAt) {
    String host = first(request, "Host");
    if (host == null) {
      throw incomplete("Host header is required.");
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : auth.signedHeaders()) {
      List<String> values = request.header(name);
      if (values.isEmpty()) {
        throw invalidSignature("Signed header '" + name + "' is missing from the request.");
      }
      headers.put(name, values);
    }
    if (!headers.containsKey("host")) {
      throw invalidSignature("'Host' must be a signed header.");
    }
    int colon = host.lastIndexOf(':');
    SdkHttpRequest.Builder http =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method()))
            .protocol("http")
            .host(colon > 0 ? host.substring(0, colon) : host)
            .encodedPath(request.rawPath())
            .headers(headers);
    if (colon > 0) {
      http.port(Integer.parseInt(host.substring(colon + 1)));
    }
    for (Map.Entry<String, List<String>> q : QueryString.parse(request.rawQuery()).entrySet()) {
      http.putRawQueryParameter(q.getKey(), q.getValue());
    }
    byte[] body = request.body();
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(identity)
                    .request(http.build())
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, true)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, true)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    String recomputed = signed.request().firstMatchingHeader("Authorization").orElse("");
    Authorization ours = Authorization.parse(recomputed);
    if (!ours.signedHeaders().equals(auth.signedHeaders())) {
      // the signer added a header the client did not sign: the signatures cannot match
      throw invalidSignature("SignedHeaders do not match the request's headers.");
    }
    return ours.signature();
  }

  private static void checkContentSha256(Request request) {
    String declared = first(request, "X-Amz-Content-Sha256");
    if (declared == null || declared.equals("UNSIGNED-PAYLOAD")) {
      return;
    }
    String actual = HexFormat.of().formatHex(Sha256.digest(request.body()));
    if (!actual.equalsIgnoreCase(declared)) {
      throw invalidSignature(
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }

  private static Instant parseDate(String amzDate) {
    try {
      return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
    }
  }

  private static @Nullable String first(Request request, String header) {
    List<String> values = request.header(header);
    return values.isEmpty() ? null : values.get(0);
  }

  private static ApiException invalidSignature(String message) {
    return new ApiException(403, "InvalidSignatureException", message);
  }

  private static ApiException incomplete(String message) {
    return new ApiException(400, "IncompleteSignatureException", message);
  }

  /** The parts of an {@code Authorization: AWS4-HMAC-SHA256 ...} header. */
  record Authorization(
      String accessKeyId,
      String date,
      String region,
      String service,
      List<String> signedHeaders,
      String signature) {

    static Authorization parse(String header) {
      if (!header.startsWith(ALGORITHM + " ")) {
        throw incomplete("Authorization header requires the " + ALGORITHM + " algorithm.");
      }
      String credential = null;
      String signedHeaders = null;
      String signature = null;
      for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq < 0) {
          throw incomplete("Authorization header is malformed: '" + p + "'.");
        }
        String value = p.substring(eq + 1);
        switch (p.substring(0, eq)) {
          case "Credential" -> credential = value;
          case "SignedHeaders" -> signedHeaders = value;
          case "Signature" -> signature = value;
          default -> {}
        }
      }
      if (credential == null || signedHeaders == null || signature == null) {
        throw incomplete(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'"
                + " parameters.");
      }
      String[] scope = credential.split("/");
      if (scope.length != 5 || !scope[4].equals("aws4_request")) {
        throw incomplete(
            "Credential is malformed; expecting"
                + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
      }
      List<String> names = new ArrayList<>(List.of(signedHeaders.split(";")));
      return new Authorization(scope[0], scope[1], scope[2], scope[3], names, signature);
    }
  }
}
