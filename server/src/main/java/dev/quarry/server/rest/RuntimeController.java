package dev.quarry.server.rest;

import dev.quarry.backend.WorkerRuntime;
import dev.quarry.server.runtimes.RuntimeService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/profiles/{profile}/runtimes}: the worker deployments of a profile whose backend has a
 * runtimes API (Lambda).
 */
@RestController
public class RuntimeController {
  private final RuntimeService runtimes;

  public RuntimeController(RuntimeService runtimes) {
    this.runtimes = runtimes;
  }

  @GetMapping("/v1/profiles/{profile}/runtimes")
  Map<String, List<WorkerRuntime>> list(@PathVariable String profile, HttpServletRequest request) {
    return Map.of("runtimes", runtimes.list(Bodies.principal(request), profile));
  }

  /** Deploys the profile's function (idempotent); answers what it did in {@code change}. */
  @PostMapping("/v1/profiles/{profile}/runtimes")
  WorkerRuntime deploy(@PathVariable String profile, HttpServletRequest request) {
    return runtimes.deploy(Bodies.principal(request), profile);
  }

  @PutMapping("/v1/profiles/{profile}/runtimes/{name}")
  WorkerRuntime update(
      @PathVariable String profile, @PathVariable String name, HttpServletRequest request) {
    return runtimes.update(Bodies.principal(request), profile, name);
  }

  @DeleteMapping("/v1/profiles/{profile}/runtimes/{name}")
  WorkerRuntime delete(
      @PathVariable String profile, @PathVariable String name, HttpServletRequest request) {
    return runtimes.delete(Bodies.principal(request), profile, name);
  }
}
