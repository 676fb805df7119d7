package dev.quarry.cli;

import dev.quarry.client.QuarryAdmin;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quarry credentials list|put|delete}. Values are read from a file or prompted without echo,
 * never taken from the command line (where {@code ps} and shell history would keep them).
 */
@Command(
    name = "credentials",
    mixinStandardHelpOptions = true,
    description = "The team's cloud credentials (admin key). Values go in, never come back.",
    subcommands = {
      CredentialsCommand.ListCredentials.class,
      CredentialsCommand.Put.class,
      CredentialsCommand.Delete.class
    })
final class CredentialsCommand extends AdminCmd {
  static final List<String> HEADERS = List.of("NAME", "KIND", "CREATED", "UPDATED");

  /** Largest credentials file read. */
  static final long MAX_FILE_BYTES = 64 << 10;

  @Override
  int run() {
    return usage();
  }

  static List<String> row(QuarryAdmin.Credential c) {
    return List.of(c.name(), c.kind(), time(c.createdAt()), time(c.updatedAt()));
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Names and kinds (never values).")
  static final class ListCredentials extends AdminCmd {
    @Override
    int run() {
      return printList(QuarryAdmin::listCredentials, HEADERS, CredentialsCommand::row);
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = {
        "Store or replace a credential. Its fields come from --from-file (a properties"
            + " file: name=value per line) or are prompted for, without echo, one per --field.",
        "Example: quarry credentials put team-aws --kind aws --from-file aws.properties"
      })
  static final class Put extends AdminCmd {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--kind", required = true, description = "e.g. aws, azure.")
    String kind;

    @Option(
        names = "--from-file",
        paramLabel = "FILE",
        description = "Properties file with the fields.")
    @Nullable Path file;

    @Option(
        names = "--field",
        paramLabel = "NAME",
        description = "A field to prompt for (repeatable).")
    List<String> fields = List.of();

    @Override
    int run() throws IOException {
      Map<String, String> values = file != null ? read(file) : prompt();
      if (values.isEmpty()) {
        throw new IllegalArgumentException(
            "no fields: give --from-file FILE or --field NAME (prompted)");
      }
      return printOne(a -> a.putCredential(name, kind, values), HEADERS, CredentialsCommand::row);
    }

    private static Map<String, String> read(Path file) throws IOException {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "--from-file: " + file + " is not a file of at most 64 KiB");
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      Map<String, String> m = new LinkedHashMap<>();
      p.stringPropertyNames().stream().sorted().forEach(k -> m.put(k, p.getProperty(k).trim()));
      return m;
    }

    private Map<String, String> prompt() {
      if (fields.isEmpty()) {
        return Map.of();
      }
      java.io.Console console = System.console();
      if (console == null || !env().terminal()) {
        throw new IllegalArgumentException(
            "no terminal to prompt on: give the fields with --from-file FILE");
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (String f : fields) {
        char[] v = console.readPassword("%s: ", f);
        if (v == null) {
          throw new IllegalArgumentException("no value for " + f);
        }
        m.put(f, new String(v));
        java.util.Arrays.fill(v, '\0');
      }
      return m;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a credential.")
  static final class Delete extends AdminCmd {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run() {
      return printOne(a -> a.deleteCredential(name), HEADERS, CredentialsCommand::row);
    }
  }
}
