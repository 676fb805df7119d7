package dev.quarry.server.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driven by Selenium, pointed at one server: sign in with a key, run
 * scripts in the page, save screenshots to {@code docs/images/}. One per test class (starting
 * Chromium takes about a second); {@link #signOutAll} gives each test a fresh session.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final WebDriver driver;
  private final String base;

  Browser(String base) {
    this.base = base;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  void open(String path) {
    driver.get(base + path);
  }

  /** Opens the sign-in page and signs in with {@code key}; ends on the page it redirects to. */
  void signIn(String key) {
    signOutAll();
    open("/login");
    driver.findElement(By.id("key")).sendKeys(key);
    driver.findElement(By.id("sign-in")).click();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
    // the URL changes when the next page starts loading: wait until it has
    wait.until(d -> "complete".equals(script("return document.readyState")));
  }

  void signOutAll() {
    open("/login");
    driver.manage().deleteAllCookies();
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Runs {@code fetch} in the page and returns the status (and the body after a space). */
  String fetch(String method, String path, String body) {
    return (String)
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[1], {method: arguments[0], credentials: 'same-origin',"
                    + " headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                    + " body: arguments[0] === 'GET' ? undefined : arguments[2]})"
                    + ".then(r => r.text().then(t => done(r.status + ' ' + t)))"
                    + ".catch(e => done('error ' + e));",
                method,
                path,
                body);
  }

  /**
   * Saves a screenshot to {@code target/dashboard-screenshots/NAME.png}, or to the README's {@code
   * docs/images/} with {@code -Dquarry.screenshots=docs}.
   */
  void screenshot(String name) throws IOException {
    Path dir =
        "docs".equals(System.getProperty("quarry.screenshots"))
            ? Path.of("..", "docs", "images")
            : Path.of("target", "dashboard-screenshots");
    Files.createDirectories(dir);
    Path shot =
        ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
