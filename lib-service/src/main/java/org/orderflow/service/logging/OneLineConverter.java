package org.orderflow.service.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * {@code %oneLine(...)} in the text log: CR and LF inside what it wraps are written as {@code \r} and {@code \n}, so
 * a value a client or a record chose (a path, an order id, a reason) cannot start a line that looks like another
 * event (log injection). The JSON log needs none of it: its encoder escapes them in every string.
 */
public final class OneLineConverter extends CompositeConverter<ILoggingEvent> {
    @Override
    protected String transform(ILoggingEvent event, String in) {
        if (in.indexOf('\n') < 0 && in.indexOf('\r') < 0) {
            return in;
        }
        StringBuilder escaped = new StringBuilder(in.length() + 16);
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
