package dev.quarry.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints data as an aligned table or as JSON ({@code --output json}). */
final class Output {
  /**
   * The JSON mappers, in a holder so that a command printing a table never loads Jackson (a tenth
   * of a second of start-up).
   */
  static final class Json {
    static final JsonMapper PRETTY =
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    static final JsonMapper COMPACT = JsonMapper.builder().build();

    private Json() {}
  }

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** Prints {@code value} as JSON, or the table when the output is a table. */
  void print(Object value, List<String> headers, List<List<String>> rows) {
    if (json) {
      out.println(Json.PRETTY.writeValueAsString(value));
    } else {
      table(out, headers, rows);
    }
    out.flush();
  }

  static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], clean(row.get(i)).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String cell = clean(row.get(i));
        line.append(cell);
        if (i < widths.length - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** Control characters from the server (a function's error message) never reach the terminal. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return b.toString();
  }
}
