package dev.quarry.backend.internal.kubernetes;

import dev.quarry.backend.kubernetes.PodProblem;
import dev.quarry.backend.kubernetes.WorkerPodOptions;
import dev.quarry.backend.kubernetes.WorkerPods;
import dev.quarry.backend.kubernetes.WorkerPodsException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WorkerPods} as Kubernetes Jobs in work-queue mode (ADR 0023): parallelism is the number of
 * pods wanted, completions is unset, and a worker exits 0 when it has been idle for the pool's idle
 * timeout. Once one pod of a Job has succeeded, Kubernetes starts no new pod for it, so a Job that
 * is winding down is left alone and a new generation is started when more pods are wanted. Pods are
 * never killed to scale down.
 *
 * <p>Every object of a pool carries the labels {@code quarry.dev/pool} (a hash of tenant and
 * profile), {@code quarry.dev/tenant} and {@code quarry.dev/profile}; pods also carry {@code
 * quarry.dev/generation}. The worker token reaches pods as a mounted Secret, never as an argument
 * or an environment variable.
 *
 * <p>Long because reconciling generations, the token Secret and the problem report work on the same
 * Jobs and labels under one monitor, each through the guarded API {@code call}.
 */
public final class JobWorkerPods implements WorkerPods {
  private static final Logger log = LoggerFactory.getLogger(JobWorkerPods.class);

  static final String LABEL_POOL = "quarry.dev/pool";
  static final String LABEL_TENANT = "quarry.dev/tenant";
  static final String LABEL_PROFILE = "quarry.dev/profile";
  static final String LABEL_GENERATION = "quarry.dev/generation";
  static final int MAX_REPORTED = 10_000;

  private final KubernetesClient client;
  private final WorkerPodOptions options;
  private final Clock clock;
  private final PoolNames names;
  private final UnaryOperator<@Nullable String> token;
  private final Set<String> reported = new LinkedHashSet<>();
  private final List<PodProblem> problems = new ArrayList<>();
  private volatile int active;

  /**
   * Opens the pool and writes its token Secret.
   *
   * @throws WorkerPodsException when the API server refuses the Secret
   */
  public JobWorkerPods(
      KubernetesClient client,
      WorkerPodOptions options,
      UnaryOperator<@Nullable String> token,
      Clock clock) {
    this.client = client;
    this.options = options;
    this.clock = clock;
    this.names = PoolNames.of(options.tenant(), options.profile());
    this.token = token;
    call("write the worker token Secret", () -> writeSecret(token));
  }

  @Override
  public synchronized void scaleTo(int desired) {
    int want = Math.max(0, Math.min(desired, options.maxPods()));
    call(
        "scale worker pods",
        () -> {
          reconcile(want);
          return null;
        });
  }

  @Override
  public synchronized void refreshToken() {
    call("write the worker token Secret", () -> writeSecret(token));
  }

  @Override
  public int activePods() {
    return active;
  }

  @Override
  public synchronized List<PodProblem> problems() {
    List<PodProblem> out = List.copyOf(problems);
    problems.clear();
    return out;
  }

  @Override
  public synchronized void close() {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(options.namespace())
          .withLabel(LABEL_POOL, names.pool())
          .delete();
      client.pods().inNamespace(options.namespace()).withLabel(LABEL_POOL, names.pool()).delete();
      client.secrets().inNamespace(options.namespace()).withName(names.secret()).delete();
    } catch (KubernetesClientException e) {
      log.warn("could not delete the worker pods of pool {}: {}", names.pool(), e.getMessage());
    }
  }

  private void reconcile(int want) {
    String ns = options.namespace();
    List<Job> jobs =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .withLabel(LABEL_POOL, names.pool())
            .list()
            .getItems();
    List<Pod> pods =
        client.pods().inNamespace(ns).withLabel(LABEL_POOL, names.pool()).list().getItems();
    Instant now = clock.instant();
    PodStates.harvest(pods, options, now, this::report);

    Map<Integer, Integer> activeByGeneration = new LinkedHashMap<>();
    Map<Integer, Integer> succeededByGeneration = new LinkedHashMap<>();
    for (Pod pod : pods) {
      int generation = generation(pod.getMetadata().getLabels());
      if (PodStates.isActive(pod)) {
        activeByGeneration.merge(generation, 1, Integer::sum);
      } else if ("Succeeded".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
        succeededByGeneration.merge(generation, 1, Integer::sum);
      }
    }
    int total = activeByGeneration.values().stream().mapToInt(Integer::intValue).sum();
    active = total;

    int newest = 0;
    Job open = null;
    for (Job job :
        jobs.stream().sorted(Comparator.comparingInt(JobWorkerPods::generation)).toList()) {
      int generation = generation(job);
      newest = Math.max(newest, generation);
      if (finishedAt(job) != null) {
        deleteWhenExpired(job, now);
      } else if (succeededByGeneration.getOrDefault(generation, 0) == 0
          && (job.getStatus() == null || orZero(job.getStatus().getSucceeded()) == 0)) {
        open = job;
      }
    }
    if (open != null) {
      int others = total - activeByGeneration.getOrDefault(generation(open), 0);
      int parallelism = Math.max(0, want - others);
      if (parallelism > orZero(open.getSpec().getParallelism())) {
        setParallelism(open, parallelism);
      }
    } else if (want > total) {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(ns)
          .resource(newJob(newest + 1, want - total))
          .create();
    }
  }

  private void setParallelism(Job job, int parallelism) {
    existing(job)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"parallelism\":" + parallelism + "}}");
  }

  /** The API handle of a Job of the pool that exists. */
  private ScalableResource<Job> existing(Job job) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(options.namespace())
        .withName(job.getMetadata().getName());
  }

  private void deleteWhenExpired(Job job, Instant now) {
    Instant finished = finishedAt(job);
    if (finished != null && !finished.plus(options.finishedTtl()).isAfter(now)) {
      existing(job).delete();
      client
          .pods()
          .inNamespace(options.namespace())
          .withLabel(LABEL_POOL, names.pool())
          .withLabel(LABEL_GENERATION, String.valueOf(generation(job)))
          .delete();
    }
  }

  private Job newJob(int generation, int parallelism) {
    Map<String, String> labels = labels();
    labels.put(LABEL_GENERATION, String.valueOf(generation));
    return new JobBuilder()
        .withNewMetadata()
        .withName(names.job(generation))
        .withNamespace(options.namespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withParallelism(parallelism)
        .withBackoffLimit(Math.min(options.maxPods() * 4, 10_000))
        .withTtlSecondsAfterFinished((int) options.finishedTtl().toSeconds())
        .withTemplate(PodTemplates.worker(options, names, labels))
        .endSpec()
        .build();
  }

  private @Nullable Secret writeSecret(UnaryOperator<@Nullable String> tokenFor) {
    var existing = client.secrets().inNamespace(options.namespace()).withName(names.secret()).get();
    String current = null;
    if (existing != null
        && existing.getData() != null
        && existing.getData().get(PodTemplates.TOKEN_KEY) != null) {
      try {
        current =
            new String(
                Base64.getDecoder().decode(existing.getData().get(PodTemplates.TOKEN_KEY)),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        current = null;
      }
    }
    String token = tokenFor.apply(current);
    if (token.equals(current)) {
      return existing;
    }
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(names.secret())
            .withNamespace(options.namespace())
            .withLabels(labels())
            .endMetadata()
            .withType("Opaque")
            .withData(
                Map.of(
                    PodTemplates.TOKEN_KEY,
                    Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
            .build();
    var resource = client.secrets().inNamespace(options.namespace()).resource(secret);
    return existing == null ? resource.create() : resource.update();
  }

  private Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_POOL, names.pool());
    labels.put(LABEL_TENANT, PoolNames.labelValue(options.tenant()));
    labels.put(LABEL_PROFILE, PoolNames.labelValue(options.profile()));
    return labels;
  }

  private void report(PodProblem problem) {
    String key = problem.pod() + "/" + problem.kind();
    if (reported.add(key)) {
      problems.add(problem);
      if (reported.size() > MAX_REPORTED) {
        reported.remove(reported.iterator().next());
      }
      if (problems.size() > MAX_REPORTED) {
        problems.remove(0);
      }
    }
  }

  private static @Nullable Instant finishedAt(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
          && "True".equals(c.getStatus())) {
        String at = c.getLastTransitionTime();
        return at == null ? Instant.EPOCH : OffsetDateTime.parse(at).toInstant();
      }
    }
    return null;
  }

  private static int generation(Job job) {
    return generation(job.getMetadata().getLabels());
  }

  private static int generation(@Nullable Map<String, String> labels) {
    String g = labels == null ? null : labels.get(LABEL_GENERATION);
    try {
      return g == null ? 0 : Integer.parseInt(g);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int orZero(@Nullable Integer i) {
    return i == null ? 0 : i;
  }

  private <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (KubernetesClientException e) {
      throw new WorkerPodsException(
          "Kubernetes refused to "
              + what
              + " in namespace "
              + options.namespace()
              + ": "
              + (e.getStatus() != null && e.getStatus().getMessage() != null
                  ? e.getStatus().getMessage()
                  : e.getMessage()),
          e);
    }
  }

  static Duration age(Pod pod, Instant now) {
    String created = pod.getMetadata().getCreationTimestamp();
    return created == null
        ? Duration.ZERO
        : Duration.between(OffsetDateTime.parse(created).toInstant(), now);
  }
}
