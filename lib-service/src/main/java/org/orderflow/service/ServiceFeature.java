package org.orderflow.service;

import java.util.List;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.service.http.ApiRoutes;

/**
 * What a service adds to the start routine every service shares ({@link ServiceStart}): the topics it consumes, the
 * routing table of their events, and its HTTP routes. Routes only translate between HTTP or events and the service's
 * own calls.
 */
public interface ServiceFeature {

    /** The topics the service's consumer subscribes to. */
    List<String> topics();

    /**
     * Topics consumed apart by a follow-up consumer (ConsumerSettings.followUpTopics); none by default. A service that
     * has some reads its config with {@code ServiceDefaults.withFollowUpConsumer()}.
     */
    default List<String> followUpTopics() {
        return List.of();
    }

    /** The routing table of the events on {@link #topics()} and {@link #followUpTopics()}. */
    EventRouter events();

    /** Declares the service's HTTP routes. */
    void routes(ApiRoutes routes);
}
