package org.orderflow.shipper;

import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.config.Env;

/** svc-shipper's settings, from environment variables; the defaults match `make up`. */
record Config(CommonConfig common) {

    static Config fromEnv(Env env) {
        return new Config(CommonConfig.fromEnv(env, ServiceDefaults.of("svc-shipper", 8084, "shipper")));
    }
}
