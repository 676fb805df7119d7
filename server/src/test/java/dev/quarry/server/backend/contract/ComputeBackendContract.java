package dev.quarry.server.backend.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link ComputeBackend} promises, run against each implementation by a subclass:
 * invocations round-trip through a worker to storage and back as a summary; a function's own
 * exception is an outcome, not a backend failure; an invocation past its time limit fails with a
 * {@link BackendException} worth retrying; the capacity is positive; {@code invoke} never throws;
 * {@code close} fails pending invocations with a retryable exception and refuses new ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class ComputeBackendContract {
  /** Longest wait for one invocation (worker JVMs and cold starts on a busy machine). */
  static final Duration ANSWER = Duration.ofSeconds(60);

  private ComputeBackend shared;

  /** A new backend under test; each call opens another one (the close test owns its own). */
  abstract ComputeBackend open() throws Exception;

  /** The storage the backend's workers write results to. */
  abstract ObjectStore store();

  /** What the envelope says about storage. */
  abstract StorageSettings storage();

  /**
   * A {@code sleep} invocation of {@code millis} that this backend must abandon before it ends: by
   * the envelope's deadline, or the platform's own time limit set up by the subclass.
   */
  TaskEnvelope pastItsTimeLimit(long millis) {
    return envelope("sleep", Long.toString(millis)).toBuilder()
        .setDeadlineMs(System.currentTimeMillis() + 1500)
        .build();
  }

  /** Releases what the subclass started for the whole class. */
  void stop() throws Exception {}

  @BeforeAll
  final void openShared() throws Exception {
    shared = open();
    // warm: worker JVMs or the function exist before the timed tests begin
    shared.invoke(envelope("echo", "0")).get(ANSWER.toSeconds(), TimeUnit.SECONDS);
  }

  @AfterAll
  final void closeShared() throws Exception {
    try {
      if (shared != null) {
        shared.close();
      }
    } finally {
      stop();
    }
  }

  @Test
  void anInvocationRoundTripsEveryInputToStorageAndASummary() throws Exception {
    TaskEnvelope envelope = envelope("echo", "1", "\"two\"", "{\"three\":3}");

    InvocationSummary summary = shared.invoke(envelope).get(ANSWER.toSeconds(), TimeUnit.SECONDS);

    assertThat(summary.getInvocationId()).isEqualTo(envelope.getInvocationId());
    assertThat(summary.getOutcomesList()).hasSize(3).allMatch(TaskOutcome::getOk);
    assertThat(summary.getOutcomesList())
        .extracting(TaskOutcome::getTaskId)
        .containsExactlyInAnyOrder(
            envelope.getTasks(0).getTaskId(),
            envelope.getTasks(1).getTaskId(),
            envelope.getTasks(2).getTaskId());
    for (TaskInput task : envelope.getTasksList()) {
      String stored =
          new String(store().read(task.getResultKey()).orElseThrow(), StandardCharsets.UTF_8);
      assertThat(stored).isEqualTo(task.getInline().toStringUtf8());
    }
  }

  @Test
  void capacityIsPositiveAndThatManyInvocationsRunAtOnce() throws Exception {
    assertThat(shared.capacity()).isPositive();
    List<CompletableFuture<InvocationSummary>> calls = new ArrayList<>();
    for (int i = 0; i < Math.min(4, shared.capacity()); i++) {
      calls.add(shared.invoke(envelope("checksum", "\"x" + i + "\"")));
    }
    for (CompletableFuture<InvocationSummary> call : calls) {
      assertThat(call.get(ANSWER.toSeconds(), TimeUnit.SECONDS).getOutcomes(0).getOk()).isTrue();
    }
  }

  @Test
  void aFailingFunctionIsAnOutcomeNotABackendFailure() throws Exception {
    InvocationSummary summary =
        shared
            .invoke(envelope("fail", "\"boom\"", "\"again\""))
            .get(ANSWER.toSeconds(), TimeUnit.SECONDS);

    assertThat(summary.getOutcomesList()).hasSize(2).noneMatch(TaskOutcome::getOk);
    assertThat(summary.getOutcomes(0).getError().getMessage()).isNotBlank();
  }

  @Test
  void anInvocationPastItsTimeLimitFailsWithARetryableBackendException() {
    long start = System.nanoTime();
    CompletableFuture<InvocationSummary> stuck = shared.invoke(pastItsTimeLimit(60_000));

    assertThatThrownBy(() -> stuck.get(ANSWER.toSeconds(), TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind().retryable()).as(e.toString()).isTrue());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(50));
  }

  @Test
  void closeFailsPendingInvocationsRetryablyAndRefusesNewOnesWithoutThrowing() throws Exception {
    ComputeBackend backend = open();
    backend.invoke(envelope("echo", "0")).get(ANSWER.toSeconds(), TimeUnit.SECONDS);
    CompletableFuture<InvocationSummary> pending = backend.invoke(envelope("sleep", "60000"));

    backend.close();

    assertThatThrownBy(() -> pending.get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind().retryable()).as(e.toString()).isTrue());
    CompletableFuture<InvocationSummary> after = backend.invoke(envelope("echo", "1"));
    assertThatThrownBy(() -> after.get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(BackendException.class);
  }

  /** An envelope of builtin {@code function} with one task per JSON input. */
  TaskEnvelope envelope(String function, String... jsonInputs) {
    String id = "contract-" + UUID.randomUUID();
    TaskEnvelope.Builder envelope =
        TaskEnvelope.newBuilder()
            .setInvocationId(id)
            .setTenantId("contract")
            .setFunction(
                FunctionSpec.newBuilder()
                    .setDigest("builtin:" + function)
                    .setKind(FunctionKind.FUNCTION_KIND_BUILTIN)
                    .setName(function))
            .setCodec(Codec.CODEC_JSON)
            .setStorage(storage());
    for (int i = 0; i < jsonInputs.length; i++) {
      envelope.addTasks(
          TaskInput.newBuilder()
              .setTaskId(id + ":" + i)
              .setIndex(i)
              .setInline(ByteString.copyFromUtf8(jsonInputs[i]))
              .setResultKey("tenants/contract/results/" + id + "/" + i));
    }
    return envelope.build();
  }
}
