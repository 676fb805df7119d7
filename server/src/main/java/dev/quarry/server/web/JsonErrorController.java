package dev.quarry.server.web;

import dev.quarry.server.api.ErrorBody;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.JsonErrors;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error page: whatever the container forwards to {@code /error} (an
 * unsupported method like TRACE, a failure outside a controller) answers an {@link ErrorBody} like
 * every other error.
 */
@RestController
class JsonErrorController implements ErrorController {

  @RequestMapping(
      value = "${server.error.path:/error}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ErrorBody> error(HttpServletRequest request) {
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int code = status instanceof Integer i ? i : 404;
    ErrorReason reason =
        code == 404 ? ErrorReason.ROUTE_NOT_FOUND : ErrorReason.of(ErrorCode.ofHttpStatus(code));
    var builder = ResponseEntity.status(code).contentType(MediaType.APPLICATION_JSON);
    if (reason.code() == ErrorCode.RESOURCE_EXHAUSTED) {
      builder.header("Retry-After", JsonErrors.RETRY_AFTER_SECONDS);
    }
    return builder.body(ErrorBody.of(reason, message(request, code)));
  }

  private static String message(HttpServletRequest request, int status) {
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String where = uri == null ? "" : " " + JsonErrors.clip(uri.toString());
    return switch (status) {
      case 404 -> "no such endpoint:" + where;
      case 405 -> "method not allowed:" + where;
      case 413 -> "request too large";
      default -> status >= 500 ? "internal error" : "bad request:" + where;
    };
  }
}
