package dev.quarry.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaShareTest {

  @ParameterizedTest
  @CsvSource({"50,2", "50,3", "1,2", "2,5", "7,7", "1000,4", "1,1"})
  void theSharesOfAllReplicasAddUpToTheLimit(int limit, int replicas) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      names.add("r" + i + "/x");
    }
    int total = 0;
    for (String self : names) {
      ReplicaShare share = new ReplicaShare();
      share.update(names.reversed(), self);
      assertThat(share.replicas()).isEqualTo(replicas);
      int part = share.of(limit);
      assertThat(part).isBetween(limit / replicas, limit / replicas + 1);
      total += part;
    }
    assertThat(total).isEqualTo(limit);
  }

  @Test
  void aReplicaAloneOrNotYetListedCountsItself() {
    ReplicaShare share = new ReplicaShare();
    assertThat(share.of(50)).as("before any heartbeat").isEqualTo(50);
    share.update(List.of("other/1"), "me/2");
    assertThat(share.replicas()).isEqualTo(2);
    assertThat(share.of(50)).isEqualTo(25);
    share.update(List.of("me/2"), "me/2");
    assertThat(share.of(50)).isEqualTo(50);
  }
}
