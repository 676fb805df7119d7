package dev.quarry.server.grpc;

import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionInfo;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.Job;
import dev.quarry.proto.v1.JobState;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskState;

/** Domain records as protobuf messages. */
final class ProtoViews {
  private ProtoViews() {}

  static Job job(JobRecord j) {
    Job.Builder b =
        Job.newBuilder()
            .setId(j.id().toString())
            .setFunctionName(j.function().name())
            .setState(JobState.valueOf("JOB_STATE_" + j.state().name()))
            .setCodec(Codec.valueOf("CODEC_" + j.function().codec()))
            .setTotal(j.total())
            .setPending(j.count(TaskState.PENDING))
            .setRunning(j.count(TaskState.RUNNING))
            .setSucceeded(j.count(TaskState.SUCCEEDED))
            .setFailed(j.count(TaskState.FAILED))
            .setCancelled(j.count(TaskState.CANCELLED))
            .setChunkSize(j.chunkSize())
            .setCreatedAtMs(j.createdAt().toEpochMilli())
            .setLabel(j.label())
            .setMessage(j.message());
    if (j.function().id() != null) {
      b.setFunctionId(j.function().id().toString());
    }
    if (j.finishedAt() != null) {
      b.setFinishedAtMs(j.finishedAt().toEpochMilli());
    }
    return b.build();
  }

  static FunctionInfo function(FunctionService.FunctionInfo f) {
    FunctionInfo.Builder b =
        FunctionInfo.newBuilder()
            .setName(f.name())
            .setKind(FunctionKind.valueOf("FUNCTION_KIND_" + f.kind()))
            .setCodec(Codec.valueOf("CODEC_" + f.codec()));
    if (f.id() != null) {
      b.setId(f.id().toString());
    }
    if (f.entryClass() != null) {
      b.setEntryClass(f.entryClass());
    }
    if (f.createdAt() != null) {
      b.setCreatedAtMs(f.createdAt().toEpochMilli());
    }
    return b.build();
  }
}
