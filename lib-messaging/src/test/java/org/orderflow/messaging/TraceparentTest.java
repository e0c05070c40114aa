package org.orderflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceparentTest {

    @Test
    void childKeepsTheTraceIdAndGetsANewSpan() {
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        String child = Traceparent.childOf(parent);

        assertThat(child).matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01").isNotEqualTo(parent);
    }

    @Test
    void missingOrMalformedParentStartsANewTrace() {
        assertThat(Traceparent.childOf(null)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(Traceparent.childOf("garbage")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }
}
