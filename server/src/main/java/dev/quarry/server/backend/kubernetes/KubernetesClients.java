package dev.quarry.server.backend.kubernetes;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds a client from a {@code kubernetes} credential: {@code kubeconfig} (its current context),
 * or {@code server} + {@code token} (+ {@code caCertificate}, PEM). A credential is tenant input,
 * so only inline data is taken from a kubeconfig: {@code exec} and {@code auth-provider} plug-ins
 * (they would run commands on the server), file paths ({@code certificate-authority}, {@code
 * client-key}, {@code tokenFile}: they would read the server's files) and proxies are refused, and
 * nothing is read from the server's own {@code ~/.kube} or environment. The API server must be
 * HTTPS on a public address unless the operator allows otherwise.
 */
final class KubernetesClients {
  private KubernetesClients() {}

  /**
   * @throws BackendException PERMANENT naming what is wrong with the credential
   */
  static KubernetesClient open(
      Map<String, String> credential, String namespace, boolean allowInsecure) {
    ConfigBuilder config = new ConfigBuilder(Config.empty());
    String server;
    if (credential.containsKey("kubeconfig")) {
      server = fromKubeconfig(credential.get("kubeconfig"), config, allowInsecure);
    } else {
      server = require(credential, "server");
      config.withOauthToken(require(credential, "token"));
      String ca = credential.get("caCertificate");
      if (ca != null) {
        config.withCaCertData(
            Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8)));
      }
    }
    checkServer(server, allowInsecure);
    config
        .withMasterUrl(server)
        .withNamespace(namespace)
        .withConnectionTimeout(5_000)
        .withRequestTimeout(15_000)
        .withRequestRetryBackoffLimit(2)
        .withRequestRetryBackoffInterval(200);
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  private static String fromKubeconfig(String text, ConfigBuilder config, boolean allowInsecure) {
    io.fabric8.kubernetes.api.model.Config kc;
    try {
      kc = KubeConfigUtils.parseConfigFromString(text);
    } catch (RuntimeException e) {
      throw refused("its kubeconfig is not valid YAML");
    }
    if (kc == null || kc.getCurrentContext() == null) {
      throw refused("its kubeconfig names no current-context");
    }
    NamedContext context =
        kc.getContexts() == null
            ? null
            : kc.getContexts().stream()
                .filter(c -> kc.getCurrentContext().equals(c.getName()))
                .findFirst()
                .orElse(null);
    if (context == null || context.getContext() == null) {
      throw refused("its kubeconfig's current-context is not defined");
    }
    Cluster cluster =
        kc.getClusters() == null
            ? null
            : kc.getClusters().stream()
                .filter(c -> c.getName().equals(context.getContext().getCluster()))
                .map(NamedCluster::getCluster)
                .findFirst()
                .orElse(null);
    AuthInfo user =
        kc.getUsers() == null
            ? null
            : kc.getUsers().stream()
                .filter(u -> u.getName().equals(context.getContext().getUser()))
                .map(NamedAuthInfo::getUser)
                .findFirst()
                .orElse(null);
    if (cluster == null || cluster.getServer() == null) {
      throw refused("its kubeconfig's cluster has no server");
    }
    if (cluster.getCertificateAuthority() != null || cluster.getProxyUrl() != null) {
      throw refused(
          "its kubeconfig refers to a file or a proxy; use certificate-authority-data inline");
    }
    if (Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify())) {
      if (!allowInsecure) {
        throw refused("insecure-skip-tls-verify is not allowed on this server");
      }
      config.withTrustCerts(true);
    }
    if (cluster.getCertificateAuthorityData() != null) {
      config.withCaCertData(cluster.getCertificateAuthorityData());
    }
    if (user != null) {
      if (user.getExec() != null || user.getAuthProvider() != null) {
        throw refused("exec and auth-provider plug-ins are not allowed (they run commands)");
      }
      if (user.getTokenFile() != null
          || user.getClientCertificate() != null
          || user.getClientKey() != null) {
        throw refused(
            "its kubeconfig refers to files; use token, client-certificate-data and"
                + " client-key-data inline");
      }
      if (user.getToken() != null) {
        config.withOauthToken(user.getToken());
      }
      if (user.getClientCertificateData() != null) {
        config.withClientCertData(user.getClientCertificateData());
      }
      if (user.getClientKeyData() != null) {
        config.withClientKeyData(user.getClientKeyData());
      }
      if (user.getUsername() != null) {
        config.withUsername(user.getUsername()).withPassword(user.getPassword());
      }
    }
    return cluster.getServer();
  }

  private static void checkServer(String server, boolean allowInsecure) {
    URI uri;
    try {
      uri = URI.create(server);
    } catch (IllegalArgumentException e) {
      throw refused("its API server is not a URL");
    }
    if (uri.getHost() == null
        || !("https".equals(uri.getScheme()) || allowInsecure && "http".equals(uri.getScheme()))) {
      throw refused("its API server must be an https:// URL");
    }
    if (allowInsecure) {
      return;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
        if (a.isLoopbackAddress()
            || a.isLinkLocalAddress()
            || a.isAnyLocalAddress()
            || a.isMulticastAddress()) {
          throw refused("its API server is a loopback or link-local address");
        }
      }
    } catch (UnknownHostException e) {
      throw new BackendException(
          Kind.TRANSIENT, "the API server's host " + uri.getHost() + " does not resolve", e);
    }
  }

  private static String require(Map<String, String> credential, String field) {
    String v = credential.get(field);
    if (v == null || v.isBlank()) {
      throw refused("it has no '" + field + "'");
    }
    return v;
  }

  private static BackendException refused(@Nullable String why) {
    return new BackendException(Kind.PERMANENT, "the kubernetes credential cannot be used: " + why);
  }
}
