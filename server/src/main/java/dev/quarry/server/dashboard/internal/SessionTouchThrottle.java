package dev.quarry.server.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * request, so an idle session ends at most that much before its idle timeout would end it. Requests
 * of one session that run at once (a page and its stream, many tabs) would all find the write due
 * and each write the same row, one after another on its lock: on this replica only the first of
 * them writes ({@link #claimWrite}). And within a request ({@link #openRequest}), a session is read
 * once: Spring Session's filter reads it again when the request ends only to learn the id the
 * request asked for.
 *
 * @param <S> the stored session type
 */
final class SessionTouchThrottle<S extends Session>
    implements SessionRepository<SessionTouchThrottle.Touched<S>> {
  /** How long a session's stored last access may lag behind its last request. */
  static final Duration WRITE_EVERY = Duration.ofMinutes(1);

  /** At most this many sessions' last writes are remembered; past that, the old ones go. */
  static final int REMEMBERED = 10_000;

  private final SessionRepository<S> stored;

  /** Per session id, when this replica last wrote (or is writing) its last access. */
  private final ConcurrentHashMap<String, Instant> written = new ConcurrentHashMap<>();

  /** The sessions the request on this thread read, while {@link #openRequest} is open. */
  private final ThreadLocal<Map<String, Touched<S>>> readInRequest = new ThreadLocal<>();

  SessionTouchThrottle(SessionRepository<S> stored) {
    this.stored = stored;
  }

  /**
   * Until the returned scope is closed (by the filter around Spring Session's, on the request's
   * thread), a session found once by id is found again without reading it.
   */
  RequestScope openRequest() {
    readInRequest.set(new HashMap<>(2));
    return readInRequest::remove;
  }

  /** A request's scope of reads; closing it forgets them. */
  interface RequestScope extends AutoCloseable {
    @Override
    void close();
  }

  /** Over {@code stored}, whose session type may not be accessible here (Spring Session JDBC's). */
  static SessionTouchThrottle<?> over(SessionRepository<?> stored) {
    return new SessionTouchThrottle<>(stored);
  }

  @Override
  public Touched<S> createSession() {
    return new Touched<>(stored.createSession(), this);
  }

  /**
   * Whether a request of session {@code id} that found its write due at {@code when} writes it:
   * only if no other request on this replica claimed a write less than {@link #WRITE_EVERY} before.
   * Forgetting a session costs at most one more write.
   */
  boolean claimWrite(String id, Instant when) {
    if (written.size() >= REMEMBERED) {
      written.values().removeIf(at -> Duration.between(at, when).compareTo(WRITE_EVERY) >= 0);
      if (written.size() >= REMEMBERED) {
        written.clear();
      }
    }
    Instant[] claimed = new Instant[1];
    written.compute(
        id,
        (k, at) -> {
          boolean due = at == null || Duration.between(at, when).compareTo(WRITE_EVERY) >= 0;
          claimed[0] = due ? when : null;
          return due ? when : at;
        });
    return claimed[0] != null;
  }

  @Override
  public void save(Touched<S> session) {
    stored.save(session.stored);
  }

  @Override
  public @Nullable Touched<S> findById(String id) {
    Map<String, Touched<S>> read = readInRequest.get();
    Touched<S> known = read == null ? null : read.get(id);
    if (known != null && known.getId().equals(id)) {
      return known;
    }
    S found = stored.findById(id);
    if (found == null) {
      return null;
    }
    Touched<S> touched = new Touched<>(found, this);
    if (read != null) {
      read.put(id, touched);
    }
    return touched;
  }

  @Override
  public void deleteById(String id) {
    Map<String, Touched<S>> read = readInRequest.get();
    if (read != null) {
      read.remove(id);
    }
    written.remove(id);
    stored.deleteById(id);
  }

  /**
   * A stored session whose last access moves in memory, and in the stored session (so it is
   * written) only once it is {@link #WRITE_EVERY} past the stored one.
   */
  static final class Touched<S extends Session> implements Session {
    private final S stored;
    private final SessionTouchThrottle<S> writes;
    private Instant lastAccess;

    Touched(S stored, SessionTouchThrottle<S> writes) {
      this.stored = stored;
      this.writes = writes;
      this.lastAccess = stored.getLastAccessedTime();
    }

    @Override
    public void setLastAccessedTime(Instant when) {
      lastAccess = when;
      if (Duration.between(stored.getLastAccessedTime(), when).compareTo(WRITE_EVERY) >= 0
          && writes.claimWrite(stored.getId(), when)) {
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
