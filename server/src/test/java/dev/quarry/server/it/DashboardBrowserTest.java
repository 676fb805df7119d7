package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;

/**
 * The dashboard in a real browser (headless Chromium, Selenium) against the shared test server and
 * PostgreSQL: sign-in, a map followed live to the end with its charts drawn, a failed future's
 * exception, cancel for members only, tenancy, CSRF, escaping and sign-out.
 */
class DashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  static TestServer server;
  static Http admin;
  static Browser browser;

  /**
   * A tenant limited to one invocation at a time, for the jobs that must stay running while a test
   * looks at them: cancelled, they leave at most one short invocation behind on the shared workers.
   */
  static Http slow;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    admin = new Http(server.restUrl(), server.apiKey);
    Http operator = admin.withKey(TestServer.OPERATOR_KEY);
    String tenant = "dash-slow-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Response created =
        operator.post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Slow team\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    slow = admin.withKey(created.json().get("adminKeySecret").asString());
    Http.Response limited =
        operator.put("/v1/admin/tenants/" + tenant + "/limits", "{\"maxConcurrentInvocations\":1}");
    assertThat(limited.status()).as(limited.body()).isEqualTo(200);
    browser = new Browser(server.restUrl());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void followsA2000InputMapLiveToTheEndAndDrawsItsCharts() throws Exception {
    browser.signIn(server.apiKey);
    Cookie session = browser.driver.manage().getCookieNamed("QUARRY_SESSION");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(session.getExpiry()).isNotNull();

    String inputs =
        IntStream.range(0, 2000)
            .mapToObj(i -> "{\"ms\":2,\"value\":" + i + "}")
            .collect(Collectors.joining(","));
    String id =
        JobFixtures.submit(
            admin, "{\"function\":\"sleep\",\"inputs\":[" + inputs + "],\"label\":\"live 2000\"}");
    browser.open("/jobs/" + id);
    browser.script("window.notReloaded = true;");
    assertThat(browser.driver.findElement(By.id("n-total")).getText()).isEqualTo("2000");

    await()
        .atMost(WAIT)
        .until(() -> browser.driver.findElement(By.id("state")).getText().equals("SUCCEEDED"));
    assertThat(browser.driver.findElement(By.id("percent")).getText()).isEqualTo("100 %");
    assertThat(browser.script("return window.notReloaded === true;")).isEqualTo(true);
    assertThat(browser.driver.findElement(By.id("n-succeeded")).getText()).isEqualTo("2000");
    browser.screenshot("dashboard-job");
    // the timeline's segments and the histogram's bars are in the succeeded colour
    await().atMost(WAIT).until(() -> coloured("#timeline canvas") > 500);
    await().atMost(WAIT).until(() -> coloured("#histogram canvas") > 200);
    await()
        .atMost(WAIT)
        .until(() -> !browser.driver.findElements(By.cssSelector(".future-row")).isEmpty());
    assertThat(futuresRequests()).isZero(); // the table came with the stream's last events
    // each future names the worker that ran it
    assertThat(browser.driver.findElements(By.cssSelector(".future-row .worker")))
        .isNotEmpty()
        .allSatisfy(w -> assertThat(w.getText()).isNotBlank());
    // paged by input index: the next page starts where the first ended, the last has no next
    browser.driver.findElement(By.id("next-futures")).click();
    await()
        .atMost(WAIT)
        .until(
            () ->
                browser
                    .driver
                    .findElement(By.cssSelector(".future-row td"))
                    .getText()
                    .equals("50"));
    assertThat(browser.driver.findElements(By.cssSelector(".future-row"))).hasSize(50);
    String last = browser.fetch("GET", "/jobs/" + id + "/futures?from=1950", "");
    assertThat(last).startsWith("200 ").contains(">1999<").doesNotContain("next-futures");
    assertThat(last.split("class=\"future-row\"", -1)).hasSize(51);
    browser.screenshot("dashboard-job");

    browser.open("/jobs");
    assertThat(browser.driver.findElement(By.id("job-rows")).getText()).contains("live 2000");
    browser.screenshot("dashboard-jobs");
  }

  @Test
  void aFailedFutureShowsItsExceptionAndStackTrace() throws Exception {
    String id = JobFixtures.submit(admin, "{\"function\":\"fail\",\"inputs\":[\"boom\",\"b\"]}");
    JobFixtures.awaitTerminal(admin, id, WAIT);
    browser.signIn(server.apiKey);
    // the page arrives with its first futures page (no second request), and the stream of an
    // ended job gives the charts' data, the futures' first page, then the last progress, and ends
    assertThat(browser.fetch("GET", "/jobs/" + id, ""))
        .startsWith("200 ")
        .contains("class=\"future-row\"", "FAILED");
    String stream = browser.fetch("GET", "/jobs/" + id + "/events", "");
    assertThat(stream)
        .startsWith("200 ")
        .contains("event:charts", "event:futures", "event:progress", "future-row");
    assertThat(stream.indexOf("event:charts")).isLessThan(stream.indexOf("event:futures"));
    assertThat(stream.indexOf("event:futures")).isLessThan(stream.indexOf("event:progress"));
    assertThat(stream.substring(stream.indexOf("event:progress"))).contains("\"terminal\":true");
    browser.open("/jobs/" + id);
    await().atMost(WAIT).until(() -> !browser.driver.findElements(By.id("failed-only")).isEmpty());
    browser.driver.findElement(By.id("failed-only")).click();
    await()
        .atMost(WAIT)
        .until(() -> !browser.driver.findElements(By.cssSelector(".show-error")).isEmpty());
    browser.driver.findElements(By.cssSelector(".show-error")).get(0).click();
    await().atMost(WAIT).until(() -> !browser.driver.findElements(By.id("stack-trace")).isEmpty());
    assertThat(browser.driver.findElement(By.id("error-type")).getText()).isNotBlank();
    assertThat(browser.driver.findElement(By.id("error-message")).getText()).isNotBlank();
    assertThat(browser.driver.findElement(By.id("stack-trace")).getText()).contains("at ");
    browser.script("document.getElementById('future-error').scrollIntoView({block: 'center'});");
    browser.screenshot("dashboard-failed-future");
  }

  @Test
  void aMemberCancelsARunningJobFromItsPage() throws Exception {
    String id = longJob("member cancels");
    browser.signIn(slow.key());
    browser.open("/jobs/" + id);
    browser.driver.findElement(By.id("cancel")).click();
    await()
        .atMost(WAIT)
        .until(() -> browser.driver.findElement(By.id("state")).getText().equals("CANCELLED"));
    assertThat(JobFixtures.status(slow, id).get("state").asString()).isEqualTo("CANCELLED");
  }

  @Test
  void aViewerHasNoCancelButtonAndAForgedCancelIsRefused() throws Exception {
    String viewerKey =
        slow.post("/v1/keys", "{\"name\":\"dash-viewer\",\"role\":\"viewer\"}")
            .json()
            .get("secret")
            .asString();
    String id = longJob("viewer looks");
    browser.signIn(viewerKey);
    browser.open("/jobs/" + id);
    assertThat(browser.driver.findElement(By.id("role")).getText()).isEqualTo("viewer");
    assertThat(browser.driver.findElements(By.id("cancel"))).isEmpty();
    assertThat(browser.driver.findElements(By.id("retry-failed"))).isEmpty();

    try {
      String csrf = csrfToken();
      assertThat(browser.fetch("POST", "/jobs/" + id + "/cancel", "_csrf=" + csrf))
          .startsWith("403");
      assertThat(JobFixtures.status(slow, id).get("state").asString()).isEqualTo("RUNNING");
    } finally {
      slow.post("/v1/jobs/" + id + "/cancel", "");
    }
  }

  @Test
  void aRunningJobsChartsAndAtItsEndItsFuturesArriveOverItsStreamSharedByItsPages()
      throws Exception {
    String id = longJob("charts live");
    browser.signIn(slow.key());
    browser.open("/jobs/" + id); // the page's own stream, and a second one like another page's
    boolean cancelled = false;
    try {
      browser.script(
          "window.liveCharts = null; window.liveFutures = null;"
              + " const s = new EventSource('/jobs/' + arguments[0] + '/events');"
              + " s.addEventListener('charts', e => { window.liveCharts = JSON.parse(e.data); });"
              + " s.addEventListener('futures', e => { window.liveFutures = JSON.parse(e.data); });",
          id);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  Boolean.TRUE.equals(
                      browser.script(
                          "return !!window.liveCharts && window.liveCharts.index.length > 0;")));
      assertThat(((Number) browser.script("return window.liveCharts.total;")).intValue())
          .isEqualTo(1000);
      // one letter per future: Running or Succeeded by now, and nothing but the five states
      assertThat(
              browser.script(
                  "const c = window.liveCharts; return c.states.length === c.index.length"
                      + " && /^[PRSFC]+$/.test(c.states) && /[RS]/.test(c.states);"))
          .isEqualTo(true);
      assertThat(browser.script("return window.liveFutures;")).isNull(); // not while it runs

      slow.post("/v1/jobs/" + id + "/cancel", "");
      cancelled = true;
      // the ended job's first page of futures comes over the stream, rendered once for its pages
      await().atMost(WAIT).until(() -> browser.script("return window.liveFutures;") != null);
      assertThat((String) browser.script("return window.liveFutures.html;"))
          .contains("id=\"futures-table\"", "class=\"future-row\"", "CANCELLED");
      await()
          .atMost(WAIT)
          .until(() -> browser.driver.findElement(By.id("state")).getText().equals("CANCELLED"));
      // the page shows that table without asking for it
      assertThat(browser.driver.findElement(By.id("futures-table")).getText())
          .contains("CANCELLED");
      assertThat(futuresRequests()).isZero();
    } finally {
      if (!cancelled) {
        slow.post("/v1/jobs/" + id + "/cancel", "");
      }
    }
  }

  @Test
  void anotherTenantsJobIsTheSameNotFoundPageAsAMissingJob() throws Exception {
    String id = JobFixtures.submit(admin, "{\"function\":\"echo\",\"inputs\":[1]}");
    Http operator = admin.withKey(TestServer.OPERATOR_KEY);
    String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Response created =
        operator.post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"B team\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    browser.signIn(created.json().get("adminKeySecret").asString());

    String theirs = browser.fetch("GET", "/jobs/" + id, "");
    String missing = browser.fetch("GET", "/jobs/" + UUID.randomUUID(), "");
    assertThat(theirs).startsWith("404 ").isEqualTo(missing);
    assertThat(browser.fetch("GET", "/jobs/" + id + "/events", ""))
        .isEqualTo(browser.fetch("GET", "/jobs/" + UUID.randomUUID() + "/events", ""));
    browser.open("/jobs/" + id);
    assertThat(browser.driver.findElement(By.id("not-found")).getText()).isEqualTo("Not found");
    browser.open("/jobs");
    assertThat(browser.driver.findElement(By.id("job-rows")).getText())
        .doesNotContain(id.substring(0, 8));
  }

  @Test
  void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
    String id = longJob("csrf");
    browser.signIn(slow.key());
    try {
      browser.open("/jobs/" + id);
      assertThat(browser.fetch("POST", "/jobs/" + id + "/cancel", "")).startsWith("403");
      assertThat(browser.fetch("POST", "/logout", "")).startsWith("403");
      assertThat(JobFixtures.status(slow, id).get("state").asString()).isEqualTo("RUNNING");
      assertThat(browser.fetch("GET", "/jobs", "")).startsWith("200");
    } finally {
      slow.post("/v1/jobs/" + id + "/cancel", "");
    }
  }

  @Test
  void aScriptLabelRendersAsText() throws Exception {
    String label = "<script>alert(1)</script>";
    String id =
        JobFixtures.submit(
            admin,
            "{\"function\":\"echo\",\"inputs\":[1],\"label\":\""
                + label.replace("/", "\\/")
                + "\"}");
    browser.signIn(server.apiKey);
    browser.open("/jobs/" + id);
    assertThat(browser.driver.findElement(By.id("job-label")).getText()).isEqualTo(label);
    assertNoAlert();
    browser.open(
        "/jobs?label="
            + java.net.URLEncoder.encode(label, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(browser.driver.findElement(By.id("job-rows")).getText()).contains(label);
    assertNoAlert();
  }

  @Test
  void revokingTheKeyEndsItsSessions() throws Exception {
    Http.Response created =
        admin.post("/v1/keys", "{\"name\":\"dash-revoked\",\"role\":\"member\"}");
    browser.signIn(created.json().get("secret").asString());
    browser.open("/jobs");
    assertThat(browser.driver.getCurrentUrl()).endsWith("/jobs");
    String keyId = created.json().get("key").get("id").asString();
    assertThat(admin.post("/v1/keys/" + keyId + "/revoke", "").status()).isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              browser.open("/jobs");
              return browser.driver.getCurrentUrl().contains("/login");
            });
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    browser.signIn(server.apiKey);
    browser.open("/jobs");
    Cookie before = browser.driver.manage().getCookieNamed("QUARRY_SESSION");
    browser.driver.findElement(By.id("sign-out")).click();
    // the login page that says so, once it has loaded (the URL changes before the page is there)
    await().atMost(WAIT).until(() -> !browser.driver.findElements(By.id("signed-out")).isEmpty());
    assertThat(browser.driver.getCurrentUrl()).contains("/login");
    browser.screenshot("dashboard-sign-in");
    // the old session cookie no longer signs anyone in
    browser.driver.manage().deleteAllCookies();
    browser.driver.manage().addCookie(before);
    browser.open("/jobs");
    assertThat(browser.driver.getCurrentUrl()).contains("/login");
  }

  /**
   * A job of the slow tenant that runs for minutes unless cancelled: one 500 ms future per
   * invocation, one invocation at a time.
   */
  private static String longJob(String label) throws Exception {
    String inputs = IntStream.range(0, 1000).mapToObj(i -> "500").collect(Collectors.joining(","));
    return JobFixtures.submit(
        slow,
        "{\"function\":\"sleep\",\"chunkSize\":1,\"inputs\":["
            + inputs
            + "],\"label\":\""
            + label
            + "\"}");
  }

  /** How many requests for a futures table this page made (Resource Timing counts XHRs too). */
  private static long futuresRequests() {
    return ((Number)
            browser.script(
                "return performance.getEntriesByType('resource')"
                    + ".filter(e => new URL(e.name).pathname.endsWith('/futures')).length;"))
        .longValue();
  }

  private static String csrfToken() {
    return browser.driver.findElement(By.cssSelector("input[name=_csrf]")).getDomProperty("value");
  }

  /** Pixels of the canvas in (or anti-aliased from) the succeeded colour #2ea043. */
  private static long coloured(String selector) {
    Object n =
        browser.script(
            "const c = document.querySelector(arguments[0]); if (!c) return 0;"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 0; i < d.length; i += 4)"
                + " if (d[i+3] > 0 && d[i+1] > d[i] + 40 && d[i+1] > d[i+2] + 40) n++; return n;",
            selector);
    return ((Number) n).longValue();
  }

  private static void assertNoAlert() {
    try {
      browser.driver.switchTo().alert();
      throw new AssertionError("the page ran a script from a label");
    } catch (NoAlertPresentException expected) {
      // inert
    }
  }
}
