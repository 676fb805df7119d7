package dev.quarry.server.dashboard.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The sessions the dashboard's requests go through: Spring Session JDBC's, configured by Spring
 * Boot from {@code spring.session.jdbc.*} and {@code server.servlet.session.*}, with the last
 * access written at most once a minute and each session read once per request ({@link
 * SessionTouchThrottle}). An auto-configuration ordered after Boot's, listed in {@code
 * META-INF/spring/…AutoConfiguration.imports} and so left out of component scanning: Boot
 * configures its JDBC repository only while no other session repository exists.
 */
@AutoConfiguration(after = JdbcSessionAutoConfiguration.class)
@ConditionalOnBean(JdbcIndexedSessionRepository.class)
class DashboardSessionsConfiguration {
  @Bean
  @Primary
  SessionTouchThrottle<?> dashboardSessions(JdbcIndexedSessionRepository jdbc) {
    return SessionTouchThrottle.over(jdbc);
  }

  /**
   * Around Spring Session's filter (ordered just before it), for a request's first pass: the
   * session it reads is read once ({@link SessionTouchThrottle#openRequest}).
   */
  @Bean
  FilterRegistrationBean<OncePerRequestFilter> oneSessionReadPerRequest(
      SessionTouchThrottle<?> sessions) {
    FilterRegistrationBean<OncePerRequestFilter> registration =
        new FilterRegistrationBean<>(
            new OncePerRequestFilter() {
              @Override
              protected void doFilterInternal(
                  HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                  throws ServletException, IOException {
                try (SessionTouchThrottle.RequestScope scope = sessions.openRequest()) {
                  chain.doFilter(request, response);
                }
              }
            });
    registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    return registration;
  }
}
