package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.Http;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document describes every REST route the running server has (the list comes from the
 * server, so a new route missing from the document fails this test), and it and Swagger UI are
 * reachable without a key.
 */
class OpenApiDocumentTest {
  static TestServer server;
  static Http anonymous;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    anonymous = new Http(server.restUrl(), null);
  }

  @Test
  void documentListsEveryRestRouteWithItsMethod() throws Exception {
    Http.Response docs = anonymous.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    JsonNode doc = docs.json();
    assertThat(doc.get("openapi").asString()).startsWith("3.");

    TreeSet<String> documented = new TreeSet<>();
    doc.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op ->
                            documented.add(
                                op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));

    var mapping =
        server.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    TreeSet<String> routes = new TreeSet<>();
    mapping
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPatternValues().stream()
                    .filter(p -> p.startsWith("/v1/"))
                    .forEach(
                        p ->
                            info.getMethodsCondition()
                                .getMethods()
                                .forEach(m -> routes.add(m.name() + " " + p.replace("{*", "{")))));

    assertThat(routes).hasSizeGreaterThan(20);
    assertThat(documented).containsAll(routes);
    // and nothing but the public API (no actuator, no docs endpoints)
    assertThat(documented).allMatch(r -> r.contains(" /v1/"));
  }

  @Test
  void documentDeclaresBearerKeyAuthentication() throws Exception {
    JsonNode doc = anonymous.get("/v3/api-docs").json();
    JsonNode scheme = doc.get("components").get("securitySchemes").get("apiKey");
    assertThat(scheme.get("type").asString()).isEqualTo("http");
    assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
    assertThat(doc.get("security").get(0).has("apiKey")).isTrue();
  }

  @Test
  void jobSchemasShowTheirFutureCountsFlatAsTheirJsonHasThem() throws Exception {
    JsonNode schemas = anonymous.get("/v3/api-docs").json().get("components").get("schemas");
    for (String schema : new String[] {"JobView", "JobTotals"}) {
      JsonNode properties = schemas.get(schema).get("properties");
      assertThat(properties.has("succeeded")).as(schema + " " + properties).isTrue();
      assertThat(properties.has("total")).as(schema + " " + properties).isTrue();
      assertThat(properties.has("counts")).as(schema + " " + properties).isFalse();
    }
  }

  @Test
  void swaggerUiIsReachableWithoutKey() throws Exception {
    Http.Response redirect = anonymous.get("/swagger-ui.html");
    assertThat(redirect.status()).isIn(200, 302);
    Http.Response page = anonymous.get("/swagger-ui/index.html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui");
  }
}
