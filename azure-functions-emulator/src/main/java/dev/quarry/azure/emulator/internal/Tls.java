package dev.quarry.azure.emulator.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 made with the JDK's {@code keytool}, and the SSL context
 * serving and trusting it: Azure's endpoints are HTTPS only, and Microsoft's token library refuses
 * an authority that is not.
 */
public final class Tls {

  /** The store's password; the store holds a throwaway key for 127.0.0.1 only. */
  public static final String PASSWORD = "emulator";

  private final Path keyStore;
  private final SSLContext context;

  private Tls(Path keyStore, SSLContext context) {
    this.keyStore = keyStore;
    this.context = context;
  }

  /** Generates the key pair and certificate into {@code dir}/tls.p12. */
  public static Tls create(Path javaHome, Path dir) throws IOException {
    Path store = dir.resolve("tls.p12");
    List<String> command =
        List.of(
            javaHome.resolve("bin").resolve("keytool").toString(),
            "-genkeypair",
            "-alias",
            "emulator",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=127.0.0.1",
            "-ext",
            "san=ip:127.0.0.1,dns:localhost",
            "-validity",
            "7",
            "-storetype",
            "PKCS12",
            "-keystore",
            store.toString(),
            "-storepass",
            PASSWORD,
            "-keypass",
            PASSWORD);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + new String(out));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating the certificate", e);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD.toCharArray());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return new Tls(store, ctx);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the generated key store", e);
    }
  }

  /** PKCS12 store holding the certificate (usable as a trust store, password {@link #PASSWORD}). */
  public Path keyStore() {
    return keyStore;
  }

  /** Serves with the certificate and trusts only it. */
  public SSLContext context() {
    return context;
  }
}
