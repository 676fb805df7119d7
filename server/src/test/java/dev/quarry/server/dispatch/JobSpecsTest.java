package dev.quarry.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.RecentSubmits;
import dev.quarry.server.jobs.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
  private final FakeTaskStore store = new FakeTaskStore();
  private final RecentSubmits recent = new RecentSubmits();
  private final JobSpecs specs = new JobSpecs(store, recent);

  @Test
  void aJobCreatedOnThisReplicaIsNotReadBackFromTheStore() {
    JobRecord created = job();
    recent.created(created);
    store.brokenSpecs.put(created.id(), new AssertionError("read from the store"));

    assertThat(specs.get(created.id())).isSameAs(created);
    assertThat(new JobSpecs(store, recent).get(created.id())).isSameAs(created);
  }

  @Test
  void aJobCreatedElsewhereIsReadFromTheStore() {
    JobRecord elsewhere = job();
    store.specs.put(elsewhere.id(), elsewhere);

    assertThat(specs.get(elsewhere.id())).isSameAs(elsewhere);
    assertThatThrownBy(() -> specs.get(UUID.randomUUID()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no job ");
  }

  private static JobRecord job() {
    return new JobRecord(
        "t",
        UUID.randomUUID(),
        JobState.RUNNING,
        new FunctionRef(null, "echo", "BUILTIN", "JSON", null, null, List.of(), "sha256:echo"),
        1,
        1,
        3,
        false,
        60_000,
        "",
        "",
        Instant.EPOCH,
        null,
        Map.of(TaskState.PENDING, 1),
        null,
        "req-1");
  }
}
