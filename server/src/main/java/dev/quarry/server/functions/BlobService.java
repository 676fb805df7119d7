package dev.quarry.server.functions;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.jobs.StorageKeys;
import dev.quarry.storage.ObjectStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Content-addressed blobs of a tenant: which exist, and uploading verified content. */
@Service
public class BlobService {
  private final BlobRepository repository;
  private final ObjectStore store;
  private final QuarryProperties props;

  BlobService(BlobRepository repository, ObjectStore store, QuarryProperties props) {
    this.repository = repository;
    this.store = store;
    this.props = props;
  }

  /** The digests among {@code digests} that this tenant has not uploaded, in request order. */
  public List<String> missing(String tenant, Collection<String> digests) {
    if (digests.size() > 10_000) {
      throw ApiException.invalid("at most 10000 digests per request");
    }
    digests.forEach(Digests::require);
    Set<String> present =
        digests.isEmpty() ? Set.of() : new HashSet<>(repository.findPresent(tenant, digests));
    List<String> missing = new ArrayList<>();
    for (String d : digests) {
      if (!present.contains(d) && !missing.contains(d)) {
        missing.add(d);
      }
    }
    return missing;
  }

  /** Starts an upload whose content is checked against {@code digest} and {@code size}. */
  public Upload begin(String tenant, String digest, long size) {
    Digests.require(digest);
    if (size < 0 || size > props.limits().maxBlobBytes()) {
      throw ApiException.tooLarge(
          "blob size " + size + " is outside 0.." + props.limits().maxBlobBytes() + " bytes");
    }
    return new Upload(tenant, digest, size);
  }

  /** Stores bytes already in memory (a registered jar). Returns the digest. */
  public String put(String tenant, byte[] data) {
    Upload upload = begin(tenant, Digests.of(data), data.length);
    upload.write(data, 0, data.length);
    upload.finish();
    return upload.digest;
  }

  /** One blob upload, spooled to a temp file and hashed before it becomes visible. */
  public final class Upload implements AutoCloseable {
    private final String tenant;
    private final String digest;
    private final long size;
    private final Path tmp;
    private final OutputStream out;
    private final MessageDigest md = Digests.sha256();
    private long written;

    private Upload(String tenant, String digest, long size) {
      this.tenant = tenant;
      this.digest = digest;
      this.size = size;
      try {
        this.tmp = Files.createTempFile("quarry-upload", ".bin");
        this.out = Files.newOutputStream(tmp);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String digest() {
      return digest;
    }

    public long size() {
      return size;
    }

    public void write(byte[] data, int off, int len) {
      written += len;
      if (written > size) {
        throw ApiException.invalid("blob " + digest + " is larger than its declared size " + size);
      }
      md.update(data, off, len);
      try {
        out.write(data, off, len);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * @throws ApiException INVALID_ARGUMENT when the content does not match size or digest
     */
    public void finish() {
      try (Upload ignored = this) {
        out.close();
        if (written != size) {
          throw ApiException.invalid(
              "blob " + digest + " declared " + size + " bytes but " + written + " arrived");
        }
        String actual = Digests.hex(md.digest());
        if (!actual.equals(digest)) {
          throw ApiException.invalid(
              "blob content has digest " + actual + ", not the declared " + digest);
        }
        store.putFile(StorageKeys.blob(tenant, digest), tmp);
        repository.insertIfAbsent(tenant, digest, size);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        out.close();
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a leftover temp file is harmless
      }
    }
  }
}
