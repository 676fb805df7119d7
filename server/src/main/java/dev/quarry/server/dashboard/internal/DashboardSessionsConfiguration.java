package dev.quarry.server.dashboard.internal;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * The sessions the dashboard's requests go through: Spring Session JDBC's, configured by Spring
 * Boot from {@code spring.session.jdbc.*} and {@code server.servlet.session.*}, with the last
 * access written at most once a minute ({@link SessionTouchThrottle}). An auto-configuration
 * ordered after Boot's, listed in {@code META-INF/spring/…AutoConfiguration.imports} and so left
 * out of component scanning: Boot configures its JDBC repository only while no other session
 * repository exists.
 */
@AutoConfiguration(after = JdbcSessionAutoConfiguration.class)
@ConditionalOnBean(JdbcIndexedSessionRepository.class)
class DashboardSessionsConfiguration {
  @Bean
  @Primary
  SessionRepository<? extends Session> dashboardSessions(JdbcIndexedSessionRepository jdbc) {
    return SessionTouchThrottle.over(jdbc);
  }
}
