package org.orderflow.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.service.auth.AuthSettings;
import org.slf4j.LoggerFactory;

class AuthenticatorTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(Authenticator.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
    }

    @Test
    void authenticationOffSaysAtStartThatTheServiceIsOpenToAnyone() {
        new Authenticator(AuthSettings.off(), "svc-order");

        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).startsWith("AUTH=off: svc-order is OPEN").contains("operator's rights");
        });
    }
}
