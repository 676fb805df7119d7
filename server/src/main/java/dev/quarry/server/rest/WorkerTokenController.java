package dev.quarry.server.rest;

import dev.quarry.server.api.Ids;
import dev.quarry.server.auth.Role;
import dev.quarry.server.workers.WorkerTokenService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Worker tokens (tenant admin keys): a token lets {@code quarry worker} serve one profile of
 * backend {@code standalone}. The secret appears only in the answer that creates it.
 */
@RestController
public class WorkerTokenController {
  private static final long MAX_BODY = 16 * 1024;

  private final WorkerTokenService tokens;

  public WorkerTokenController(WorkerTokenService tokens) {
    this.tokens = tokens;
  }

  @PostMapping(value = "/v1/worker-tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<WorkerTokenService.Created> create(HttpServletRequest request) throws IOException {
    Bodies.principal(request).require(Role.ADMIN);
    JsonNode body = Bodies.object(request, MAX_BODY, Set.of("name", "profile"));
    return ResponseEntity.status(201)
        .body(
            tokens.create(
                Bodies.principal(request),
                Bodies.requiredText(body, "name"),
                Bodies.requiredText(body, "profile")));
  }

  @GetMapping("/v1/worker-tokens")
  Map<String, List<WorkerTokenService.TokenInfo>> list(HttpServletRequest request) {
    return Map.of("tokens", tokens.list(Bodies.principal(request)));
  }

  @PostMapping("/v1/worker-tokens/{id}/revoke")
  WorkerTokenService.TokenInfo revoke(@PathVariable String id, HttpServletRequest request) {
    return tokens.revoke(Bodies.principal(request), Ids.workerToken(id));
  }
}
