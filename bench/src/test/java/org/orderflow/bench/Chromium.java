package org.orderflow.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

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

    /** Saves what the browser shows as {@code name}.png, a test artefact. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
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
