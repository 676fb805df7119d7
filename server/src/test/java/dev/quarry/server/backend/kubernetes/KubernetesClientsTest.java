package dev.quarry.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.backend.BackendException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A kubernetes credential is tenant input: nothing in it may run a command or read a file here. */
class KubernetesClientsTest {

  private static String kubeconfig(String cluster, String user) {
    return """
        apiVersion: v1
        kind: Config
        current-context: c
        contexts:
        - name: c
          context: {cluster: k, user: u}
        clusters:
        - name: k
          cluster: {%s}
        users:
        - name: u
          user: {%s}
        """
        .formatted(cluster, user);
  }

  private static void refused(Map<String, String> credential, String why) {
    assertThatThrownBy(() -> KubernetesClients.open(credential, "ns", false))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining(why)
        .satisfies(
            e ->
                assertThat(((BackendException) e).kind())
                    .isEqualTo(BackendException.Kind.PERMANENT));
  }

  @Test
  void execPluginsFilePathsAndUnsafeServersAreRefused() {
    refused(
        Map.of(
            "kubeconfig",
            kubeconfig(
                "server: 'https://k8s.example.com'",
                "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, 'id > /tmp/pwned']}")),
        "exec and auth-provider");
    refused(
        Map.of(
            "kubeconfig",
            kubeconfig(
                "server: 'https://k8s.example.com'", "tokenFile: /var/lib/quarry/master-key")),
        "refers to files");
    refused(
        Map.of(
            "kubeconfig",
            kubeconfig(
                "server: 'https://k8s.example.com', certificate-authority: /var/lib/quarry/config",
                "token: t")),
        "refers to a file");
    refused(
        Map.of(
            "kubeconfig",
            kubeconfig(
                "server: 'https://k8s.example.com', insecure-skip-tls-verify: true", "token: t")),
        "insecure-skip-tls-verify");
    refused(Map.of("kubeconfig", "{not: [yaml"), "kubeconfig");
    refused(Map.of("server", "http://k8s.example.com", "token", "t"), "https://");
    refused(Map.of("server", "https://127.0.0.1:6443", "token", "t"), "loopback");
    refused(Map.of("server", "https://169.254.169.254", "token", "t"), "link-local");
    refused(Map.of("token", "t"), "'server'");
  }

  @Test
  void inlineCredentialsMakeAClientForTheirServer() {
    try (var client =
        KubernetesClients.open(
            Map.of("kubeconfig", kubeconfig("server: 'https://203.0.113.10:6443'", "token: abc")),
            "workers",
            false)) {
      assertThat(client.getConfiguration().getMasterUrl()).startsWith("https://203.0.113.10:6443");
      assertThat(client.getConfiguration().getNamespace()).isEqualTo("workers");
      assertThat(client.getConfiguration().getOauthToken()).isEqualTo("abc");
    }
    try (var client =
        KubernetesClients.open(Map.of("server", "http://127.0.0.1:1", "token", "t"), "ns", true)) {
      assertThat(client.getConfiguration().getMasterUrl()).startsWith("http://127.0.0.1:1");
    }
  }
}
