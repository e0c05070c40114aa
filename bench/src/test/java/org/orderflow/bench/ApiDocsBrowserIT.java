package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.orderflow.devstack.RealServers;
import org.orderflow.service.RunningService;

/** /docs in a real browser: Swagger UI renders the service's document under its content security policy. */
class ApiDocsBrowserIT {

    @BeforeAll
    static void chromiumIsThere() {
        Chromium.requireInstalled();
    }

    @Test
    void theDocumentRendersEveryOperationAndMarksTheOnesThatNeedAToken() {
        try (RunningService service = TestSystem.startAlone("order", RealServers.shared().serviceEnvironment("docs"), Clock.systemUTC());
             Chromium chromium = Chromium.start()) {
            chromium.driver.get("http://localhost:" + service.port() + "/docs");

            List<WebElement> operations = new WebDriverWait(chromium.driver, Duration.ofSeconds(20)).until(driver -> {
                List<WebElement> rendered = driver.findElements(By.cssSelector(".opblock"));
                return rendered.size() == service.operations().size() ? rendered : null;
            });
            chromium.screenshot("docs-svc-order");

            assertThat(chromium.driver.getTitle()).isEqualTo("svc-order API");
            assertThat(chromium.driver.findElements(By.cssSelector("button.authorize"))).as("the Authorize button").hasSize(1);
            List<String> locked = operations.stream().filter(operation -> !operation.findElements(By.cssSelector(".authorization__btn")).isEmpty())
                    .map(operation -> operation.findElement(By.cssSelector(".opblock-summary-method")).getText() + " "
                            + operation.findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path"))
                    .toList();
            List<String> open = List.of("GET /health", "GET /ready", "GET /metrics", "GET /openapi.json", "GET /docs", "GET /docs/start.js",
                    "GET /docs/{version}/{file}", "GET /", "GET /ops", "GET /pages/{file}");
            assertThat(locked).as("every route but the open ones needs a token")
                    .containsExactlyInAnyOrderElementsOf(service.operations().stream().filter(operation -> !open.contains(operation)).toList())
                    .contains("POST /orders", "GET /orders/{id}/events", "GET /admin/dead-letters");
            assertThat(chromium.consoleErrors()).as("no script error, no resource refused by the policy").isEmpty();
        }
    }
}
