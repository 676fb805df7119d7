package dev.quarry.server.dashboard.internal;

import dev.quarry.server.jobs.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes, every minute on each replica, the buckets of the overview's "futures ended" rollup that
 * are older than the hour it shows (one indexed delete; replicas deleting at once just find less).
 */
@Component
class TaskEndsSweeper {
  private static final Logger log = LoggerFactory.getLogger(TaskEndsSweeper.class);

  private final TaskStore store;

  TaskEndsSweeper(TaskStore store) {
    this.store = store;
  }

  @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
  void sweep() {
    try {
      store.forgetTaskEnds();
    } catch (RuntimeException e) {
      log.warn(
          "deleting the futures-ended buckets older than an hour failed; retried in a minute", e);
    }
  }
}
