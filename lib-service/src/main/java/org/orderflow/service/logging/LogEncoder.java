package org.orderflow.service.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;

/**
 * The services' log encoder ({@code logback.xml}): {@code format} text, one line per event by {@code pattern}, or
 * json, one JSON object per line by logback's own {@link JsonEncoder} (time in epoch milliseconds, level, thread,
 * logger, the MDC with {@code order_id}, {@code event_id}, {@code trace_id} and {@code span_id}, the formatted message,
 * the exception). One appender whose encoder is chosen by {@code LOG_FORMAT}: an unknown value falls back to text
 * with a warning rather than leaving the service without a log ({@code CommonConfig} then refuses it).
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {
    private String format = "text";
    private String pattern;
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        String chosen = format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
        if (chosen.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            delegate = json;
        } else {
            if (!chosen.equals("text")) {
                addWarn("LOG_FORMAT '" + format + "' is neither text nor json: logging as text");
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
