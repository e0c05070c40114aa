package org.orderflow.inventory;

import java.time.Duration;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.config.Env;

/**
 * svc-inventory's settings, from environment variables; the defaults match `make up`. Its consumer is a step of the
 * pipeline (CONSUMER_FETCH_WAIT 0); its follow-up consumer of shipments waits {@link CommonConfig#GATHERING_FETCH_WAIT}.
 */
record Config(CommonConfig common) {

    static Config fromEnv(Env env) {
        return new Config(CommonConfig.fromEnv(env, ServiceDefaults.of("svc-inventory", 8082, "inventory").withFollowUpConsumer()));
    }
}
