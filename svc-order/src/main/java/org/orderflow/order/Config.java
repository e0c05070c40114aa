package org.orderflow.order;

import java.util.Map;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;

/** svc-order's settings, from environment variables; the defaults match `make up`. */
record Config(CommonConfig common) {

    static Config fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new Config(CommonConfig.fromEnv(env, "svc-order", 8081, "order"));
    }
}
