package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every dashboard route, taken from the running server (so a new page is covered without an edit):
 * without a session a GET goes to the sign-in page and a POST is refused, and no route answers
 * anything else; with an API key as a bearer header (no session) nothing is let through either.
 */
class DashboardRoutesTest {
  /** Routes outside the API that are not dashboard pages. */
  private static final Set<String> NOT_DASHBOARD =
      Set.of("/error", "/livez", "/readyz", "/login", "/v3/api-docs", "/v3/api-docs.yaml");

  static TestServer server;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Test
  void everyDashboardRouteNeedsASignedInSession() throws Exception {
    TreeSet<String> routes = new TreeSet<>();
    server
        .context
        .getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPatternValues().stream()
                    .filter(p -> !p.startsWith("/v1/") && !NOT_DASHBOARD.contains(p))
                    .filter(p -> !p.startsWith("/v3/") && !p.startsWith("/swagger"))
                    .forEach(
                        p ->
                            (info.getMethodsCondition().getMethods().isEmpty()
                                    ? Set.of(RequestMethod.GET)
                                    : info.getMethodsCondition().getMethods())
                                .forEach(m -> routes.add(m + " " + p))));
    assertThat(routes)
        .contains("GET /", "GET /jobs", "GET /jobs/{id}", "POST /jobs/{id}/cancel", "GET /admin");
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path =
          route
              .substring(route.indexOf(' ') + 1)
              .replace("{id}", UUID.randomUUID().toString())
              .replace("{index}", "0");
      for (String bearer : new String[] {null, server.apiKey}) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(server.restUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
          request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (method.equals("GET")) {
          assertThat(r.statusCode()).as(route).isEqualTo(302);
          assertThat(r.headers().firstValue("Location").orElse("")).as(route).endsWith("/login");
        } else {
          assertThat(r.statusCode()).as(route).isEqualTo(403);
        }
      }
    }
  }
}
