package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorBody;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.JsonErrors;
import dev.quarry.storage.InvalidKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure of a REST call to a status and an {@link ErrorBody} with its reason. */
@RestControllerAdvice
public class RestErrors {
  private static final Logger log = LoggerFactory.getLogger(RestErrors.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorBody> api(ApiException e) {
    return body(e.code(), ErrorBody.of(e));
  }

  @ExceptionHandler(InvalidKeyException.class)
  ResponseEntity<ErrorBody> key(InvalidKeyException e) {
    return body(ErrorReason.INVALID_ARGUMENT, e.getMessage());
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ErrorBody> noRoute(NoResourceFoundException e) {
    return body(ErrorReason.ROUTE_NOT_FOUND, "no such endpoint: " + e.getResourcePath());
  }

  /** A path no controller maps and no static resource pattern ({@code /dash/**}) covers. */
  @ExceptionHandler(NoHandlerFoundException.class)
  ResponseEntity<ErrorBody> noHandler(NoHandlerFoundException e) {
    return body(ErrorReason.ROUTE_NOT_FOUND, "no such endpoint: " + e.getRequestURL());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e) {
    return body(ErrorReason.METHOD_NOT_ALLOWED, String.valueOf(e.getMessage()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> media(HttpMediaTypeNotSupportedException e) {
    return body(ErrorReason.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
  }

  @ExceptionHandler({
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<ErrorBody> parameter(Exception e) {
    return body(ErrorReason.INVALID_ARGUMENT, e.getMessage());
  }

  /** Query parameters Tomcat cannot decode (e.g. {@code %ED%A0%80}, not UTF-8). */
  @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
  ResponseEntity<ErrorBody> undecodableParameters(Exception e) {
    return body(
        ErrorReason.MALFORMED_REQUEST,
        "malformed query string: parameters must be valid UTF-8, percent-encoded");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> unexpected(Exception e) {
    log.error("Unexpected error in a REST call", e);
    return body(ErrorReason.INTERNAL, "internal error: " + e.getClass().getSimpleName());
  }

  static ResponseEntity<ErrorBody> body(ErrorReason reason, String message) {
    return body(reason.code(), ErrorBody.of(reason, message));
  }

  private static ResponseEntity<ErrorBody> body(ErrorCode code, ErrorBody body) {
    var builder = ResponseEntity.status(code.httpStatus());
    if (code == ErrorCode.RESOURCE_EXHAUSTED) {
      builder.header("Retry-After", JsonErrors.RETRY_AFTER_SECONDS);
    }
    return builder.body(body);
  }
}
