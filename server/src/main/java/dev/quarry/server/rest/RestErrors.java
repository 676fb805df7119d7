package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorBody;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.storage.InvalidKeyException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

/** Maps every failure of a REST call to a status and a {@code {code, message, retryable}} body. */
@RestControllerAdvice
public class RestErrors {
  private static final Logger log = LoggerFactory.getLogger(RestErrors.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorBody> api(ApiException e) {
    return body(e.code(), e.getMessage());
  }

  @ExceptionHandler(InvalidKeyException.class)
  ResponseEntity<ErrorBody> key(InvalidKeyException e) {
    return body(ErrorCode.INVALID_ARGUMENT, e.getMessage());
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ErrorBody> noRoute(NoResourceFoundException e) {
    return body(ErrorCode.NOT_FOUND, "no such endpoint: " + e.getResourcePath());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e) {
    return ResponseEntity.status(405)
        .body(new ErrorBody("METHOD_NOT_ALLOWED", e.getMessage(), false));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> media(HttpMediaTypeNotSupportedException e) {
    return body(ErrorCode.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
  }

  @ExceptionHandler({
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<ErrorBody> parameter(Exception e) {
    return body(ErrorCode.INVALID_ARGUMENT, e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> unexpected(Exception e) {
    log.error("Unexpected error in a REST call", e);
    return body(ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName());
  }

  static ResponseEntity<ErrorBody> body(ErrorCode code, String message) {
    return ResponseEntity.status(code.httpStatus()).body(ErrorBody.of(code, message));
  }

  /** Writes an error outside Spring MVC (filters). */
  static void write(HttpServletResponse response, ErrorCode code, String message)
      throws IOException {
    response.setStatus(code.httpStatus());
    response.setContentType("application/json");
    response.getOutputStream().write(JSON.writeValueAsString(ErrorBody.of(code, message)).getBytes(StandardCharsets.UTF_8));
  }
}
