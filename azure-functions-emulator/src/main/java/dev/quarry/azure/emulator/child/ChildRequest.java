package dev.quarry.azure.emulator.child;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The library's request type over a frame; the body type is the trigger parameter's. */
final class ChildRequest<T> implements HttpRequestMessage<T> {

  private final Frames.Message frame;
  private final T body;

  ChildRequest(Frames.Message frame, T body) {
    this.frame = frame;
    this.body = body;
  }

  @Override
  public URI getUri() {
    return URI.create(frame.uri());
  }

  @Override
  public HttpMethod getHttpMethod() {
    return HttpMethod.value(frame.method().toUpperCase(Locale.ROOT));
  }

  @Override
  public Map<String, String> getHeaders() {
    Map<String, String> lower = new HashMap<>();
    frame.headers().forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return lower;
  }

  @Override
  public Map<String, String> getQueryParameters() {
    Map<String, String> q = new HashMap<>();
    String raw = getUri().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        q.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  @Override
  public T getBody() {
    return body;
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
    return new Response.Builder(status);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
    return new Response.Builder(status);
  }

  /** The library's response type. */
  record Response(HttpStatusType status, Map<String, String> headers, Object body)
      implements HttpResponseMessage {

    @Override
    public HttpStatusType getStatus() {
      return status;
    }

    @Override
    public String getHeader(String key) {
      return headers.get(key);
    }

    @Override
    public Object getBody() {
      return body;
    }

    static final class Builder implements HttpResponseMessage.Builder {
      private HttpStatusType status;
      private final Map<String, String> headers = new LinkedHashMap<>();
      private Object body = new byte[0];

      Builder(HttpStatusType status) {
        this.status = status;
      }

      @Override
      public HttpResponseMessage.Builder status(HttpStatusType status) {
        this.status = status;
        return this;
      }

      @Override
      public HttpResponseMessage.Builder header(String key, String value) {
        headers.put(key, value);
        return this;
      }

      @Override
      public HttpResponseMessage.Builder body(Object body) {
        this.body = body;
        return this;
      }

      @Override
      public HttpResponseMessage build() {
        return new Response(status, headers, body);
      }
    }
  }
}
