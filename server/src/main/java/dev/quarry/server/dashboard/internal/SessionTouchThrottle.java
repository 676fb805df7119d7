package dev.quarry.server.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * The dashboard's sessions (Spring Session JDBC underneath) with their last access written at most
 * once per {@link #WRITE_EVERY} instead of on every request. Spring Session marks a session changed
 * on each request only to move its last access, so each dashboard request was an {@code UPDATE} of
 * the session row and, because the expiry time is indexed, a new index entry as well: a page with
 * its futures, charts and live stream is six of them, and 50 open pages left the table with
 * thousands of dead rows that every later session read had to step over (docs/adr/0020, amendment).
 * Everything else a request changes (attributes, the id at sign-in, the timeout) is written as
 * before. A session's stored last access is at most {@code WRITE_EVERY} older than its last
 * request, so an idle session ends at most that much before its idle timeout would end it.
 *
 * @param <S> the stored session type
 */
final class SessionTouchThrottle<S extends Session>
    implements SessionRepository<SessionTouchThrottle.Touched<S>> {
  /** How long a session's stored last access may lag behind its last request. */
  static final Duration WRITE_EVERY = Duration.ofMinutes(1);

  private final SessionRepository<S> stored;

  SessionTouchThrottle(SessionRepository<S> stored) {
    this.stored = stored;
  }

  /** Over {@code stored}, whose session type may not be accessible here (Spring Session JDBC's). */
  static SessionTouchThrottle<?> over(SessionRepository<?> stored) {
    return new SessionTouchThrottle<>(stored);
  }

  @Override
  public Touched<S> createSession() {
    return new Touched<>(stored.createSession());
  }

  @Override
  public void save(Touched<S> session) {
    stored.save(session.stored);
  }

  @Override
  public @Nullable Touched<S> findById(String id) {
    S found = stored.findById(id);
    return found == null ? null : new Touched<>(found);
  }

  @Override
  public void deleteById(String id) {
    stored.deleteById(id);
  }

  /**
   * A stored session whose last access moves in memory, and in the stored session (so it is
   * written) only once it is {@link #WRITE_EVERY} past the stored one.
   */
  static final class Touched<S extends Session> implements Session {
    private final S stored;
    private Instant lastAccess;

    Touched(S stored) {
      this.stored = stored;
      this.lastAccess = stored.getLastAccessedTime();
    }

    @Override
    public void setLastAccessedTime(Instant when) {
      lastAccess = when;
      if (Duration.between(stored.getLastAccessedTime(), when).compareTo(WRITE_EVERY) >= 0) {
        stored.setLastAccessedTime(when);
      }
    }

    @Override
    public Instant getLastAccessedTime() {
      return lastAccess;
    }

    @Override
    public String getId() {
      return stored.getId();
    }

    @Override
    public String changeSessionId() {
      return stored.changeSessionId();
    }

    @Override
    public <T> @Nullable T getAttribute(String name) {
      return stored.getAttribute(name);
    }

    @Override
    public Set<String> getAttributeNames() {
      return stored.getAttributeNames();
    }

    @Override
    public void setAttribute(String name, Object value) {
      stored.setAttribute(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      stored.removeAttribute(name);
    }

    @Override
    public Instant getCreationTime() {
      return stored.getCreationTime();
    }

    @Override
    public void setMaxInactiveInterval(Duration interval) {
      stored.setMaxInactiveInterval(interval);
    }

    @Override
    public Duration getMaxInactiveInterval() {
      return stored.getMaxInactiveInterval();
    }

    @Override
    public boolean isExpired() {
      return stored.isExpired();
    }
  }
}
