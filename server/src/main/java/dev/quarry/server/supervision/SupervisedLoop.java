package dev.quarry.server.supervision;

import org.springframework.context.SmartLifecycle;

/**
 * A server loop that starts and stops with the application context and runs under the {@link
 * LoopSupervisor}: subclasses write {@link #loop()} (which runs while {@link #running()} is true)
 * and, if a sleeping loop needs more than an interrupt to notice a stop, {@link #wake()}.
 */
public abstract class SupervisedLoop implements SmartLifecycle {
  private final LoopSupervisor supervisor;
  private final String name;
  private volatile boolean running;
  private Thread thread = new Thread(() -> {});

  protected SupervisedLoop(LoopSupervisor supervisor, String name) {
    this.supervisor = supervisor;
    this.name = name;
  }

  /** The loop's body; the supervisor restarts it when it throws while the loop is running. */
  protected abstract void loop() throws Exception;

  /** Makes a waiting loop look at {@link #running()} again; interrupts its thread by default. */
  protected void wake(Thread loopThread) {
    loopThread.interrupt();
  }

  /** Runs after the loop's thread ended (or did not within five seconds) on stop. */
  protected void afterStop() {}

  protected final boolean running() {
    return running;
  }

  protected final LoopSupervisor supervisor() {
    return supervisor;
  }

  protected final String name() {
    return name;
  }

  @Override
  public final void start() {
    running = true;
    thread = supervisor.start(name, () -> running, this::loop);
  }

  @Override
  public final void stop() {
    running = false;
    supervisor.stopped(name);
    wake(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    afterStop();
  }

  @Override
  public final boolean isRunning() {
    return running;
  }
}
