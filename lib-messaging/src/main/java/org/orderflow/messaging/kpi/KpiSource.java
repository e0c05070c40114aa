package org.orderflow.messaging.kpi;

import java.util.List;

/** Something that reports KPIs; asked once per interval, from the reporter's thread. */
@FunctionalInterface
public interface KpiSource {
    List<Kpi> collect();
}
