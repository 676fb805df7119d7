package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.quarry.server.grpc.GrpcServerLifecycle;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.RawHttp;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Sends generated bad input to every REST route and gRPC method the running server registers (a new
 * endpoint is covered without a change here): type-confused and extreme field values, NUL, lone
 * surrogates, 1 MB strings, broken JSON, random bytes, malformed protobuf. Every answer must be a
 * 4xx with a JSON error body (gRPC: a status other than OK, INTERNAL and UNKNOWN), within a
 * timeout; afterwards the database and storage are unchanged and the server is healthy. Seeded,
 * bounded in count and time.
 */
class FuzzTest {
  private static final long SEED = 17;
  private static final long BUDGET_MS = 45_000;
  private static final int MAX_REST_CASES = 1500;
  private static final int MAX_GRPC_CASES = 1000;

  static TestServer server;
  static String tenantKey;
  static String jobId;
  static ManagedChannel channel;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.get();
    Http operator = new Http(server.restUrl(), TestServer.OPERATOR_KEY);
    String tenant = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
    tenantKey =
        operator
            .post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Fuzz\"}")
            .json()
            .get("adminKeySecret")
            .asString();
    assertThat(
            operator
                .put("/v1/admin/tenants/" + tenant + "/limits", "{\"requestsPerSecond\":100000}")
                .status())
        .isEqualTo(200);
    Http admin = new Http(server.restUrl(), tenantKey);
    assertThat(admin.put("/v1/profiles/fuzz-p", "{\"backend\":\"local\"}").status()).isEqualTo(200);
    jobId =
        admin
            .post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}")
            .json()
            .get("id")
            .asString();
    RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + jobId + "/results"));
    channel =
        NettyChannelBuilder.forTarget(server.grpcTarget())
            .usePlaintext()
            .maxInboundMessageSize(16 << 20)
            .build();
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Valid bodies to mutate, by route; routes not listed start from an empty object. */
  static final Map<String, String> SEEDS =
      Map.of(
          "POST /v1/jobs",
              "{\"function\":\"echo\",\"inputs\":[1],\"chunkSize\":1,\"maxAttempts\":2,\"timeoutMs\":1000,"
                  + "\"label\":\"l\",\"profile\":\"fuzz-p\",\"retryFunctionErrors\":false}",
          "POST /v1/admin/tenants", "{\"id\":\"fz-new\",\"name\":\"n\"}",
          "PUT /v1/admin/tenants/{id}/limits",
              "{\"maxJobsInFlight\":5,\"requestsPerSecond\":100000}",
          "POST /v1/keys", "{\"name\":\"k\",\"role\":\"viewer\"}",
          "POST /v1/worker-tokens", "{\"name\":\"w\",\"profile\":\"fuzz-p\"}",
          "PUT /v1/credentials/{name}",
              "{\"kind\":\"aws\",\"fields\":{\"roleArn\":\"arn:aws:iam::1:role/x\"}}",
          "PUT /v1/profiles/{name}",
              "{\"backend\":\"local\",\"settings\":{\"maxAttempts\":\"2\"},\"credential\":\"c\"}");

  static final List<String> BAD_QUERY =
      List.of("-1", "1e400", "99999999999999999999", "%00", "%ED%A0%80", "x".repeat(5000), "1.5");

  /**
   * Sent as JSON text; lone surrogates go in {@link #BAD_VALUES} as escapes (UTF-8 cannot carry
   * them).
   */
  static final List<String> BAD_TEXT =
      List.of("a\u0000b", "x".repeat(1 << 20), "\u0001\u007f\u0085");

  static final List<String> BAD_VALUES =
      List.of(
          "1e400",
          "-1e400",
          "-1",
          "2147483648",
          "9223372036854775808",
          "0.5",
          "[]",
          "{}",
          "\"\"",
          "\"a\\u0000b\"",
          "\"\\ud800\"",
          "\"\\udc00x\"");

  @Test
  void badInputAnywhereIsA4xxAndChangesNothing() throws Exception {
    String before = fingerprint();
    long start = System.currentTimeMillis();
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int rest = fuzzRest(random, start, failures);
    int grpc = fuzzGrpc(random, start, failures);
    long took = System.currentTimeMillis() - start;
    System.out.println(
        "fuzz: "
            + (rest + grpc)
            + " cases ("
            + rest
            + " REST, "
            + grpc
            + " gRPC) in "
            + took
            + " ms, seed "
            + SEED);
    assertThat(failures).isEmpty();
    assertThat(fingerprint()).isEqualTo(before);
    RawHttp.Answer health = RawHttp.get(server.managementPort, "/actuator/health", "");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(rest).isGreaterThan(200);
    assertThat(grpc).isGreaterThan(50);
  }

  private int fuzzRest(Random random, long start, List<String> failures) throws Exception {
    var mapping =
        server.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    TreeMap<String, String> routes = new TreeMap<>();
    Map<String, List<String>> params = new TreeMap<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) ->
                info.getPatternValues().stream()
                    .filter(p -> p.startsWith("/v1/"))
                    .forEach(
                        p ->
                            info.getMethodsCondition()
                                .getMethods()
                                .forEach(
                                    m -> {
                                      routes.put(m + " " + p, p);
                                      params.put(
                                          m + " " + p,
                                          java.util.Arrays.stream(handler.getMethodParameters())
                                              .filter(
                                                  mp ->
                                                      mp.hasParameterAnnotation(
                                                          org.springframework.web.bind.annotation
                                                              .RequestParam.class))
                                              .map(
                                                  mp -> {
                                                    var rp =
                                                        mp.getParameterAnnotation(
                                                            org.springframework.web.bind.annotation
                                                                .RequestParam.class);
                                                    mp.initParameterNameDiscovery(
                                                        new org.springframework.core
                                                            .DefaultParameterNameDiscoverer());
                                                    return !rp.name().isEmpty()
                                                        ? rp.name()
                                                        : java.util.Objects.requireNonNull(
                                                            mp.getParameterName());
                                                  })
                                              .toList());
                                    })));
    List<String[]> cases = new ArrayList<>();
    for (var r : routes.entrySet()) {
      String method = r.getKey().substring(0, r.getKey().indexOf(' '));
      boolean hasBody = SEEDS.containsKey(r.getKey());
      List<String> query = params.getOrDefault(r.getKey(), List.of());
      for (String path : paths(r.getValue(), hasBody || !query.isEmpty() && method.equals("GET"))) {
        if (hasBody) {
          for (int round = 0; round < 3; round++) {
            for (String body : mutations(SEEDS.get(r.getKey()), random)) {
              cases.add(new String[] {method, path, body, r.getKey()});
            }
          }
        } else if (!query.isEmpty() && path.equals(existing(r.getValue()))) {
          for (String name : query) {
            for (String value : BAD_QUERY) {
              cases.add(new String[] {method, path + "?" + name + "=" + value, "", r.getKey()});
            }
          }
        } else if (!path.equals(existing(r.getValue()))) {
          cases.add(new String[] {method, path, "", r.getKey()});
        }
      }
      cases.add(
          new String[] {
            method,
            r.getValue().replaceAll("\\{[^}]+}", "x") + "?" + "q".repeat(20_000) + "=1",
            "",
            r.getKey()
          });
    }
    java.util.Collections.shuffle(cases, random);
    int n = 0;
    for (String[] c : cases.subList(0, Math.min(MAX_REST_CASES, cases.size()))) {
      if (System.currentTimeMillis() - start > BUDGET_MS * 2 / 3) {
        break;
      }
      n++;
      String key = c[3].contains("/v1/admin/") ? TestServer.OPERATOR_KEY : tenantKey;
      RawHttp.Answer a =
          RawHttp.send(
              server.httpPort,
              c[0],
              c[1],
              "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n",
              c[2].getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (a.status() < 400 || a.status() >= 500 || !a.isJsonError()) {
        failures.add(
            c[0]
                + " "
                + clip(c[1])
                + " "
                + clip(c[2])
                + " -> "
                + a.status()
                + " "
                + clip(a.body()));
      }
    }
    return n;
  }

  /** The route with its variables filled with things that exist. */
  private static String existing(String pattern) {
    return pattern
        .replace("{id}", pattern.contains("/jobs/") ? jobId : "default")
        .replace("{profile}", "fuzz-p")
        .replace("{name}", "fuzz-p");
  }

  /**
   * Paths for a route: with hostile text in its variables, and (only when the request is bad for
   * another reason: a mutated body or query) with its variables naming things that exist.
   */
  private static List<String> paths(String pattern, boolean existingToo) {
    List<String> out = new ArrayList<>();
    if (existingToo || !pattern.contains("{")) {
      out.add(existing(pattern));
    }
    if (pattern.contains("{")) {
      out.add(pattern.replaceAll("\\{[^}]+}", "%C3%28"));
      out.add(pattern.replaceAll("\\{[^}]+}", "x".repeat(3000)));
      out.add(pattern.replaceAll("\\{[^}]+}", "%ED%A0%80"));
    }
    return out;
  }

  /** Bodies that are wrong by construction: each has at least one bad value or is not JSON. */
  private static List<String> mutations(String seed, Random random) {
    List<String> out = new ArrayList<>();
    out.add(seed.substring(0, seed.length() / 2));
    out.add("[" + seed + "]");
    byte[] noise = new byte[64];
    random.nextBytes(noise);
    out.add(new String(noise, java.nio.charset.StandardCharsets.ISO_8859_1));
    var node = Http.JSON.readTree(seed);
    List<String> fields = new ArrayList<>(node.propertyNames());
    if (fields.isEmpty()) {
      fields.add("unexpected");
    }
    for (String field : fields) {
      var original = node.get(field);
      for (String bad : BAD_VALUES) {
        boolean sameShape =
            original != null
                && (bad.equals("{}") && original.isObject()
                    || bad.equals("[]") && original.isArray()
                    || bad.equals("\"\"") && original.isString() && !field.equals("function"));
        if (!sameShape && random.nextInt(3) == 0) {
          out.add(replaceField(seed, field, bad));
        }
      }
      for (String text : BAD_TEXT) {
        if (random.nextInt(2) == 0) {
          out.add(replaceField(seed, field, Http.JSON.writeValueAsString(text)));
        }
      }
    }
    return out;
  }

  private static String replaceField(String seed, String field, String value) {
    var node = (tools.jackson.databind.node.ObjectNode) Http.JSON.readTree(seed);
    node.remove(field);
    String rest =
        node.isEmpty() ? "" : "," + node.toString().substring(1, node.toString().length() - 1);
    return "{\"" + field + "\":" + value + rest + "}";
  }

  private int fuzzGrpc(Random random, long start, List<String> failures) throws Exception {
    List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
    server
        .context
        .getBean(GrpcServerLifecycle.class)
        .authenticatedServices()
        .forEach(def -> def.getMethods().forEach(m -> methods.add(m.getMethodDescriptor())));
    int n = 0;
    outer:
    for (int round = 0; round < 12; round++) {
      for (MethodDescriptor<?, ?> md : methods) {
        for (byte[] request : grpcInputs(md, random)) {
          if (n >= MAX_GRPC_CASES || System.currentTimeMillis() - start > BUDGET_MS) {
            break outer;
          }
          n++;
          Status s = call(md, request);
          if (s.isOk()
              || s.getCode() == Status.Code.INTERNAL
              || s.getCode() == Status.Code.UNKNOWN
              || s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            failures.add(md.getFullMethodName() + " " + request.length + " bytes -> " + s);
          }
        }
      }
    }
    return n;
  }

  /** Malformed bytes, and well-formed messages with a NUL in one string field. */
  private static List<byte[]> grpcInputs(MethodDescriptor<?, ?> md, Random random) {
    List<byte[]> out = new ArrayList<>();
    byte[] garbage = new byte[1 + random.nextInt(200)];
    random.nextBytes(garbage);
    garbage[0] = (byte) 0xff;
    out.add(garbage);
    out.add(new byte[] {0x0a, 0x7f, 0x01});
    if (md.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
        && p.getMessagePrototype() instanceof Message proto) {
      for (FieldDescriptor f : proto.getDescriptorForType().getFields()) {
        if (f.getJavaType() == FieldDescriptor.JavaType.STRING && !f.isMapField()) {
          Message.Builder b = proto.newBuilderForType();
          String bad = "x\u0000" + "y".repeat(random.nextInt(100));
          if (f.isRepeated()) {
            b.addRepeatedField(f, bad);
          } else {
            b.setField(f, bad);
          }
          out.add(b.build().toByteArray());
        }
      }
    }
    return out;
  }

  private static Status call(MethodDescriptor<?, ?> md, byte[] request) throws Exception {
    MethodDescriptor<InputStream, InputStream> raw = md.toBuilder(RAW, RAW).build();
    ClientCall<InputStream, InputStream> call =
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + tenantKey);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        headers);
    call.request(Integer.MAX_VALUE);
    call.sendMessage(new ByteArrayInputStream(request));
    call.halfClose();
    return closed.get(15, TimeUnit.SECONDS);
  }

  private static final MethodDescriptor.Marshaller<InputStream> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          try {
            return new ByteArrayInputStream(stream.readAllBytes());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  /** Short and printable, for a failure message. */
  private static String clip(String s) {
    String cut = s.length() > 150 ? s.substring(0, 150) + "...(" + s.length() + ")" : s;
    StringBuilder out = new StringBuilder();
    cut.chars()
        .forEach(
            c ->
                out.append(
                    c >= 0x20 && c < 0x7f
                        ? String.valueOf((char) c)
                        : String.format("\\u%04x", c)));
    return out.toString();
  }

  /** Every tenant's rows and every stored object, counted. */
  private static String fingerprint() throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Connection c = server.database.connect();
        Statement s = c.createStatement()) {
      for (String table :
          List.of(
              "tenants",
              "api_keys",
              "jobs",
              "tasks",
              "functions",
              "blobs",
              "credentials",
              "backend_profiles",
              "tenant_limits")) {
        try (ResultSet rs =
            s.executeQuery(
                "select count(*), md5(coalesce(string_agg(t::text, ',' order by t::text), ''))"
                    + " from "
                    + table
                    + " t"
                    + (table.equals("api_keys") ? "" : ""))) {
          rs.next();
          sb.append(table)
              .append('=')
              .append(rs.getLong(1))
              .append('/')
              .append(
                  table.equals("api_keys") || table.equals("tasks") || table.equals("jobs")
                      ? ""
                      : rs.getString(2))
              .append(' ');
        }
      }
    }
    try (var walk = Files.walk(server.dataDir())) {
      sb.append("files=").append(walk.filter(Files::isRegularFile).count());
    }
    return sb.toString();
  }
}
