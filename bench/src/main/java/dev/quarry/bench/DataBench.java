package dev.quarry.bench;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.DataChunk;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.JobFuture;
import dev.quarry.client.JobSummary;
import dev.quarry.client.QuarryStorage;
import dev.quarry.client.StoredData;
import dev.quarry.client.TransferOptions;
import dev.quarry.server.QuarryServer;
import dev.quarry.server.grpc.GrpcServerLifecycle;
import dev.quarry.testkit.DevConfig;
import dev.quarry.testkit.TextCorpus;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Data figures ({@code ./quarry bench data}): put and get of a generated 1 GiB text object through
 * a server in this JVM on loopback (gRPC Storage API, filesystem store; the put as one stream and
 * as {@code uploadFile} in parallel multipart parts, the get as one stream and as {@code
 * downloadFile} in parallel ranged parts), and a word count over the same file split by the server
 * into 16 line-aligned ranges counted by 16 threads, against one single-threaded pass. {@code
 * -Dquarry.bench.dataMib=N} changes the size, {@code -Dquarry.bench.parts=N} the parts of the
 * parallel upload and download in flight, {@code -Dquarry.bench.wordCount=false} skips the word
 * count; other arguments go to the server.
 */
public final class DataBench {
  private static final String BUCKET = "bench";
  private static final String KEY = "corpus.txt";
  private static final String PARTS_KEY = "corpus-parts.txt";
  private static final int CHUNKS = 16;

  private DataBench() {}

  public static void main(String[] args) throws Exception {
    long size = Long.getLong("quarry.bench.dataMib", 1024) << 20;
    Path home = Bench.tempHome("quarry-bench-data");
    List<String> serverArgs = Bench.serverArgs(home);
    serverArgs.addAll(Arrays.asList(args));
    ConfigurableApplicationContext ctx =
        new SpringApplication(QuarryServer.class).run(serverArgs.toArray(String[]::new));
    int grpc = ctx.getBean(GrpcServerLifecycle.class).port();
    Path file = Files.createTempFile("quarry-bench", ".txt");
    Path copy = Files.createTempFile("quarry-bench", ".copy");
    try (var fexec =
            FunctionExecutor.connect(
                "127.0.0.1:" + grpc,
                ClientOptions.builder().apiKey(DevConfig.read(home).apiKey()).build());
        QuarryStorage storage = fexec.storage()) {
      long t = System.nanoTime();
      TextCorpus.Counts known = TextCorpus.write(file, size, 1234);
      System.out.printf(
          "generated %,d bytes (%,d lines, %,d words) in %.1f s%n",
          known.bytes(), known.lines(), known.words(), secs(t));

      TransferOptions parallel =
          TransferOptions.builder()
              .parallelism(
                  Integer.getInteger("quarry.bench.parts", TransferOptions.DEFAULT_PARALLELISM))
              .build();
      t = System.nanoTime();
      storage.putObject(BUCKET, KEY, file);
      System.out.printf(
          "put through the server, one stream: %.0f MB/s%n", known.bytes() / 1e6 / secs(t));
      long start = System.nanoTime();
      java.util.concurrent.atomic.AtomicLong partsSent =
          new java.util.concurrent.atomic.AtomicLong();
      storage.uploadFile(
          file,
          BUCKET,
          PARTS_KEY,
          parallel.toBuilder()
              .progress(
                  bytes -> {
                    if (bytes == known.bytes()) {
                      partsSent.set(System.nanoTime());
                    }
                  })
              .build());
      long end = System.nanoTime();
      System.out.printf(
          "put through the server, uploadFile (%d x %d MiB parts in flight): %.0f MB/s"
              + " (parts %.1f s, complete %.1f s)%n",
          parallel.parallelism(),
          parallel.partSize() >> 20,
          known.bytes() / 1e6 / ((end - start) / 1e9),
          (partsSent.get() - start) / 1e9,
          (end - partsSent.get()) / 1e9);
      t = System.nanoTime();
      try (InputStream in = storage.openObject(BUCKET, KEY)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      System.out.printf(
          "get through the server, one stream: %.0f MB/s%n", known.bytes() / 1e6 / secs(t));
      sameAsFile(file, copy);
      t = System.nanoTime();
      storage.downloadFile(BUCKET, PARTS_KEY, copy, parallel); // also checks the multipart object
      System.out.printf(
          "get through the server, downloadFile (%d x %d MiB parts in flight): %.0f MB/s%n",
          parallel.parallelism(), parallel.partSize() >> 20, known.bytes() / 1e6 / secs(t));
      sameAsFile(file, copy);
      storage.deleteObject(BUCKET, PARTS_KEY);
      Files.delete(copy);
      if (!Boolean.parseBoolean(System.getProperty("quarry.bench.wordCount", "true"))) {
        return;
      }

      t = System.nanoTime();
      TextCorpus.Counts single = TextCorpus.count(file, 0, Long.MAX_VALUE);
      double singleSecs = secs(t);
      System.out.printf(
          "word count, one thread: %.2f s (%.0f MB/s)%n", singleSecs, size / 1e6 / singleSecs);

      t = System.nanoTime();
      List<JobFuture<long[]>> planned =
          fexec.map(
              (DataChunk c) -> new long[] {c.start(), c.end()},
              StoredData.keys(BUCKET, List.of(KEY)).objChunkNumber(CHUNKS));
      List<long[]> ranges = fexec.getResult(planned);
      double planSecs = secs(t);
      t = System.nanoTime();
      TextCorpus.Counts chunked = countInParallel(file, ranges);
      double chunkSecs = secs(t);
      System.out.printf(
          "word count, %d ranges on %d threads: %.2f s (%.0f MB/s, %.1fx; server planning and"
              + " the map of ranges %.1f s more)%n",
          ranges.size(),
          CHUNKS,
          chunkSecs,
          size / 1e6 / chunkSecs,
          singleSecs / chunkSecs,
          planSecs);
      if (!single.equals(known) || !chunked.equals(known)) {
        throw new IllegalStateException(
            "counts differ: generated " + known + ", one pass " + single + ", ranges " + chunked);
      }
      JobSummary s = fexec.summary(planned.get(0).jobId());
      System.out.printf(
          "planning map summary: %d futures, duration p50 %.0f ms p99 %.0f ms, queue p50 %.0f"
              + " ms, CPU %d ms, %s%n",
          s.total(),
          s.duration().p50Ms(),
          s.duration().p99Ms(),
          s.queue().p50Ms(),
          s.cpuMs(),
          s.cost().available() ? "cost " + s.cost().total() : s.cost().reason());
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(copy);
      ctx.close();
      deleteTree(home); // the server's store holds a copy of the object
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static TextCorpus.Counts countInParallel(Path file, List<long[]> ranges)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CHUNKS);
    try {
      List<Future<TextCorpus.Counts>> parts = new ArrayList<>();
      for (long[] r : ranges) {
        parts.add(pool.submit(() -> TextCorpus.count(file, r[0], r[1])));
      }
      TextCorpus.Counts sum = new TextCorpus.Counts(0, 0, 0);
      for (Future<TextCorpus.Counts> p : parts) {
        sum = sum.plus(p.get());
      }
      return sum;
    } finally {
      pool.shutdown();
    }
  }

  private static void sameAsFile(Path file, Path copy) throws java.io.IOException {
    if (Files.mismatch(file, copy) != -1) {
      throw new IllegalStateException("the object read back differs from the file");
    }
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
