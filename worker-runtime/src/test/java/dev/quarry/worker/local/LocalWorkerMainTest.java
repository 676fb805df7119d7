package dev.quarry.worker.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FromWorker;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.ToWorker;
import dev.quarry.worker.TaskRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkerMainTest {
  @TempDir Path temp;

  @Test
  void writesTheHandshakeThenOneSummaryPerEnvelopeInOrderUntilEndOfInput() throws Exception {
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    ToWorker.newBuilder().setEnvelope(envelope("first")).build().writeDelimitedTo(requests);
    ToWorker.newBuilder().setEnvelope(envelope("second")).build().writeDelimitedTo(requests);
    ByteArrayOutputStream answers = new ByteArrayOutputStream();

    try (TaskRunner runner = new TaskRunner("local-1", temp.resolve("jars"), Clock.systemUTC())) {
      LocalWorkerMain.serve(
          new ByteArrayInputStream(requests.toByteArray()), answers, runner, "local-1");
    }

    ByteArrayInputStream in = new ByteArrayInputStream(answers.toByteArray());
    InvocationSummary ready = FromWorker.parseDelimitedFrom(in).getSummary();
    InvocationSummary first = FromWorker.parseDelimitedFrom(in).getSummary();
    InvocationSummary second = FromWorker.parseDelimitedFrom(in).getSummary();
    assertThat(ready.getInvocationId()).isEqualTo(LocalWorkerMain.READY);
    assertThat(ready.getWorkerId()).isEqualTo("local-1");
    assertThat(first.getInvocationId()).isEqualTo("first");
    assertThat(second.getInvocationId()).isEqualTo("second");
    assertThat(second.getOutcomes(0).getOk()).isTrue();
    assertThat(FromWorker.parseDelimitedFrom(in)).isNull();
  }

  private TaskEnvelope envelope(String id) {
    return TaskEnvelope.newBuilder()
        .setInvocationId(id)
        .setFunction(
            FunctionSpec.newBuilder()
                .setDigest("echo")
                .setKind(FunctionKind.FUNCTION_KIND_BUILTIN)
                .setName("echo"))
        .setCodec(Codec.CODEC_JSON)
        .addTasks(
            TaskInput.newBuilder()
                .setTaskId(id)
                .setInline(ByteString.copyFromUtf8("1"))
                .setResultKey("results/" + id))
        .setStorage(
            StorageSettings.newBuilder()
                .setType("fs")
                .putSettings("root", temp.resolve("store").toString()))
        .build();
  }
}
