package dev.quarry.server.backend;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.WorkerRuntime;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.server.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Fake plug-ins, backends and a settable clock for the registry's and plug-ins' unit tests. */
final class BackendFakes {
  private BackendFakes() {}

  /** A plug-in whose lanes are {@link FakeBackend}s; {@code budget} null means one per lane. */
  static class FakePlugin implements BackendPlugin {
    final String kind;
    final @Nullable String budget;
    final List<LaneRequest> opened = new CopyOnWriteArrayList<>();
    final List<FakeBackend> backends = new CopyOnWriteArrayList<>();
    @Nullable String unavailable;

    /**
     * When set, {@link #open} throws a {@link LinkageError} with it, as a plug-in with a bug would.
     */
    @Nullable String openError;

    FakePlugin(String kind, @Nullable String budget) {
      this.kind = kind;
      this.budget = budget;
    }

    @Override
    public String kind() {
      return kind;
    }

    @Override
    public Set<String> settingNames() {
      return Set.of("mode");
    }

    @Override
    public void validate(Map<String, String> settings) {
      if ("slow".equals(settings.get("mode"))) {
        throw ApiException.invalid("setting 'mode' must be fast");
      }
    }

    @Override
    public CredentialRule credentials() {
      return CredentialRule.ANY;
    }

    @Override
    public Optional<String> unavailable() {
      return Optional.ofNullable(unavailable);
    }

    @Override
    public OpenedLane open(LaneRequest request) {
      if (openError != null) {
        throw new LinkageError(openError);
      }
      if (unavailable != null) {
        // as the Lambda plug-in does: submit refuses the kind, a lane opened anyway fails
        throw new BackendException(BackendException.Kind.PERMANENT, unavailable);
      }
      opened.add(request);
      FakeBackend backend = new FakeBackend();
      backends.add(backend);
      BackendRuntimes runtimes = budget == null ? new NoRuntimes() : null;
      return new OpenedLane(
          backend, budget != null ? budget : request.key(), budget != null, 1024, 0, runtimes);
    }
  }

  /** Invocations stay open until {@link #complete} ends them. */
  static final class FakeBackend implements ComputeBackend {
    final List<CompletableFuture<InvocationSummary>> calls = new CopyOnWriteArrayList<>();
    final List<TaskEnvelope> envelopes = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public String type() {
      return "fake";
    }

    @Override
    public int capacity() {
      return 8;
    }

    @Override
    public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
      CompletableFuture<InvocationSummary> call = new CompletableFuture<>();
      envelopes.add(envelope);
      calls.add(call);
      return call;
    }

    void complete(int call) {
      calls.get(call).complete(InvocationSummary.newBuilder().setInvocationId("i").build());
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static final class NoRuntimes implements BackendRuntimes {
    @Override
    public List<WorkerRuntime> list() {
      return List.of();
    }

    @Override
    public WorkerRuntime deploy() {
      throw new UnsupportedOperationException();
    }

    @Override
    public WorkerRuntime update(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public WorkerRuntime delete(String name) {
      throw new UnsupportedOperationException();
    }
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
