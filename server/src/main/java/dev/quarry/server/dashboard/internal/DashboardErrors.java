package dev.quarry.server.dashboard.internal;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The dashboard's error pages. A job that is not the caller's and a job that does not exist (or an
 * id that is not one) get the same 404 page, so a page tells nothing about other tenants.
 */
@ControllerAdvice(basePackageClasses = DashboardErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardErrors {

  @ExceptionHandler(ApiException.class)
  String api(ApiException e, HttpServletResponse response, Model model) {
    if (e.code() == ErrorCode.NOT_FOUND) {
      return notFound(response);
    }
    response.setStatus(e.code().httpStatus());
    model.addAttribute("status", e.code().httpStatus());
    model.addAttribute("message", e.getMessage());
    return "dashboard/error";
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  String mismatch(HttpServletResponse response) {
    return notFound(response);
  }

  private static String notFound(HttpServletResponse response) {
    response.setStatus(404);
    return "dashboard/notfound";
  }
}
