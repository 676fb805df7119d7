package dev.quarry.server.storage.internal;

import dev.quarry.server.storage.MultipartUploads;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Discards, every ten minutes on each replica, multipart uploads older than {@link
 * MultipartUploads#MAX_AGE} with their parts (replicas sweeping at once skip each other's rows).
 */
@Component
class UploadSweeper {
  private static final Logger log = LoggerFactory.getLogger(UploadSweeper.class);
  private static final int BATCH = 100;

  private final MultipartUploads uploads;
  private final Clock clock;

  UploadSweeper(MultipartUploads uploads, Clock clock) {
    this.uploads = uploads;
    this.clock = clock;
  }

  @Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
  void sweep() {
    try {
      int swept;
      do {
        swept = uploads.sweep(clock.instant(), BATCH);
        if (swept > 0) {
          log.info("discarded {} multipart uploads older than {}", swept, MultipartUploads.MAX_AGE);
        }
      } while (swept == BATCH);
    } catch (RuntimeException e) {
      log.warn("sweeping stale multipart uploads failed; retried in ten minutes", e);
    }
  }
}
