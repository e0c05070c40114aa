package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.orderflow.contract.Topics;
import org.orderflow.devstack.TestTokens;

/**
 * The tracking page and the operations page in real Chromium against the five services: an order placed in the page
 * fills its timeline live to SHIPPED; a stream cut by svc-order's restart resumes and misses nothing; a cancellation
 * shows its outcome; an operator sees a dead letter appear and replays it. Screenshots go to bench/target/screenshots.
 */
class PagesBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestSystem system;

    @BeforeAll
    static void startTheSystem() {
        Chromium.requireInstalled();
        // Packing takes 1.5 s: the steps arrive one by one, and there is time to cancel.
        system = new TestSystem(Map.of("warehouse", Map.of("PACKING_TIME", "1500ms")));
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void anOrderPlacedInThePageFillsItsTimelineLiveUntilShipped() {
        try (Chromium chromium = Chromium.start()) {
            open(chromium, "/");
            signIn(chromium, "not-a-token");
            awaitText(chromium, By.id("message"), "Your token was refused");
            signIn(chromium, TestTokens.customer("cust-page"));
            WebElement quantity = chromium.await(WAIT, "the catalogue", d -> d.findElement(By.cssSelector("input[data-product]")));
            ((JavascriptExecutor) chromium.driver).executeScript("window.notReloaded = true");

            quantity.clear();
            quantity.sendKeys("2");
            chromium.driver.findElement(By.id("place")).click();

            awaitTimeline(chromium, "RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
            assertThat(((JavascriptExecutor) chromium.driver).executeScript("return window.notReloaded")).as("no reload").isEqualTo(true);
            assertThat(chromium.driver.findElement(By.id("order-status")).getText()).isEqualTo("Shipped");
            chromium.await(WAIT, "two notifications", d -> d.findElements(By.cssSelector("#notifications time")).size() >= 2);
            chromium.await(WAIT, "the tracking number", d -> d.findElement(By.id("shipping")).getText().contains("tracking number"));
            assertThat(chromium.driver.findElements(By.cssSelector("#orders a"))).as("my orders").hasSizeGreaterThanOrEqualTo(1);
            assertThat(chromium.driver.findElement(By.id("cancel")).isDisplayed()).as("no cancel once shipped").isFalse();
            assertEveryFieldIsLabelled(chromium);
            chromium.screenshot("tracking-page");

            chromium.driver.manage().window().setSize(new Dimension(390, 900));
            assertThat(((JavascriptExecutor) chromium.driver).executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("no sideways scrolling on a phone's width").isEqualTo(true);
            chromium.screenshot("tracking-page-phone");
            assertThat(chromium.consoleErrors()).as("no script error, nothing refused by the policy")
                    .allMatch(error -> error.contains("401"), "only the refused token's 401");
        }
    }

    @Test
    void aStreamCutBySvcOrdersRestartResumesAndMissesNothing() {
        try (Chromium chromium = Chromium.start()) {
            trackNewOrder(chromium, "cust-restart");
            awaitTimelineHas(chromium, "CONFIRMED");

            system.stop("order");
            awaitText(chromium, By.id("stream-state"), "connection lost");
            system.start("order");

            awaitTimeline(chromium, "RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
            assertThat(chromium.driver.findElement(By.id("timeline")).getAttribute("data-received")).as("each step received once").isEqualTo("4");
        }
    }

    @Test
    void aCancellationShowsItsOutcome() {
        try (Chromium chromium = Chromium.start()) {
            trackNewOrder(chromium, "cust-cancel");
            WebElement cancel = chromium.await(WAIT, "the cancel button", d -> {
                WebElement button = d.findElement(By.id("cancel"));
                return button.isDisplayed() ? button : null;
            });

            cancel.click();

            awaitText(chromium, By.id("cancellation"), "Cancelled: nothing will be sent");
            awaitTimelineHas(chromium, "CANCELLED");
            assertThat(chromium.driver.findElement(By.id("order-status")).getText()).isEqualTo("Cancelled");
            chromium.screenshot("tracking-page-cancelled");
        }
    }

    @Test
    void anOperatorSeesADeadLetterAppearAndReplaysIt() {
        try (Chromium chromium = Chromium.start()) {
            open(chromium, "/ops");
            signIn(chromium, TestTokens.operator());
            chromium.await(WAIT, "five instances", d -> d.findElements(By.cssSelector("#instances tr[data-service]")).size() == 5);
            String key = "poison-" + UUID.randomUUID();

            system.kafka.sendRaw(new ProducerRecord<>(Topics.ORDER_SHIPPED, key.getBytes(StandardCharsets.UTF_8),
                    "this is not an event".getBytes(StandardCharsets.UTF_8)));

            // Every service that consumes OrderShipped dead-letters it: svc-order's is the one replayed here. The table is
            // re-rendered on each refresh, so rows are found again by the dead letter's id whenever they are used.
            String id = chromium.await(WAIT, "the dead letter", d -> svcOrdersDeadLetters(d, key).stream().findFirst()
                    .map(row -> row.getAttribute("data-id")).orElse(null));
            String row = chromium.await(WAIT, "the dead letter's row", d -> deadLetterRow(d, id).getText());
            assertThat(row).contains("OrderShipped", "not valid JSON");
            chromium.screenshot("ops-page");
            click(chromium, id, "Inspect");
            awaitText(chromium, By.id("dead-letter"), "this is not an event");

            click(chromium, id, "Replay");
            awaitText(chromium, By.id("message"), "replayed to OrderShipped-");
            // Still not an event: its consumer dead-letters the replay again, which the page shows as a second one.
            chromium.await(WAIT, "the replay dead-lettered again", d -> svcOrdersDeadLetters(d, key).size() >= 2);
            assertEveryFieldIsLabelled(chromium);
            assertThat(chromium.consoleErrors()).as("no script error, nothing refused by the policy").isEmpty();
        }
    }

    private static List<WebElement> svcOrdersDeadLetters(WebDriver driver, String key) {
        return driver.findElements(By.cssSelector("#dead-letters tr")).stream()
                .filter(row -> row.getText().contains(key) && row.getText().contains("svc-order")).toList();
    }

    private static WebElement deadLetterRow(WebDriver driver, String id) {
        return driver.findElement(By.cssSelector("#dead-letters tr[data-id='" + id + "']"));
    }

    /** Clicks {@code button} in dead letter {@code id}'s row, finding the row again if a refresh replaced it meanwhile. */
    private static void click(Chromium chromium, String id, String button) {
        chromium.await(WAIT, button + " of " + id, d -> {
            deadLetterRow(d, id).findElement(By.xpath(".//button[text()='" + button + "']")).click();
            return true;
        });
    }

    /** Signs in as {@code customer}, places an order for it over HTTP, and opens the tracking page on that order. */
    private static void trackNewOrder(Chromium chromium, String customer) {
        open(chromium, "/");
        signIn(chromium, TestTokens.customer(customer));
        String orderId = system.placedOrderId(customer, "prod-789", 1);
        chromium.driver.get(url("/?order=" + orderId));
    }

    private static void open(Chromium chromium, String path) {
        chromium.driver.get(url(path));
    }

    private static String url(String path) {
        return "http://localhost:" + system.port("order") + path;
    }

    private static void signIn(Chromium chromium, String token) {
        WebElement another = chromium.driver.findElement(By.cssSelector("#sign-in [data-change]"));
        if (another.isDisplayed()) {
            another.click();
        }
        WebElement field = chromium.driver.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        chromium.driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    }

    private static void awaitText(Chromium chromium, By element, String text) {
        chromium.await(WAIT, "'" + text + "'", d -> d.findElement(element).getText().contains(text));
    }

    private static void awaitTimelineHas(Chromium chromium, String status) {
        chromium.await(WAIT, status + " in the timeline", d -> !d.findElements(By.cssSelector("#timeline li[data-status=" + status + "]")).isEmpty());
    }

    private static void awaitTimeline(Chromium chromium, String... statuses) {
        awaitTimelineHas(chromium, statuses[statuses.length - 1]);
        List<String> shown = chromium.driver.findElements(By.cssSelector("#timeline li")).stream().map(li -> li.getAttribute("data-status")).toList();
        assertThat(shown).containsExactly(statuses);
    }

    /** Every field a person fills has a label a screen reader reads out. */
    private static void assertEveryFieldIsLabelled(Chromium chromium) {
        Object unlabelled = ((JavascriptExecutor) chromium.driver).executeScript(
                "return [...document.querySelectorAll('input, select, textarea')].filter(f => f.labels.length === 0).map(f => f.id || f.name)");
        assertThat((List<?>) unlabelled).as("fields without a label").isEmpty();
    }
}
