package dev.quarry.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks that the README's examples are the programs in this module and print what the README
 * shows. In the README, an example is marked by {@code <!-- example: NAME -->} before its fenced
 * code block, optionally followed by {@code <!-- output -->} and a fenced block of the expected
 * output, where {@code …} stands for any text (ids, timings). {@code NAME} is a class of this
 * package ({@code HelloMap}) or a script in the module's folder ({@code rest.sh}); the code between
 * its {@code README:begin} and {@code README:end} markers must equal the README's block. {@code
 * <!-- example: NAME (run by SomeTest) -->} marks an example that needs more than a server (other
 * clouds' emulators): its code is compared here and the named test runs it.
 *
 * <p>Usage: {@code ReadmeCheck README.md examples/ WORKDIR}. Java examples run in this JVM (the
 * caller sets {@code -Dquarry.config}); scripts run with {@code bash} in {@code WORKDIR}, where a
 * {@code my-functions.jar} holding {@code com.example.*} is created first. Exits 1 on any
 * difference.
 *
 * <p>Long because it is a small self-contained tool (parse the README's markers, run each example,
 * compare with wildcards, report) that must not depend on the code it checks.
 */
public final class ReadmeCheck {
  private static final Pattern MARK =
      Pattern.compile("<!-- example: (\\S+)(?: \\(run by (\\w+)\\))? -->");
  private static final long TIMEOUT_SECONDS = 180;

  /** An example; {@code runBy} names the test that runs it when it needs more than a server. */
  record Example(
      String name, List<String> code, List<String> output, int line, @Nullable String runBy) {}

  private ReadmeCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ReadmeCheck README.md EXAMPLES_DIR WORKDIR");
      System.exit(2);
    }
    Path readme = Path.of(args[0]);
    Path module = Path.of(args[1]);
    Path workDir = Path.of(args[2]);
    Files.createDirectories(workDir);
    writeFunctionsJar(workDir.resolve("my-functions.jar"));
    List<Example> examples = parse(Files.readAllLines(readme));
    List<String> failures = new ArrayList<>();
    for (Example ex : examples) {
      System.err.println("== README example " + ex.name() + " (README line " + ex.line() + ")");
      String problem = check(ex, module, workDir);
      if (problem != null) {
        failures.add(ex.name() + ": " + problem);
        System.err.println("   DIFFERS: " + problem);
      }
    }
    if (examples.isEmpty()) {
      failures.add("no <!-- example: … --> marks found in " + readme);
    }
    if (!failures.isEmpty()) {
      System.err.println("README examples that differ from their programs or output:");
      failures.forEach(f -> System.err.println(" - " + f));
      System.exit(1);
    }
    System.err.println(
        "README examples: all " + examples.size() + " match their programs and output");
  }

  static List<Example> parse(List<String> lines) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARK.matcher(lines.get(i).trim());
      if (!m.matches()) {
        continue;
      }
      int[] end = new int[1];
      List<String> code = fenced(lines, i + 1, end);
      List<String> output = List.of();
      int j = end[0] + 1;
      while (j < lines.size() && lines.get(j).isBlank()) {
        j++;
      }
      if (j < lines.size() && lines.get(j).trim().equals("<!-- output -->")) {
        output = fenced(lines, j + 1, end);
      }
      out.add(new Example(m.group(1), code, output, i + 1, m.group(2)));
    }
    return out;
  }

  /** The lines of the first fenced block at or after {@code from}; its closing line in end[0]. */
  private static List<String> fenced(List<String> lines, int from, int[] end) {
    int open = from;
    while (open < lines.size() && !lines.get(open).trim().startsWith("```")) {
      open++;
    }
    List<String> body = new ArrayList<>();
    int i = open + 1;
    for (; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
      body.add(lines.get(i));
    }
    end[0] = i;
    return body;
  }

  private static String check(Example ex, Path module, Path workDir) throws Exception {
    boolean script = ex.name().endsWith(".sh");
    Path source =
        script
            ? module.resolve(ex.name())
            : module.resolve("src/main/java/dev/quarry/examples/" + ex.name() + ".java");
    if (!Files.isRegularFile(source)) {
      return "no program " + source;
    }
    String diff = compare(region(Files.readAllLines(source), script ? "#" : "//"), ex.code());
    if (diff != null) {
      return "the README's code differs from " + source + ": " + diff;
    }
    if (ex.runBy() != null) {
      System.err.println("   same code as " + source + "; run by " + ex.runBy());
      return null;
    }
    String actual = script ? runScript(source, workDir) : runClass(ex.name());
    return matches(ex.output(), actual.lines().toList());
  }

  static List<String> region(List<String> lines, String comment) {
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.equals(comment + " README:begin")) {
        begin = i + 1;
      } else if (t.equals(comment + " README:end")) {
        end = i;
      }
    }
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("no README:begin / README:end markers");
    }
    List<String> body = lines.subList(begin, end);
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
  }

  private static String compare(List<String> program, List<String> readme) {
    List<String> shown = readme.stream().map(String::stripTrailing).toList();
    for (int i = 0; i < Math.max(program.size(), shown.size()); i++) {
      String a = i < program.size() ? program.get(i) : "<end>";
      String b = i < shown.size() ? shown.get(i) : "<end>";
      if (!a.equals(b)) {
        return "line " + (i + 1) + ": program has [" + a + "], README has [" + b + "]";
      }
    }
    return null;
  }

  /** Expected lines may contain {@code …}, which matches any text. */
  static String matches(List<String> expected, List<String> actual) {
    List<String> got = trimTrailingBlank(actual);
    List<String> want = trimTrailingBlank(expected);
    if (want.size() != got.size()) {
      return "expected "
          + want.size()
          + " output lines, got "
          + got.size()
          + ":\n"
          + String.join("\n", got);
    }
    for (int i = 0; i < want.size(); i++) {
      if (!pattern(want.get(i)).matcher(got.get(i)).matches()) {
        return "output line "
            + (i + 1)
            + ": expected ["
            + want.get(i)
            + "], got ["
            + got.get(i)
            + "]";
      }
    }
    return null;
  }

  private static Pattern pattern(String line) {
    StringBuilder regex = new StringBuilder();
    for (String part : line.stripTrailing().split("…", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  private static List<String> trimTrailingBlank(List<String> lines) {
    List<String> copy = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
    while (!copy.isEmpty() && copy.get(copy.size() - 1).isEmpty()) {
      copy.remove(copy.size() - 1);
    }
    return copy;
  }

  private static String runClass(String name) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    Throwable[] failure = new Throwable[1];
    Thread run =
        new Thread(
            () -> {
              try {
                Class.forName(ReadmeCheck.class.getPackageName() + "." + name)
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) new String[0]);
              } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
              } catch (ReflectiveOperationException e) {
                failure[0] = e;
              }
            },
            "example-" + name);
    System.setOut(new PrintStream(new Tee(captured, original), true, StandardCharsets.UTF_8));
    try {
      run.start();
      run.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } finally {
      System.setOut(original);
    }
    if (run.isAlive()) {
      throw new IllegalStateException(name + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    if (failure[0] != null) {
      throw new IllegalStateException(name + " failed", failure[0]);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static String runScript(Path script, Path workDir) throws Exception {
    Path out = Files.createTempFile(workDir, "script", ".out");
    Process p =
        new ProcessBuilder("bash", "-euo", "pipefail", script.toAbsolutePath().toString())
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    String text = Files.readString(out);
    System.out.print(text);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(script + " exited with " + p.exitValue());
    }
    return text;
  }

  /** The README registers {@code my-functions.jar}: this module's {@code com.example} classes. */
  private static void writeFunctionsJar(Path jar) throws IOException {
    String entry = "com/example/Upper.class";
    try (var in = ReadmeCheck.class.getClassLoader().getResourceAsStream(entry);
        var out = new JarOutputStream(Files.newOutputStream(jar))) {
      if (in == null) {
        throw new IllegalStateException(entry + " is not on the class path");
      }
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
