package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.DataChunk;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.MapOptions;
import dev.quarry.client.MapReduce;
import dev.quarry.client.QuarryStorage;
import dev.quarry.client.RemoteFunctionException;
import dev.quarry.client.StoredData;
import dev.quarry.client.WaitResult;
import dev.quarry.client.WaitThreshold;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Map-reduce (the reducer streams the maps' results from storage) and waiting for a threshold. */
class MapReduceTest {
  static TestServer server;
  static FunctionExecutor fexec;
  static QuarryStorage storage;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(TenancyTest.newTenant()).build());
    storage = fexec.storage();
  }

  @AfterAll
  static void stop() {
    storage.close();
    fexec.close();
  }

  @Test
  void theReducerGetsEveryMapResultAndRemovesTheIntermediates() throws Exception {
    MapReduce<Integer, Integer> mr =
        fexec.mapReduce(
            (Integer x) -> x * x,
            IntStream.rangeClosed(1, 50).boxed().toList(),
            squares -> squares.mapToInt(Integer::intValue).sum());

    assertThat(mr.reducer().get()).isEqualTo(42_925);
    assertThat(fexec.getResult(mr.maps())).hasSize(50).contains(1, 2_500);
    assertThat(storage.listObjects("quarry-mapreduce", "").toList()).isEmpty();
  }

  @Test
  void aWordCountOverStoredDataWithAnEarlyReducerEqualsOnePass() throws Exception {
    byte[] text = StoredDataMapTest.generate(3L << 20, 7);
    storage.putObject("books", "all.txt", text);
    long expected = StoredDataMapTest.count(new ByteArrayInputStream(text))[0];

    MapReduce<Long, Long> mr =
        fexec.mapReduce(
            (DataChunk chunk) -> {
              try (InputStream in = chunk.stream()) {
                return StoredDataMapTest.count(in)[0];
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            StoredData.keys("books", List.of("all.txt")).objChunkNumber(10),
            counts -> counts.mapToLong(Long::longValue).sum(),
            MapOptions.builder().spawnReducerAt(0.2).build());

    assertThat(mr.maps()).hasSizeBetween(2, 10);
    assertThat(mr.reducer().get()).isEqualTo(expected);
  }

  @Test
  void aFailedMapFailsTheReducer() {
    MapReduce<Integer, Integer> mr =
        fexec.mapReduce(
            (Integer x) -> {
              if (x == 3) {
                throw new IllegalArgumentException("three is bad");
              }
              return x;
            },
            List.of(1, 2, 3, 4),
            xs -> xs.mapToInt(Integer::intValue).sum());

    assertThatThrownBy(() -> mr.reducer().get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RemoteFunctionException.class)
        .hasMessageContaining("a map failed")
        .hasMessageContaining("three is bad");
  }

  @Test
  void waitForReturnsWhenACountOrAShareIsDone() {
    var futures =
        fexec.map(
            (Integer ms) -> {
              try {
                Thread.sleep(ms);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return ms;
            },
            // the straggler ends by itself: a cancelled job's running invocation would go on
            // in its worker and write its result while later tests run
            List.of(0, 0, 0, 0, 15_000));
    try {
      WaitResult<Integer> three =
          fexec.waitFor(futures, WaitThreshold.count(3), Duration.ofMinutes(1));
      WaitResult<Integer> most =
          fexec.waitFor(futures, WaitThreshold.share(0.8), Duration.ofMinutes(1));

      assertThat(three.done()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(most.done()).hasSize(4);
      assertThat(most.notDone()).containsExactly(futures.get(4));
    } finally {
      fexec.waitFor(futures, WaitThreshold.count(5), Duration.ofMinutes(2));
    }
  }
}
