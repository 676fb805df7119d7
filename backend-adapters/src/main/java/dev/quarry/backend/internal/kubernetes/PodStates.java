package dev.quarry.backend.internal.kubernetes;

import dev.quarry.backend.kubernetes.PodProblem;
import dev.quarry.backend.kubernetes.PodProblem.Kind;
import dev.quarry.backend.kubernetes.WorkerPodOptions;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Reads what went wrong with a pod out of its status, in plain words. */
final class PodStates {
  /** Waiting reasons after which a container will not start without a change of the profile. */
  static final Set<String> CANNOT_START =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "CrashLoopBackOff");

  private PodStates() {}

  static boolean isActive(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return phase == null || "Pending".equals(phase) || "Running".equals(phase);
  }

  static void harvest(
      List<Pod> pods, WorkerPodOptions options, Instant now, Consumer<PodProblem> report) {
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      PodStatus status = pod.getStatus();
      if (status == null) {
        continue;
      }
      if ("Evicted".equals(status.getReason())) {
        report.accept(
            new PodProblem(
                name, Kind.EVICTED, "pod " + name + " was evicted: " + text(status.getMessage())));
        continue;
      }
      boolean cannotStart = false;
      for (ContainerStatus cs : nonNull(status.getContainerStatuses())) {
        ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
        if (waiting != null && CANNOT_START.contains(waiting.getReason())) {
          cannotStart = true;
          report.accept(
              new PodProblem(
                  name,
                  Kind.CANNOT_START,
                  "pod "
                      + name
                      + " cannot start its worker ("
                      + waiting.getReason()
                      + ", image "
                      + options.image()
                      + "): "
                      + text(waiting.getMessage())));
        }
        ContainerStateTerminated ended = terminated(cs);
        if (ended != null && "OOMKilled".equals(ended.getReason())) {
          report.accept(
              new PodProblem(
                  name,
                  Kind.OUT_OF_MEMORY,
                  "pod "
                      + name
                      + " was killed: out of memory (limit "
                      + (options.memoryLimit() == null ? "none set" : options.memoryLimit())
                      + ")"));
        } else if (ended != null
            && ended.getExitCode() != null
            && ended.getExitCode() != 0
            && "Failed".equals(status.getPhase())) {
          report.accept(
              new PodProblem(
                  name,
                  Kind.FAILED,
                  "pod "
                      + name
                      + " failed: its worker exited with code "
                      + ended.getExitCode()
                      + (ended.getReason() == null ? "" : " (" + ended.getReason() + ")")));
        }
      }
      if ("Pending".equals(status.getPhase()) && !cannotStart) {
        Duration age = JobWorkerPods.age(pod, now);
        if (age.compareTo(options.pendingTimeout()) >= 0) {
          report.accept(
              new PodProblem(
                  name,
                  Kind.PENDING_TOO_LONG,
                  "pod "
                      + name
                      + " has been Pending for "
                      + age.toSeconds()
                      + " s: "
                      + unscheduled(status)));
        }
      }
    }
  }

  private static @Nullable ContainerStateTerminated terminated(ContainerStatus cs) {
    if (cs.getState() != null && cs.getState().getTerminated() != null) {
      return cs.getState().getTerminated();
    }
    return cs.getLastState() == null ? null : cs.getLastState().getTerminated();
  }

  private static String unscheduled(PodStatus status) {
    for (PodCondition c : nonNull(status.getConditions())) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
        return text(c.getMessage());
      }
    }
    return "not scheduled on a node yet";
  }

  private static String text(@Nullable String s) {
    if (s == null || s.isBlank()) {
      return "no reason given";
    }
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  private static <T> List<T> nonNull(@Nullable List<T> list) {
    return list == null ? List.of() : list;
  }
}
