package dev.quarry.server.dashboard.internal;

import dev.quarry.server.auth.ApiKeyService;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The dashboard's chain, between the API's ({@code /v1/**}, order 1) and the rest (order 3): a
 * session signed in with an API key ({@link SignInController}) that ends when the key is revoked
 * ({@link SessionKeyFilter}), CSRF on every form and every non-GET request, roles as the API has
 * them (viewers read; members cancel and retry; the operator sees tenants), and a
 * Content-Security-Policy that runs only the server's own scripts.
 */
@Configuration
class DashboardSecurity {
  static final String[] PATHS = {
    "/",
    "/login",
    "/logout",
    "/jobs",
    "/jobs/**",
    "/functions",
    "/admin",
    "/tenants",
    "/dash/**",
    "/webjars/**"
  };

  @Bean
  SecurityContextRepository dashboardContextRepository() {
    return new HttpSessionSecurityContextRepository();
  }

  @Bean
  @Order(2)
  SecurityFilterChain dashboard(
      HttpSecurity http,
      SecurityContextRepository dashboardContexts,
      ApiKeyService keys,
      Clock clock)
      throws Exception {
    http.securityMatcher(PATHS)
        .securityContext(c -> c.securityContextRepository(dashboardContexts))
        .addFilterAfter(new SessionKeyFilter(keys, clock), SecurityContextHolderFilter.class)
        .requestCache(c -> c.disable())
        .exceptionHandling(
            e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
        .headers(
            h ->
                h.contentSecurityPolicy(
                        c ->
                            c.policyDirectives(
                                "default-src 'self'; script-src 'self'; style-src 'self'"
                                    + " 'unsafe-inline'; img-src 'self' data:; object-src 'none';"
                                    + " base-uri 'none'; frame-ancestors 'none'; form-action"
                                    + " 'self'"))
                    .referrerPolicy(
                        r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
        .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut"))
        .authorizeHttpRequests(
            a ->
                // the second pass of a request its first pass authorized (a live stream's end):
                // not authorized again, which would read the session from the database once more
                a.dispatcherTypeMatchers(DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers("/login", "/dash/**", "/webjars/**")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/jobs/*/cancel", "/jobs/*/retry-failed")
                    .hasRole("MEMBER")
                    .requestMatchers("/tenants")
                    .hasRole("OPERATOR")
                    .requestMatchers("/admin")
                    .hasRole("ADMIN")
                    .requestMatchers("/")
                    .hasAnyRole("VIEWER", "OPERATOR")
                    .anyRequest()
                    .hasRole("VIEWER"));
    return http.build();
  }
}
