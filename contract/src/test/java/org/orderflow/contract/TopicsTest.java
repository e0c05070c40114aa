package org.orderflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicOfAPipelineEventHasTheSchemaOfItsEvent() {
        for (String topic : Topics.ALL) {
            if (topic.equals(Topics.DEAD_LETTER_QUEUE)) {
                continue; // dead letters keep the original record's bytes: they have no schema of their own
            }
            String type = topic.equals(Topics.KPIS) ? "KPI" : topic;
            assertThat(getClass().getClassLoader().getResource("schemas/" + type + ".schema.json")).as(type).isNotNull();
        }
    }
}
