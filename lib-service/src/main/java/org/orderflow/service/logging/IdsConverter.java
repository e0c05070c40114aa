package org.orderflow.service.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;
import org.orderflow.messaging.LogIds;

/**
 * {@code %ids} in the text pattern: {@code order=… event=… trace=… } for those of the MDC's ids that are there, nothing
 * for those that are not. One pass over the MDC, where a {@code %replace} per id ran a regular expression over every
 * line: at 1,000 orders/s the services write some 12,000 lines a second.
 */
public final class IdsConverter extends ClassicConverter {
    private static final String[][] IDS = {{LogIds.ORDER_ID, "order="}, {LogIds.EVENT_ID, "event="}, {LogIds.TRACE_ID, "trace="}};

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty()) {
            return "";
        }
        StringBuilder ids = new StringBuilder(96);
        for (String[] id : IDS) {
            String value = mdc.get(id[0]);
            if (value != null && !value.isEmpty()) {
                ids.append(id[1]).append(value).append(' ');
            }
        }
        return ids.toString();
    }
}
