package org.orderflow.warehouse;

import java.time.Duration;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.config.Env;

/**
 * svc-warehouse's settings, from environment variables; the defaults match `make up`.
 *
 * @param packingTime     PACKING_TIME: how long picking and packing takes (0: at once)
 * @param pickFailureRate PICK_FAILURE_RATE: share of picks that fail at random, 0 to 1 (for demos and tests)
 */
record Config(CommonConfig common, Duration packingTime, double pickFailureRate) {

    static Config fromEnv(Env env) {
        return new Config(CommonConfig.fromEnv(env, ServiceDefaults.of("svc-warehouse", 8083, "warehouse")), env.duration("PACKING_TIME", Duration.ZERO),
                env.fraction("PICK_FAILURE_RATE", 0));
    }
}
