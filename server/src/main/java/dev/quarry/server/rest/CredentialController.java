package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Role;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.credentials.ProfileService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/credentials} (admins; write-only), {@code /v1/profiles} (admins write, everyone in the
 * tenant reads) and {@code /v1/admin/secrets/rotate} (operator).
 */
@RestController
public class CredentialController {
  private static final long MAX_BODY = 256 * 1024;

  private final CredentialService credentials;
  private final ProfileService profiles;

  public CredentialController(CredentialService credentials, ProfileService profiles) {
    this.credentials = credentials;
    this.profiles = profiles;
  }

  /** Body: {@code {"kind":"aws","fields":{"accessKeyId":"…","secretAccessKey":"…"}}}. */
  @PutMapping(
      value = "/v1/credentials/{name}",
      consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
  CredentialService.CredentialInfo put(@PathVariable String name, HttpServletRequest request)
      throws IOException {
    Bodies.principal(request).require(Role.ADMIN);
    JsonNode body = Bodies.object(request, MAX_BODY, List.of("kind", "fields"));
    return credentials.put(
        Bodies.principal(request),
        name,
        Bodies.requiredText(body, "kind"),
        strings(body, "fields", true));
  }

  @GetMapping("/v1/credentials")
  Map<String, List<CredentialService.CredentialInfo>> list(HttpServletRequest request) {
    return Map.of("credentials", credentials.list(Bodies.principal(request)));
  }

  @DeleteMapping("/v1/credentials/{name}")
  CredentialService.CredentialInfo delete(@PathVariable String name, HttpServletRequest request) {
    return credentials.delete(Bodies.principal(request), name);
  }

  /**
   * Body: {@code {"backend":"lambda","settings":{"region":"eu-west-1"},"credential":"team-aws"}}.
   */
  @PutMapping(
      value = "/v1/profiles/{name}",
      consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
  ProfileService.Profile putProfile(@PathVariable String name, HttpServletRequest request)
      throws IOException {
    Bodies.principal(request).require(Role.ADMIN);
    JsonNode body = Bodies.object(request, MAX_BODY, List.of("backend", "settings", "credential"));
    JsonNode credential = body.get("credential");
    if (credential != null && !credential.isNull() && !credential.isString()) {
      throw ApiException.invalid("'credential' must be a string");
    }
    return profiles.put(
        Bodies.principal(request),
        name,
        Bodies.requiredText(body, "backend"),
        strings(body, "settings", false),
        credential == null || credential.isNull() ? null : credential.asString());
  }

  @GetMapping("/v1/profiles")
  Map<String, List<ProfileService.Profile>> listProfiles(HttpServletRequest request) {
    return Map.of("profiles", profiles.list(Bodies.principal(request)));
  }

  @DeleteMapping("/v1/profiles/{name}")
  ProfileService.Profile deleteProfile(@PathVariable String name, HttpServletRequest request) {
    return profiles.delete(Bodies.principal(request), name);
  }

  @PostMapping("/v1/admin/secrets/rotate")
  Map<String, Object> rotate(HttpServletRequest request) {
    int n = credentials.rotate(Bodies.principal(request));
    return Map.of("resealed", n, "activeKeyId", credentials.activeKeyId());
  }

  private static Map<String, String> strings(JsonNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiException.invalid("'" + field + "' is required: an object of strings");
      }
      return Map.of();
    }
    if (!v.isObject()) {
      throw ApiException.invalid("'" + field + "' must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : v.propertyNames()) {
      if (!v.get(k).isString()) {
        throw ApiException.invalid("'" + field + "." + k + "' must be a string");
      }
      out.put(k, v.get(k).asString());
    }
    return out;
  }
}
