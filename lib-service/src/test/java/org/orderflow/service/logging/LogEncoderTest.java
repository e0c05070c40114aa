package org.orderflow.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The services' logback.xml, read as a service reads it, in both formats. */
class LogEncoderTest {

    @Test
    void jsonFormatWritesOneParsableObjectPerLineWithTheIdsOfTheMdc() throws Exception {
        String line = encodedLine("json", "Order {} placed", "order-1");

        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("loggerName").asText()).isEqualTo("org.orderflow.order.orders.OrderService");
        assertThat(json.get("formattedMessage").asText()).isEqualTo("Order order-1 placed");
        assertThat(json.get("mdc").get("order_id").asText()).isEqualTo("order-1");
        assertThat(json.get("mdc").get("trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(json.get("timestamp").asLong()).isPositive();
    }

    @Test
    void textFormatIsOneLineWithTheOrderEventAndTraceIds() throws Exception {
        String line = encodedLine("text", "Order {} placed", "order-1");

        assertThat(line).contains("INFO", "order=order-1 ", "event=event-1 ", "trace=0af7651916cd43dd8448eb211c80319c ",
                "- Order order-1 placed").endsWith("\n");
    }

    @Test
    void lineBreaksFromOutsideCannotForgeALineInEitherFormat() throws Exception {
        String forged = "order-1\n2026-12-05 01:00:00,000 ERROR [main] o.o.Fake - forged\r";

        String text = encodedLine("text", "Refused {}", forged);
        String json = encodedLine("json", "Refused {}", forged);

        assertThat(text).as("one line").hasLineCount(1).contains("order=order-1\\n2026", "Refused order-1\\n2026", "forged\\r");
        assertThat(json).hasLineCount(1);
        assertThat(new ObjectMapper().readTree(json).get("formattedMessage").asText()).isEqualTo("Refused " + forged);
    }

    @Test
    void unknownFormatFallsBackToTextRatherThanSilence() throws Exception {
        assertThat(encodedLine("yaml", "Still logged", "x")).contains("- Still logged");
    }

    private static String encodedLine(String format, String message, String argument) throws Exception {
        LoggerContext context = new LoggerContext();
        context.putProperty("LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogEncoder.class.getResource("/logback.xml"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<?> appender = (OutputStreamAppender<?>) root.getAppender("STDOUT");
        LogEncoder encoder = (LogEncoder) appender.getEncoder();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("org.orderflow.order.orders.OrderService"), Level.INFO, message,
                null, new Object[] {argument});
        event.setMDCPropertyMap(Map.of("order_id", argument, "event_id", "event-1", "trace_id", "0af7651916cd43dd8448eb211c80319c",
                "span_id", "b7ad6b7169203331"));
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        context.stop();
        return line;
    }
}
