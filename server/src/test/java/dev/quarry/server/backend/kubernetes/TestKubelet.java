package dev.quarry.server.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a cluster does for the Kubernetes backend, for the fabric8 mock API server (which runs no
 * controllers): the Job controller (pods up to a Job's parallelism until one has succeeded, then
 * the Job completes) and a kubelet that runs each pod's container command as a child JVM on this
 * machine. The command is the pod's own, with three things mapped as a node would: {@code java} to
 * this JVM's binary, the image's class-path file to this JVM's class path, the Secret volume to a
 * file holding the Secret's token, and the server's Service address to its loopback port.
 *
 * <p>A pod whose node selector asks for {@code quarry.test/unschedulable} stays Pending with the
 * scheduler's message. A pod deleted through the API has its process killed at once ({@code kill
 * -9}), as a node does when the grace period is 0.
 */
final class TestKubelet implements AutoCloseable {
  static final String UNSCHEDULABLE = "quarry.test/unschedulable";

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> services;
  private final Path workDir;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final Set<String> launchedPods = ConcurrentHashMap.newKeySet();
  private final List<String> podsStarted = new ArrayList<>();
  private final Map<String, String> profiles = new ConcurrentHashMap<>();
  private final Thread loop;
  private volatile boolean running = true;

  TestKubelet(
      KubernetesClient client, String namespace, Map<String, String> services, Path workDir) {
    this.client = client;
    this.namespace = namespace;
    this.services = Map.copyOf(services);
    this.workDir = workDir;
    this.loop = Thread.ofPlatform().daemon().name("test-kubelet").start(this::run);
  }

  /** Names of every pod of a profile the kubelet started a process for, in order. */
  synchronized List<String> podsStarted(String profile) {
    return podsStarted.stream().filter(p -> profile.equals(profiles.get(p))).toList();
  }

  /** Pods that have a live worker process now. */
  Set<String> runningPods() {
    return processes.entrySet().stream()
        .filter(e -> e.getValue().isAlive())
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private void run() {
    while (running) {
      try {
        tick();
      } catch (KubernetesClientException e) {
        if (running) {
          System.err.println("test kubelet: " + e.getMessage());
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void tick() throws IOException {
    List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace).list().getItems();
    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
    Set<String> live =
        pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    // a deleted pod's container is killed
    for (var e : processes.entrySet()) {
      if (!live.contains(e.getKey()) && e.getValue().isAlive()) {
        e.getValue().destroyForcibly();
      }
    }
    for (Job job : jobs) {
      controlJob(job, pods);
    }
    for (Pod pod : pods) {
      runPod(pod);
    }
  }

  /** The Job controller's part. */
  private void controlJob(Job job, List<Pod> pods) {
    if (job.getStatus() != null
        && job.getStatus().getConditions() != null
        && !job.getStatus().getConditions().isEmpty()) {
      return; // finished
    }
    String name = job.getMetadata().getName();
    List<Pod> mine =
        pods.stream()
            .filter(p -> name.equals(p.getMetadata().getLabels().get("job-name")))
            .toList();
    long active = mine.stream().filter(p -> isActive(phase(p))).count();
    long succeeded = mine.stream().filter(p -> "Succeeded".equals(phase(p))).count();
    long failed = mine.stream().filter(p -> "Failed".equals(phase(p))).count();
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    if (succeeded == 0) {
      for (long i = active; i < parallelism; i++) {
        createPod(job);
      }
    } else if (active == 0) {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .resource(
              new JobBuilder(job)
                  .withNewStatus()
                  .withSucceeded((int) succeeded)
                  .withFailed((int) failed)
                  .addNewCondition()
                  .withType("Complete")
                  .withStatus("True")
                  .withLastTransitionTime(Instant.now().toString())
                  .endCondition()
                  .endStatus()
                  .build())
          .updateStatus();
    }
  }

  private void createPod(Job job) {
    Map<String, String> labels =
        new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("job-name", job.getMetadata().getName());
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(
                job.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5))
            .withNamespace(namespace)
            .withLabels(labels)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .build())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    client.pods().inNamespace(namespace).resource(pod).create();
  }

  /** The scheduler's and the kubelet's part. */
  private void runPod(Pod pod) throws IOException {
    String name = pod.getMetadata().getName();
    String phase = phase(pod);
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if ("Pending".equals(phase) && selector != null && selector.containsKey(UNSCHEDULABLE)) {
      if (pod.getStatus().getConditions() == null || pod.getStatus().getConditions().isEmpty()) {
        pod.getStatus()
            .setConditions(
                List.of(
                    new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .withMessage(
                            "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.")
                        .build()));
        client.pods().inNamespace(namespace).resource(pod).updateStatus();
      }
      return;
    }
    if ("Pending".equals(phase) && launchedPods.add(name)) {
      processes.put(name, launch(pod));
      synchronized (this) {
        podsStarted.add(name);
        profiles.put(name, pod.getMetadata().getLabels().getOrDefault("quarry.dev/profile", ""));
      }
      pod.getStatus().setPhase("Running");
      client.pods().inNamespace(namespace).resource(pod).updateStatus();
      return;
    }
    Process p = processes.get(name);
    if ("Running".equals(phase) && p != null && !p.isAlive()) {
      int code = p.exitValue();
      pod.getStatus().setPhase(code == 0 ? "Succeeded" : "Failed");
      pod.getStatus()
          .setContainerStatuses(
              List.of(
                  new ContainerStatusBuilder()
                      .withName("worker")
                      .withNewState()
                      .withNewTerminated()
                      .withExitCode(code)
                      .withReason(code == 0 ? "Completed" : "Error")
                      .endTerminated()
                      .endState()
                      .build()));
      client.pods().inNamespace(namespace).resource(pod).updateStatus();
    }
  }

  private Process launch(Pod pod) throws IOException {
    var container = pod.getSpec().getContainers().get(0);
    String secretName =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .findFirst()
            .orElseThrow()
            .getSecret()
            .getSecretName();
    var secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    Path mount = Files.createDirectories(workDir.resolve(pod.getMetadata().getName()));
    for (var e : secret.getData().entrySet()) {
      Files.write(mount.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
    }
    String mountPath =
        container.getVolumeMounts().stream()
            .filter(m -> m.getName().equals("token"))
            .findFirst()
            .orElseThrow()
            .getMountPath();
    List<String> command = new ArrayList<>();
    for (String word : container.getCommand()) {
      String w = word;
      if (w.equals("java")) {
        w = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      } else if (w.equals("@/app/jib-classpath-file")) {
        w = System.getProperty("java.class.path");
      } else if (w.startsWith(mountPath + "/")) {
        w = mount.resolve(w.substring(mountPath.length() + 1)).toString();
      } else if (services.containsKey(w)) {
        w = services.get(w);
      } else if (w.startsWith("-XX:MaxRAMPercentage")) {
        w = "-Xmx256m";
      }
      command.add(w);
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve(pod.getMetadata().getName() + ".log").toFile())
        .start();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
  }

  private static boolean isActive(String phase) {
    return "Pending".equals(phase) || "Running".equals(phase);
  }

  /** The output of a pod's worker, for failure messages. */
  String log(String pod) {
    try {
      return Files.readString(workDir.resolve(pod + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    loop.join(5_000);
    processes.values().forEach(Process::destroyForcibly);
    for (Process p : processes.values()) {
      p.waitFor();
    }
  }
}
