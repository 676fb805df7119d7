package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.Ids;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Role;
import dev.quarry.server.tenancy.KeyService;
import dev.quarry.server.tenancy.TenantService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Tenants (operator key), API keys and the audit log (tenant admin keys). Secrets appear only in
 * the answer that creates them.
 */
@RestController
public class TenancyController {
  private static final long MAX_BODY = 16 * 1024;

  private final TenantService tenants;
  private final KeyService keys;
  private final AuditLog audit;
  private final dev.quarry.server.limits.LimitsService limits;

  public TenancyController(
      TenantService tenants,
      KeyService keys,
      AuditLog audit,
      dev.quarry.server.limits.LimitsService limits) {
    this.tenants = tenants;
    this.keys = keys;
    this.audit = audit;
    this.limits = limits;
  }

  @PostMapping(
      value = "/v1/admin/tenants",
      consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<TenantService.Created> createTenant(HttpServletRequest request)
      throws IOException {
    Bodies.principal(request).require(Role.OPERATOR);
    JsonNode body = Bodies.object(request, MAX_BODY, Set.of("id", "name"));
    return ResponseEntity.status(201)
        .body(
            tenants.create(
                Bodies.principal(request),
                Bodies.requiredText(body, "id"),
                Bodies.requiredText(body, "name")));
  }

  @GetMapping("/v1/admin/tenants")
  Map<String, List<TenantService.Tenant>> listTenants(HttpServletRequest request) {
    return Map.of("tenants", tenants.list(Bodies.principal(request)));
  }

  @PostMapping("/v1/admin/tenants/{id}/disable")
  TenantService.Tenant disableTenant(@PathVariable String id, HttpServletRequest request) {
    return tenants.disable(Bodies.principal(request), id);
  }

  @GetMapping("/v1/admin/tenants/{id}/limits")
  dev.quarry.server.limits.TenantLimits limits(
      @PathVariable String id, HttpServletRequest request) {
    return limits.get(Bodies.principal(request), id);
  }

  /**
   * Body: limits to override, e.g. {@code {"maxJobsInFlight":10,"requestsPerSecond":null}} (null =
   * default).
   */
  @org.springframework.web.bind.annotation.PutMapping(
      value = "/v1/admin/tenants/{id}/limits",
      consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
  dev.quarry.server.limits.TenantLimits setLimits(
      @PathVariable String id, HttpServletRequest request) throws IOException {
    Bodies.principal(request).require(Role.OPERATOR);
    JsonNode body = Bodies.jsonObject(Bodies.read(request, MAX_BODY));
    Map<String, Integer> values = new java.util.HashMap<>();
    for (String name : body.propertyNames()) {
      JsonNode v = body.get(name);
      if (!v.isNull() && !(v.isIntegralNumber() && v.canConvertToInt())) {
        throw ApiException.invalid("'" + name + "' must be a whole number or null");
      }
      values.put(name, v.isNull() ? null : v.asInt());
    }
    return limits.set(Bodies.principal(request), id, values);
  }

  @PostMapping(
      value = "/v1/keys",
      consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<KeyService.Created> createKey(HttpServletRequest request) throws IOException {
    Bodies.principal(request).require(Role.ADMIN);
    JsonNode body = Bodies.object(request, MAX_BODY, Set.of("name", "role"));
    return ResponseEntity.status(201)
        .body(
            keys.create(
                Bodies.principal(request),
                Bodies.requiredText(body, "name"),
                Bodies.requiredText(body, "role")));
  }

  @GetMapping("/v1/keys")
  Map<String, List<KeyService.KeyInfo>> listKeys(HttpServletRequest request) {
    return Map.of("keys", keys.list(Bodies.principal(request)));
  }

  @PostMapping("/v1/keys/{id}/revoke")
  KeyService.KeyInfo revokeKey(@PathVariable String id, HttpServletRequest request) {
    return keys.revoke(Bodies.principal(request), Ids.key(id));
  }

  @GetMapping("/v1/audit")
  Map<String, List<AuditLog.Entry>> audit(
      @RequestParam(defaultValue = "100") int limit, HttpServletRequest request) {
    return Map.of("events", audit.list(Bodies.principal(request), limit));
  }
}
