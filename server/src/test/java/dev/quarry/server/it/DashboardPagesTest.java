package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's other pages in headless Chromium: overview, functions and profiles, the admin
 * page (credential values never shown), the operator's tenants, and a refused sign-in.
 */
class DashboardPagesTest {
  static TestServer server;
  static Http admin;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    admin = new Http(server.restUrl(), server.apiKey);
    browser = new Browser(server.restUrl());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void theOverviewShowsJobsByStateAndTheDefaultCircuit() throws Exception {
    String id = JobFixtures.submit(admin, "{\"function\":\"echo\",\"inputs\":[1,2,3]}");
    JobFixtures.awaitState(admin, id, "SUCCEEDED", Duration.ofSeconds(60));
    browser.signIn(server.apiKey);
    assertThat(browser.driver.getCurrentUrl()).endsWith("/");
    String succeeded =
        browser
            .driver
            .findElement(By.cssSelector("#jobs-by-state tbody td:nth-child(2)"))
            .getText();
    assertThat(Long.parseLong(succeeded)).isPositive();
    assertThat(browser.driver.findElement(By.id("circuit")).getText()).isEqualTo("CLOSED");
    // the default lane: its circuit, why, and its workers busy out of the pool
    String lane = browser.driver.findElement(By.cssSelector("#lanes .lane")).getText();
    assertThat(lane).contains("default", "local", "CLOSED");
    assertThat(browser.driver.findElement(By.cssSelector("#lanes .lane .why")).getText())
        .isNotBlank();
    assertThat(browser.driver.findElement(By.cssSelector("#lanes .lane .busy")).getText())
        .matches("\\d+ / [1-9]\\d*");
    browser.open("/jobs?state=SUCCEEDED&function=echo&within=1h");
    assertThat(browser.driver.findElements(By.linkText(id.substring(0, 8)))).hasSize(1);
    browser.open("/jobs?state=FAILED&function=echo&within=1h");
    assertThat(browser.driver.findElements(By.linkText(id.substring(0, 8)))).isEmpty();
    browser.open("/");
    // this job's 3 futures ended within the hour (the rate, futures per second over the hour,
    // rounds to 0.0 unless other tests ran many futures on this server before)
    assertThat(Long.parseLong(browser.driver.findElement(By.id("ended-hour")).getText()))
        .isGreaterThanOrEqualTo(3);
    assertThat(Double.parseDouble(browser.driver.findElement(By.id("rate-hour")).getText()))
        .isNotNegative();
    browser.screenshot("dashboard-overview");
  }

  @Test
  void theAdminPageShowsKeysCredentialNamesLimitsAndAuditButNoSecret() throws Exception {
    String secret = "dash-secret-value-0123456789";
    assertThat(
            admin
                .put(
                    "/v1/credentials/dash-aws",
                    "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\"TESTKEYIDDASHBOARD\","
                        + "\"secretAccessKey\":\""
                        + secret
                        + "\"}}")
                .status())
        .isEqualTo(200);
    assertThat(admin.put("/v1/profiles/dash-prof", "{\"backend\":\"local\"}").status())
        .isEqualTo(200);
    browser.signIn(server.apiKey);
    browser.open("/admin");
    assertThat(browser.driver.findElement(By.id("credentials")).getText())
        .contains("dash-aws", "aws");
    assertThat(browser.driver.findElement(By.id("keys")).getText()).contains("admin");
    assertThat(browser.driver.findElement(By.id("limits")).getText()).contains("inputs per job");
    assertThat(browser.driver.findElement(By.id("audit")).getText()).contains("credential");
    assertThat(browser.driver.getPageSource()).doesNotContain(secret, "TESTKEYIDDASHBOARD");
    browser.screenshot("dashboard-admin");

    browser.open("/functions");
    assertThat(browser.driver.findElement(By.id("profiles")).getText()).contains("dash-prof");
  }

  @Test
  void aViewerMayNotOpenTheAdminPage() throws Exception {
    String viewerKey =
        admin
            .post("/v1/keys", "{\"name\":\"pages-viewer\",\"role\":\"viewer\"}")
            .json()
            .get("secret")
            .asString();
    browser.signIn(viewerKey);
    assertThat(browser.driver.findElements(By.linkText("Admin"))).isEmpty();
    assertThat(browser.fetch("GET", "/admin", "")).startsWith("403");
    assertThat(browser.fetch("GET", "/tenants", "")).startsWith("403");
    assertThat(browser.fetch("GET", "/functions", "")).startsWith("200");
  }

  @Test
  void theOperatorLandsOnTheTenants() {
    browser.signIn(TestServer.OPERATOR_KEY);
    assertThat(browser.driver.getCurrentUrl()).endsWith("/tenants");
    assertThat(browser.driver.findElement(By.id("tenants")).getText()).contains("default");
    assertThat(browser.fetch("GET", "/jobs", "")).startsWith("403");
  }

  @Test
  void aWrongOrOverlongKeyIsRefused() {
    for (String key : new String[] {"not-a-key", "k".repeat(300)}) {
      browser.signOutAll();
      browser.open("/login");
      browser.driver.findElement(By.id("key")).sendKeys(key);
      browser.driver.findElement(By.id("sign-in")).click();
      // the click only starts the form's POST: wait for the answer page
      assertThat(
              new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                  .until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-error")))
                  .getText())
          .contains("not valid");
      browser.open("/jobs");
      assertThat(browser.driver.getCurrentUrl()).contains("/login");
    }
  }
}
