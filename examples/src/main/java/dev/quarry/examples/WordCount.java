package dev.quarry.examples;

import dev.quarry.client.*;

/**
 * A map-reduce over stored data: the server splits the object into ranges of whole lines, each
 * future counts the words of its range, the reducer sums them.
 */
public final class WordCount {
  public static void main(String[] args) throws Exception {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090");
        var storage = fexec.storage()) {
      storage.putObject("books", "tale.txt", "it was the best of times\n".repeat(2000));
      MapReduce<Long, Long> wordCount =
          fexec.mapReduce(
              (DataChunk chunk) -> chunk.lines().mapToLong(l -> l.split(" ").length).sum(),
              StoredData.prefix("books", "tale").objChunkSize(10_000),
              counts -> counts.mapToLong(Long::longValue).sum(),
              MapOptions.DEFAULT);
      long words = wordCount.reducer().get();
      System.out.println(wordCount.maps().size() + " ranges, " + words + " words");
      storage.deleteObject("books", "tale.txt");
    }
    // README:end
  }
}
