package org.orderflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedUuidTest {

    @Test
    void isAVersion7RfcUuidCarryingTheTimeItWasMadeAt() {
        long before = System.currentTimeMillis();
        UUID uuid = TimeOrderedUuid.next();
        long after = System.currentTimeMillis();

        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(TimeOrderedUuid.unixMillisOf(uuid)).isBetween(before, after);
        assertThat(UUID.fromString(uuid.toString())).isEqualTo(uuid);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
        List<String> ids = new ArrayList<>();
        for (long millis = 1_764_633_600_000L; millis < 1_764_633_600_000L + 1_000; millis += 7) {
            ids.add(TimeOrderedUuid.at(millis).toString());
        }

        assertThat(ids).isSorted();
    }

    @Test
    void idsOfOneMillisecondAreAllDifferent() {
        HashSet<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(TimeOrderedUuid.at(1_764_633_600_000L));
        }

        assertThat(ids).hasSize(10_000);
    }
}
