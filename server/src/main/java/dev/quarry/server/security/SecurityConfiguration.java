package dev.quarry.server.security;

import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.JsonErrors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The HTTP edge. Three chains: {@code /v1/**} is stateless, bearer-key only (no session, no CSRF: a
 * browser never sends the key by itself), with every route's role in {@link #api}; everything else
 * (probes, the OpenAPI document and Swagger UI, the actuator on the management port, the error
 * page) keeps sessions and CSRF protection; the dashboard at {@code /} has its own session chain
 * ({@code dashboard.internal.DashboardSecurity}), ordered between the two. Both sit behind {@link
 * StrictHttpFirewall}; what it refuses is a JSON 400.
 *
 * <p>The services still check roles themselves ({@code Principal.require}), because gRPC does not
 * pass through this chain; the rules here decide first for REST.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {
  static final String MISSING_KEY = "missing API key: send 'Authorization: Bearer <key>'";

  @Bean
  static RoleHierarchy roleHierarchy() {
    // OPERATOR is apart: it manages tenants and nothing inside them.
    return RoleHierarchyImpl.withDefaultRolePrefix()
        .role("ADMIN")
        .implies("MEMBER")
        .role("MEMBER")
        .implies("VIEWER")
        .build();
  }

  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http, BearerAuthenticator authenticator) throws Exception {
    http.securityMatcher("/v1/**")
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(c -> c.disable())
        .requestCache(c -> c.disable())
        .addFilterBefore(new BearerKeyFilter(authenticator), AnonymousAuthenticationFilter.class)
        .exceptionHandling(
            e -> e.authenticationEntryPoint(unauthenticated()).accessDeniedHandler(denied()))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/v1/admin/**")
                    .hasRole("OPERATOR")
                    .requestMatchers(
                        HttpMethod.GET,
                        "/v1/functions",
                        "/v1/jobs",
                        "/v1/jobs/*",
                        "/v1/jobs/*/results",
                        "/v1/profiles",
                        "/v1/profiles/*/runtimes")
                    .hasRole("VIEWER")
                    .requestMatchers(
                        HttpMethod.POST,
                        "/v1/functions",
                        "/v1/jobs",
                        "/v1/jobs/*/cancel",
                        "/v1/jobs/*/retry-failed")
                    .hasRole("MEMBER")
                    .requestMatchers(HttpMethod.GET, "/v1/storage/**")
                    .hasRole("VIEWER")
                    .requestMatchers(HttpMethod.HEAD, "/v1/storage/**")
                    .hasRole("VIEWER")
                    .requestMatchers("/v1/storage/**")
                    .hasRole("MEMBER")
                    .requestMatchers(
                        "/v1/keys",
                        "/v1/keys/**",
                        "/v1/audit",
                        "/v1/credentials",
                        "/v1/credentials/**",
                        "/v1/profiles/*",
                        "/v1/profiles/*/runtimes",
                        "/v1/profiles/*/runtimes/*")
                    .hasRole("ADMIN")
                    // Unknown routes: any tenant key hears 404 (or 405) from the dispatcher.
                    .anyRequest()
                    .hasRole("VIEWER"));
    return http.build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain web(HttpSecurity http) throws Exception {
    // Sessions and CSRF stay on here. The dashboard's chain (order 2, its own paths) comes first.
    http.exceptionHandling(
            e -> e.authenticationEntryPoint(unauthenticated()).accessDeniedHandler(denied()))
        .authorizeHttpRequests(
            a ->
                a
                    // Probes and the API description on the REST port; on the management port (its
                    // own
                    // port, loopback by default) health, info and the Prometheus scrape need no
                    // key.
                    .requestMatchers(
                        "/error",
                        "/livez",
                        "/readyz",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/swagger-ui.html",
                        "/swagger-ui/**")
                    .permitAll()
                    .requestMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/actuator/prometheus")
                    .permitAll()
                    .anyRequest()
                    .authenticated());
    return http.build();
  }

  /**
   * No Micrometer observation per security filter, authentication and authorization: it wrapped
   * each of a request's fifteen or so filters in an observation of its own, about a tenth of a
   * dashboard request's CPU. Requests are still observed whole ({@code http.server.requests}).
   */
  @Bean
  static SecurityObservationSettings securityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  StrictHttpFirewall httpFirewall() {
    // Defaults refuse ';', encoded '/', '\\', '.', '%', '//', NUL and non-printable characters.
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setAllowedHttpMethods(
        java.util.List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"));
    return firewall;
  }

  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return (request, response, e) ->
        JsonErrors.write(
            response,
            ErrorReason.REQUEST_REJECTED,
            "request refused: " + JsonErrors.clip(String.valueOf(e.getMessage())));
  }

  @Bean
  WebSecurityCustomizer firewallCustomizer(
      StrictHttpFirewall firewall, RequestRejectedHandler handler) {
    return web -> web.httpFirewall(firewall).requestRejectedHandler(handler);
  }

  private static AuthenticationEntryPoint unauthenticated() {
    return (request, response, e) ->
        JsonErrors.write(response, ErrorReason.UNAUTHENTICATED, MISSING_KEY);
  }

  private static AccessDeniedHandler denied() {
    return (request, response, e) -> {
      if (!(request.getUserPrincipal() instanceof QuarryAuthentication a)) {
        // e.g. a missing CSRF token on the session chain: without a key, the answer is 401
        JsonErrors.write(response, ErrorReason.UNAUTHENTICATED, MISSING_KEY);
        return;
      }
      JsonErrors.write(
          response,
          ErrorReason.PERMISSION_DENIED,
          "this API key has role "
              + a.caller().role().dbName()
              + ", which may not call "
              + request.getMethod()
              + " "
              + JsonErrors.clip(request.getRequestURI()));
    };
  }
}
