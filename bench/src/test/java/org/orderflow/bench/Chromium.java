package org.orderflow.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through WebDriver: the machine's own chromium and chromedriver (Debian's packages, which
 * .ci/run installs), never a browser or driver downloaded by the test. Screenshots go to bench/target/screenshots.
 */
final class Chromium implements AutoCloseable {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String BINARY = System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium");
    private static final String DRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");

    final ChromeDriver driver;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips the test where Chromium is not installed, except in CI, where that is a failure. */
    static void requireInstalled() {
        boolean installed = new File(BINARY).canExecute() && new File(DRIVER).canExecute();
        String why = "chromium and chromedriver are not installed at " + BINARY + " and " + DRIVER
                + " (apt-get install chromium chromium-driver; CHROMIUM_BINARY and CHROMEDRIVER to point elsewhere)";
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError(why + ": .ci/run installs them");
        }
        Assumptions.assumeTrue(installed, why);
    }

    static Chromium start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        // As root (CI, this machine) Chromium's sandbox cannot start; /dev/shm is small in containers.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, options));
    }

    /** What the page's console said at level SEVERE since the last call: script errors, refused resources, CSP. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    /**
     * Waits up to {@code timeout} for {@code condition} to give a value (not null or false). An element the page replaced
     * while the condition read it (the pages re-render their tables on every refresh) means "try again", not a failure.
     * On a timeout it saves a screenshot named after {@code what} and fails with the page's text, so that the failure
     * says what the page showed.
     */
    <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(condition::apply);
        } catch (TimeoutException e) {
            Path shot = screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what + "; the page (" + shot + ") shows:\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Saves the whole page (not only the window) as {@code name}.png, a test artefact. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Dimension window = driver.manage().window().getSize();
            long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
            driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.max(window.getHeight(), height + 140)));
            try {
                Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                driver.manage().window().setSize(window);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
