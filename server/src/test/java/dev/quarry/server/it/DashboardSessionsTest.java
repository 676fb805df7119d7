package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.ServerFixture;
import dev.quarry.testkit.ServerProcess;
import dev.quarry.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dashboard session lives in PostgreSQL, not in one replica's memory: signed in on replica A, the
 * cookie opens pages on replica B; signed out on B, it no longer works on A.
 */
class DashboardSessionsTest {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern COOKIE = Pattern.compile("QUARRY_SESSION=([^;]+)");

  static TestDatabase db;
  static Path shared;
  static String operatorKey;
  static final List<ServerProcess> started = new ArrayList<>();
  static final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create();
    shared = Files.createTempDirectory("quarry-sessions");
    SecureRandom random = new SecureRandom();
    byte[] token = new byte[16];
    random.nextBytes(token);
    operatorKey = "op-" + HexFormat.of().formatHex(token);
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (ServerProcess s : started) {
      s.close();
    }
    if (db != null) {
      db.close();
    }
    if (shared != null) {
      ServerFixture.deleteRecursively(shared);
    }
  }

  @Test
  void aSignInOnOneReplicaHoldsOnTheOtherUntilSignOut() throws Exception {
    ServerProcess a = replica("a");
    ServerProcess b = replica("b");
    a.awaitUp(Duration.ofMinutes(3));
    b.awaitUp(Duration.ofMinutes(3));

    // the sign-in form's session (and its CSRF token) is already shared
    HttpResponse<String> form = get(a, "/login", null);
    String anonymous = cookie(form);
    HttpResponse<String> signIn =
        post(b, "/login", anonymous, "key=" + enc(operatorKey) + "&_csrf=" + enc(csrf(form)));
    assertThat(signIn.statusCode()).isEqualTo(302);
    assertThat(signIn.headers().firstValue("Location").orElseThrow()).endsWith("/");
    String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
    String session = cookie(signIn);
    assertThat(session).isNotEqualTo(anonymous);
    assertThat(storedSessions()).isPositive();

    // the signed-in cookie works on A, which never saw the sign-in
    HttpResponse<String> tenants = get(a, "/tenants", session);
    assertThat(tenants.statusCode()).isEqualTo(200);
    assertThat(tenants.body()).contains("default");
    // requests read the session but do not write it each time: its last access is written at
    // most once a minute (SessionTouchThrottle), not on every page, fragment and stream
    long lastAccess = storedLastAccess();
    for (int i = 0; i < 5; i++) {
      assertThat(get(i % 2 == 0 ? a : b, "/tenants", session).statusCode()).isEqualTo(200);
    }
    assertThat(storedLastAccess()).isEqualTo(lastAccess);

    // the pre-sign-in id was replaced (no fixation)
    assertThat(get(a, "/tenants", anonymous).statusCode()).isEqualTo(302);
    assertThat(get(b, "/tenants", null).statusCode()).isEqualTo(302);

    // signing out on A ends the session on B as well
    HttpResponse<String> out =
        post(a, "/logout", session, "_csrf=" + enc(csrf(get(a, "/tenants", session))));
    assertThat(out.statusCode()).isEqualTo(302);
    HttpResponse<String> after = get(b, "/tenants", session);
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.headers().firstValue("Location").orElseThrow()).contains("/login");
  }

  /** The last access time stored for the signed-in session (the only one with a principal). */
  private static long storedLastAccess() throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select last_access_time from dashboard_sessions"
                        + " where principal_name is not null")) {
      assertThat(rs.next()).isTrue();
      long value = rs.getLong(1);
      assertThat(rs.next()).as("one signed-in session").isFalse();
      return value;
    }
  }

  private static long storedSessions() throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select count(*) from dashboard_sessions where principal_name is not null")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static HttpResponse<String> get(ServerProcess s, String path, String session)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(s.restUrl() + path)).GET();
    if (session != null) {
      r.header("Cookie", "QUARRY_SESSION=" + session);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(
      ServerProcess s, String path, String session, String form) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(s.restUrl() + path))
            .header("Cookie", "QUARRY_SESSION=" + session)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static String csrf(HttpResponse<String> page) {
    Matcher m = CSRF.matcher(page.body());
    assertThat(m.find()).as("a CSRF field in %s", page.body()).isTrue();
    return m.group(1);
  }

  private static String cookie(HttpResponse<String> r) {
    String header = r.headers().firstValue("Set-Cookie").orElseThrow();
    Matcher m = COOKIE.matcher(header);
    assertThat(m.find()).as(header).isTrue();
    return m.group(1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static ServerProcess replica(String name) throws IOException {
    Path home = Files.createDirectories(shared.resolve(name));
    ServerProcess p =
        ServerProcess.builder(QuarryServer.class, home.resolve("server.log"))
            .arg(
                "--quarry.home=" + home,
                "--quarry.storage.data-dir=" + shared.resolve("data"),
                "--quarry.db.url=" + db.url(),
                "--quarry.db.username=" + db.user(),
                "--quarry.dev-key=false",
                "--server.port=0",
                "--quarry.grpc.port=0",
                "--management.server.port=0",
                "--quarry.backend.pool-size=1",
                "--quarry.dispatch.owner=" + name)
            .env("QUARRY_OPERATOR_KEY", operatorKey)
            .env("QUARRY_SECRETS_MASTER_KEYS", "k1:" + sharedMasterKey())
            .start();
    started.add(p);
    return p;
  }

  private static String masterKey;

  private static synchronized String sharedMasterKey() {
    if (masterKey == null) {
      byte[] master = new byte[32];
      new SecureRandom().nextBytes(master);
      masterKey = Base64.getEncoder().encodeToString(master);
    }
    return masterKey;
  }
}
