package dev.quarry.emulator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.emulator.faults.FaultInjector.Fault;
import dev.quarry.emulator.stats.InvocationCounters;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

  final InvocationCounters counters = new InvocationCounters();
  final FaultInjector faults = new FaultInjector(42, counters);

  @Test
  void injectsNothingByDefault() {
    for (int i = 0; i < 100; i++) {
      assertThat(faults.beforeInvoke()).isEqualTo(Fault.NONE);
      assertThat(faults.crashThisInvocation()).isFalse();
      assertThat(faults.responseDelayMillis()).isZero();
    }
    assertThat(counters.snapshot().throttled()).isZero();
  }

  @Test
  void throttlesExactlyTheBurstThenNothing() {
    faults.throttleBurst(3);

    assertThat(faults.beforeInvoke()).isEqualTo(Fault.THROTTLED);
    assertThat(faults.beforeInvoke()).isEqualTo(Fault.THROTTLED);
    assertThat(faults.beforeInvoke()).isEqualTo(Fault.THROTTLED);
    assertThat(faults.beforeInvoke()).isEqualTo(Fault.NONE);
    assertThat(counters.snapshot().throttled()).isEqualTo(3);
  }

  @Test
  void unavailableWinsOverEveryOtherFaultUntilReset() {
    faults.throttleBurst(5).serverErrorRate(1).unavailable(true);

    assertThat(faults.beforeInvoke()).isEqualTo(Fault.UNAVAILABLE);
    faults.reset();

    assertThat(faults.beforeInvoke()).isEqualTo(Fault.NONE);
    assertThat(counters.snapshot().serverErrors()).isEqualTo(1);
  }

  @Test
  void injectsServerErrorsAtRoughlyTheRate() {
    faults.serverErrorRate(0.3);
    int errors = 0;
    for (int i = 0; i < 10_000; i++) {
      if (faults.beforeInvoke() == Fault.SERVER_ERROR) {
        errors++;
      }
    }
    assertThat(errors).isBetween(2_700, 3_300);
  }

  @Test
  void delaysSlowResponsesAndCountsThem() {
    faults.slowResponses(1, Duration.ofMillis(250));

    assertThat(faults.responseDelayMillis()).isEqualTo(250);
    assertThat(counters.snapshot().slowResponses()).isEqualTo(1);
  }

  @Test
  void refusesRatesOutsideZeroToOne() {
    assertThatThrownBy(() -> faults.crashRate(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate must be within [0, 1]");
    assertThatThrownBy(() -> faults.throttleRate(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
