package dev.quarry.server.rest;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.functions.BlobService;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.functions.JarCheck;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/functions?name=&entryClass=} with a jar as the body registers a function by name;
 * {@code GET /v1/functions} lists builtins and registered functions.
 */
@RestController
public class FunctionController {
  private final FunctionService functions;
  private final BlobService blobs;
  private final QuarryProperties props;

  public FunctionController(FunctionService functions, BlobService blobs, QuarryProperties props) {
    this.functions = functions;
    this.blobs = blobs;
    this.props = props;
  }

  @GetMapping("/v1/functions")
  Map<String, List<FunctionService.FunctionInfo>> list(HttpServletRequest request) {
    Principal p = Bodies.principal(request);
    p.require(Role.VIEWER);
    return Map.of("functions", functions.list(p.tenantId()));
  }

  @PostMapping("/v1/functions")
  ResponseEntity<FunctionService.FunctionInfo> register(
      @RequestParam String name, @RequestParam String entryClass, HttpServletRequest request)
      throws IOException {
    Principal p = Bodies.principal(request);
    p.require(Role.MEMBER);
    FunctionService.validateJarEntry(name, entryClass);
    byte[] jar = Bodies.read(request, props.limits().maxBlobBytes());
    JarCheck.verify(jar, entryClass);
    String digest = blobs.put(p.tenantId(), jar);
    return ResponseEntity.status(201)
        .body(functions.registerJarEntry(p.tenantId(), name, entryClass, List.of(digest)));
  }
}
