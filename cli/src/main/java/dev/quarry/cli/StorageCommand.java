package dev.quarry.cli;

import dev.quarry.client.ObjectInfo;
import dev.quarry.client.QuarryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quarry storage put|get|ls|rm|cp}: the team's objects through the Storage API. Objects are
 * named {@code BUCKET/KEY} or {@code quarry://BUCKET/KEY}; {@code -} is stdin or stdout (text).
 *
 * <p>Long because it is five small subcommands and the name parsing and transfers they share.
 */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description =
        "Objects in the team's storage, named BUCKET/KEY or quarry://BUCKET/KEY"
            + " (ls: viewer key; put, rm, cp to storage: member key).",
    subcommands = {
      StorageCommand.Put.class,
      StorageCommand.Get.class,
      StorageCommand.Ls.class,
      StorageCommand.Rm.class,
      StorageCommand.Cp.class
    })
final class StorageCommand extends Cmd {
  static final String SCHEME = "quarry://";

  @Override
  int run() {
    spec.commandLine().usage(out());
    return ExitCodes.USAGE;
  }

  /** A bucket and a key (or prefix, possibly empty). */
  record Name(String bucket, String key) {
    static boolean isRemote(String arg) {
      return arg.startsWith(SCHEME);
    }

    static Name parse(String arg, boolean keyRequired) {
      String s = arg.startsWith(SCHEME) ? arg.substring(SCHEME.length()) : arg;
      int slash = s.indexOf('/');
      String bucket = slash < 0 ? s : s.substring(0, slash);
      String key = slash < 0 ? "" : s.substring(slash + 1);
      if (bucket.isEmpty() || (keyRequired && key.isEmpty())) {
        throw new IllegalArgumentException(
            "'" + arg + "' names no " + (bucket.isEmpty() ? "bucket" : "key") + "; use BUCKET/KEY");
      }
      return new Name(bucket, key);
    }

    @Override
    public String toString() {
      return SCHEME + bucket + "/" + key;
    }
  }

  abstract static class StorageCmd extends Cmd {
    QuarryStorage storage() {
      return QuarryStorage.connect(settings().config(), settings().options());
    }

    /** Uploads a local file, or stdin for {@code -} (spooled first, so its size is known). */
    ObjectInfo upload(QuarryStorage s, String source, Name to) throws IOException {
      if (!source.equals("-")) {
        return s.uploadFile(Path.of(source), to.bucket(), to.key());
      }
      Path spool = Files.createTempFile("quarry-put", ".part");
      try {
        Files.copy(env().in(), spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return s.uploadFile(spool, to.bucket(), to.key());
      } finally {
        Files.deleteIfExists(spool);
      }
    }

    /** Downloads to a local file, or prints the object as UTF-8 text for {@code -}. */
    long download(QuarryStorage s, Name from, String target) throws IOException {
      if (!target.equals("-")) {
        Path file = Path.of(target);
        if (Files.isDirectory(file)) {
          file = file.resolve(Path.of(from.key()).getFileName().toString());
        }
        return s.downloadFile(from.bucket(), from.key(), file);
      }
      try (InputStream in = s.openObject(from.bucket(), from.key())) {
        byte[] bytes = in.readAllBytes();
        out().print(new String(bytes, StandardCharsets.UTF_8));
        out().flush();
        return bytes.length;
      }
    }

    void stored(ObjectInfo o) {
      if (output().json()) {
        output().print(o, List.of(), List.of());
      } else {
        err()
            .println("stored " + SCHEME + o.bucket() + "/" + o.key() + " (" + o.size() + " bytes)");
      }
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Upload FILE (or - for stdin) as BUCKET/KEY.")
  static final class Put extends StorageCmd {
    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    @Parameters(index = "1", paramLabel = "BUCKET/KEY")
    String target;

    @Override
    int run() throws IOException {
      try (QuarryStorage s = storage()) {
        stored(upload(s, file, Name.parse(target, true)));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Download BUCKET/KEY to FILE or a directory (default: - prints it as text).")
  static final class Get extends StorageCmd {
    @Parameters(index = "0", paramLabel = "BUCKET/KEY")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", defaultValue = "-")
    String file;

    @Override
    int run() throws IOException {
      try (QuarryStorage s = storage()) {
        download(s, Name.parse(source, true), file);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description = "List the objects of BUCKET whose key starts with PREFIX (BUCKET[/PREFIX]).")
  static final class Ls extends StorageCmd {
    @Parameters(index = "0", paramLabel = "BUCKET[/PREFIX]")
    String where;

    @Override
    int run() {
      Name n = Name.parse(where, false);
      try (QuarryStorage s = storage()) {
        List<ObjectInfo> objects = s.listObjects(n.bucket(), n.key()).toList();
        output()
            .print(
                objects,
                List.of("KEY", "SIZE", "MODIFIED", "ETAG"),
                objects.stream()
                    .map(
                        o ->
                            List.of(
                                o.key(),
                                Long.toString(o.size()),
                                o.lastModified().toString(),
                                o.etag()))
                    .toList());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Delete objects; with -r, every object under each BUCKET/PREFIX.")
  static final class Rm extends StorageCmd {
    @Parameters(arity = "1..*", paramLabel = "BUCKET/KEY")
    List<String> names;

    @Option(
        names = {"-r", "--recursive"},
        description = "Treat each name as a prefix.")
    boolean recursive;

    @Override
    int run() {
      int deleted = 0;
      try (QuarryStorage s = storage()) {
        for (String name : names) {
          Name n = Name.parse(name, !recursive);
          List<String> keys = new ArrayList<>();
          if (recursive) {
            s.listObjects(n.bucket(), n.key()).forEach(o -> keys.add(o.key()));
          } else {
            keys.add(n.key());
          }
          deleted += keys.isEmpty() ? 0 : s.deleteObjects(n.bucket(), keys);
        }
      }
      err().println("deleted " + deleted + " object" + (deleted == 1 ? "" : "s"));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "cp",
      mixinStandardHelpOptions = true,
      description =
          "Copy SOURCE to TARGET; either is quarry://BUCKET/KEY or a local path (- for"
              + " stdin/stdout), and at least one is quarry://.")
  static final class Cp extends StorageCmd {
    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET")
    String target;

    @Override
    int run() throws IOException {
      boolean fromRemote = Name.isRemote(source);
      boolean toRemote = Name.isRemote(target);
      if (!fromRemote && !toRemote) {
        throw new IllegalArgumentException(
            "cp needs a quarry://BUCKET/KEY on at least one side; got '"
                + source
                + "' and '"
                + target
                + "'");
      }
      try (QuarryStorage s = storage()) {
        if (!fromRemote) {
          stored(upload(s, source, Name.parse(target, true)));
        } else if (!toRemote) {
          download(s, Name.parse(source, true), target);
        } else {
          Name from = Name.parse(source, true);
          Name to = Name.parse(target, true);
          long size = s.headObject(from.bucket(), from.key()).size();
          try (InputStream in = s.openObject(from.bucket(), from.key())) {
            stored(s.putObject(to.bucket(), to.key(), in, size));
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      return ExitCodes.OK;
    }
  }
}
