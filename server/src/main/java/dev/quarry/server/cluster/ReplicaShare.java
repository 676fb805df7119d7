package dev.quarry.server.cluster;

import java.util.List;
import org.springframework.stereotype.Component;

/**
 * This replica's share of a quota the whole service must keep: the live replicas split each limit
 * so that their shares add up to it exactly. With {@code n} replicas a limit {@code L} gives each
 * {@code L / n}, and the first {@code L % n} of them (by name) one more; a replica may get 0 of a
 * limit smaller than the number of replicas, and then leaves that work to the others.
 *
 * <p>The live replicas are read at every heartbeat (docs/adr/0018): a replica that joins or leaves
 * changes the shares within one heartbeat interval. Until then the old shares hold, so while the
 * membership changes the service may briefly run up to one replica's share over a limit.
 */
@Component
public class ReplicaShare {
  private volatile Members members = new Members(1, 0);

  private record Members(int count, int index) {}

  /**
   * Records the live replicas' names and this replica's; a replica missing from the list (its
   * heartbeat not written yet) counts itself as one more.
   */
  public void update(List<String> live, String self) {
    List<String> sorted = live.stream().sorted().distinct().toList();
    int index = sorted.indexOf(self);
    members =
        index < 0
            ? new Members(sorted.size() + 1, sorted.size())
            : new Members(sorted.size(), index);
  }

  /** How many replicas share the quotas (at least 1). */
  public int replicas() {
    return members.count();
  }

  /** This replica's part of {@code limit}. */
  public int of(int limit) {
    Members m = members;
    return limit / m.count() + (m.index() < limit % m.count() ? 1 : 0);
  }
}
