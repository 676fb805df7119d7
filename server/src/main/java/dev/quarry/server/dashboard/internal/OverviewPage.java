package dev.quarry.server.dashboard.internal;

import dev.quarry.backend.resilience.CircuitStatus;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.BackendRegistry;
import dev.quarry.server.backend.BackendRegistry.LaneStatus;
import dev.quarry.server.jobs.JobService;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.TaskStore.Overview;
import java.util.Arrays;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The first page after sign-in: the team's jobs per state, its queue per profile, and each backend
 * lane open on this replica with the team's circuit on it, the last failure that circuit counted,
 * and its workers busy. The operator lands on the tenants instead.
 */
@Controller
class OverviewPage {
  private final JobService jobs;
  private final BackendRegistry backends;

  OverviewPage(JobService jobs, BackendRegistry backends) {
    this.jobs = jobs;
    this.backends = backends;
  }

  @GetMapping("/")
  String overview(@AuthenticationPrincipal Principal caller, Model model) {
    if (caller.role() == Role.OPERATOR) {
      return "redirect:/tenants";
    }
    Overview o = jobs.overview(caller);
    List<StateCount> states =
        Arrays.stream(JobState.values())
            .map(s -> new StateCount(s.name(), o.jobs().getOrDefault(s, 0L)))
            .toList();
    model.addAttribute("caller", caller);
    model.addAttribute("states", states);
    model.addAttribute("queues", o.queues());
    List<LaneRow> lanes = backends.lanes(caller.tenantId()).stream().map(LaneRow::of).toList();
    model.addAttribute("lanes", lanes);
    model.addAttribute("circuit", lanes.get(0).circuit());
    model.addAttribute(
        "rateMinute", String.format(java.util.Locale.ROOT, "%.1f", o.endedLastMinute() / 60.0));
    model.addAttribute(
        "rateHour", String.format(java.util.Locale.ROOT, "%.1f", o.endedLastHour() / 3600.0));
    model.addAttribute("endedHour", o.endedLastHour());
    return "dashboard/overview";
  }

  /** A job state and how many of the team's jobs are in it. */
  record StateCount(String state, long jobs) {}

  /** One backend lane: its circuit for the team, why, and how busy its workers are. */
  record LaneRow(String profile, String kind, String circuit, String why, String busy) {
    static LaneRow of(LaneStatus s) {
      CircuitStatus c = s.circuit();
      String why;
      if (c.lastFailure() == null) {
        why = "no failure counted";
      } else {
        why = "last failure " + Views.time(c.lastFailureAt()) + ": " + c.lastFailure();
      }
      if (c.openUntil() != null) {
        why = "open until " + Views.time(c.openUntil()) + "; " + why;
      }
      return new LaneRow(
          s.profile().isEmpty() ? "default" : s.profile(),
          s.kind(),
          c.state().name(),
          why,
          s.busy() + " / " + s.capacity());
    }
  }
}
