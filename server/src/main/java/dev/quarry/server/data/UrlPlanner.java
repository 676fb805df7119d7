package dev.quarry.server.data;

import dev.quarry.client.internal.UrlGuard;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;
import org.springframework.stereotype.Component;

/**
 * Plans a map over HTTP(S) URLs: checks every URL first ({@link UrlGuard}: scheme, user info,
 * length, public addresses only unless the host is in {@code
 * quarry.data.url-allowed-private-hosts}), then asks each its length with {@code HEAD}, without
 * following redirects, and splits it into nominal ranges when it answers {@code Content-Length} and
 * {@code Accept-Ranges: bytes} (else the URL is one range, read whole). The server reads no body:
 * the worker moves the range's ends to line starts as it reads ({@code UrlRanges}).
 */
@Component
class UrlPlanner {
  private final DataProperties props;
  private final Clock clock;
  private final UrlGuard guard;
  private final HttpClient http;

  UrlPlanner(DataProperties props, Clock clock) {
    this.props = props;
    this.clock = clock;
    this.guard = new UrlGuard(props.urlAllowedPrivateHosts());
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(props.urlTimeout())
            .build();
  }

  /**
   * The ranges of {@code urls}, in URL order, then range order.
   *
   * @param chunkOf the nominal range length for a URL of the given size (Long.MAX_VALUE: whole)
   * @throws ApiException URL_REFUSED for a URL the guard refuses (before any is contacted),
   *     URL_UNREADABLE when a HEAD fails, PAYLOAD_TOO_LARGE for more than {@code maxRanges} ranges
   */
  List<Partition> plan(List<String> urls, LongUnaryOperator chunkOf, int maxRanges) {
    List<UrlGuard.Checked> checked = new ArrayList<>(urls.size());
    for (int i = 0; i < urls.size(); i++) {
      try {
        checked.add(guard.check(urls.get(i)));
      } catch (UrlGuard.RefusedException e) {
        throw new ApiException(ErrorReason.URL_REFUSED, "url " + i + ": " + e.getMessage());
      }
    }
    Instant deadline = clock.instant().plus(props.urlPlanTimeout());
    List<Partition> out = new ArrayList<>();
    for (int i = 0; i < checked.size(); i++) {
      if (clock.instant().isAfter(deadline)) {
        throw new ApiException(
            ErrorReason.URL_UNREADABLE,
            "planning the URLs took longer than " + props.urlPlanTimeout() + "; name fewer URLs");
      }
      UrlGuard.Checked url = checked.get(i);
      Head head = head(i, url.uri());
      long chunk =
          head.size() < 0 || !head.ranges() ? Long.MAX_VALUE : chunkOf.applyAsLong(head.size());
      long start = 0;
      int part = 0;
      do {
        long end = chunk == Long.MAX_VALUE ? head.size() : Math.min(head.size(), start + chunk);
        if (out.size() >= maxRanges) {
          throw DataPlanner.tooMany(maxRanges, "more than " + maxRanges);
        }
        out.add(
            new Partition(
                "",
                "",
                start,
                end,
                head.size(),
                head.etag(),
                part++,
                url.uri().toString(),
                url.privateAllowed()));
        start = end;
      } while (start >= 0 && start < head.size());
    }
    return out;
  }

  /** A URL's length (-1 if unknown), whether it serves byte ranges, and its ETag ("" if none). */
  private record Head(long size, boolean ranges, String etag) {}

  private Head head(int i, URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .timeout(props.urlTimeout())
            .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw unreadable(i, "HEAD failed: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreadable(i, "interrupted");
    }
    if (response.statusCode() != 200) {
      throw unreadable(
          i,
          "HEAD answered "
              + response.statusCode()
              + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : ""));
    }
    long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    boolean ranges =
        response
            .headers()
            .firstValue("Accept-Ranges")
            .map(v -> v.toLowerCase(Locale.ROOT).contains("bytes"))
            .orElse(false);
    return new Head(size, ranges, response.headers().firstValue("ETag").orElse(""));
  }

  private static ApiException unreadable(int i, String why) {
    return new ApiException(ErrorReason.URL_UNREADABLE, "url " + i + ": " + why);
  }
}
