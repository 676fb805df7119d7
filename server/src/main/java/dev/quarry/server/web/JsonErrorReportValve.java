package dev.quarry.server.web;

import dev.quarry.server.api.ErrorBody;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on a request it refused before any servlet ran (a bad URL encoding, a header
 * too large, an illegal character): a JSON error body instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    ErrorCode code = ErrorCode.ofHttpStatus(status);
    ErrorReason reason =
        code == ErrorCode.INVALID_ARGUMENT
            ? ErrorReason.REQUEST_REJECTED
            : status == 404 ? ErrorReason.ROUTE_NOT_FOUND : ErrorReason.of(code);
    String message =
        status >= 500
            ? "internal error"
            : "the server refused this request (HTTP "
                + status
                + ")"
                + (status == 400 ? ": malformed URL, header or character" : "");
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(ErrorBody.of(reason, message)));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response cannot be written; nothing else to do
    }
  }
}
