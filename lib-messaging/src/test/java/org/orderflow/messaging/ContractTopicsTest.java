package org.orderflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.dlq.DeadLetter;
import org.orderflow.messaging.kpi.KpiReporter;

class ContractTopicsTest {

    @Test
    void theRuntimeSendsDeadLettersAndKpisWhereTheContractSaysTheyAre() {
        assertThat(DeadLetter.TOPIC).isEqualTo(Topics.DEAD_LETTER_QUEUE);
        assertThat(KpiReporter.TOPIC).isEqualTo(Topics.KPIS);
    }
}
