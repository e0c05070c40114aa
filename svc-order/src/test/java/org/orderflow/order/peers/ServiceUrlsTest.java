package org.orderflow.order.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orderflow.service.config.ConfigException;

class ServiceUrlsTest {

    @Test
    void aServiceNamedTwiceHasTwoInstancesInTheOrderGiven() {
        ServiceUrls urls = ServiceUrls.parse(ServiceUrls.LOCAL + ", svc-inventory=http://inventory-1:8082/");

        assertThat(urls.instances().get("svc-inventory")).containsExactly(URI.create("http://localhost:8082"), URI.create("http://inventory-1:8082"));
        assertThat(urls.instances().keySet()).containsExactly("svc-order", "svc-inventory", "svc-warehouse", "svc-shipper", "svc-notification");
    }

    @Test
    void anEntryThatIsNotNameEqualsAnHttpAddressIsNamed() {
        for (String wrong : List.of("svc-inventory", "=http://x:1", "svc-inventory=ftp://x:1", "svc-inventory=http://x:1/products",
                "svc-inventory=localhost:8082", "svc-inventory=http://x:1?debug")) {
            assertThatThrownBy(() -> ServiceUrls.parse(ServiceUrls.LOCAL + "," + wrong)).as(wrong)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("SERVICE_URLS");
        }
    }

    @Test
    void everyServiceMustBeNamed() {
        assertThatThrownBy(() -> ServiceUrls.parse("svc-order=http://localhost:8081"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("svc-inventory, svc-warehouse, svc-shipper, svc-notification");
    }
}
