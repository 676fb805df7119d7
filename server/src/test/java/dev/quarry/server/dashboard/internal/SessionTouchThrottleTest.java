package dev.quarry.server.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

/**
 * A request moves a session's last access in memory; the store gets it once it is a minute past the
 * stored one, and every other change as before (Spring Session's in-memory repository as the store:
 * it keeps a copy of what was saved, as the JDBC one keeps a row).
 */
class SessionTouchThrottleTest {
  private final ConcurrentHashMap<String, org.springframework.session.Session> saved =
      new ConcurrentHashMap<>();
  private final SessionTouchThrottle<MapSession> sessions =
      new SessionTouchThrottle<>(new MapSessionRepository(saved));
  private Instant t0; // when the session was created: the store expires sessions by the real clock

  private String signedIn() {
    SessionTouchThrottle.Touched<MapSession> s = sessions.createSession();
    t0 = s.getLastAccessedTime();
    s.setAttribute("who", "alice");
    sessions.save(s);
    assertThat(storedLastAccess(s.getId())).isEqualTo(t0);
    return s.getId();
  }

  private Instant storedLastAccess(String id) {
    return saved.get(id).getLastAccessedTime();
  }

  @Test
  void requestsWithinAMinuteOfTheStoredAccessDoNotWriteIt() {
    String id = signedIn();
    for (int seconds : new int[] {1, 20, 59}) {
      SessionTouchThrottle.Touched<MapSession> s = sessions.findById(id);
      s.setLastAccessedTime(t0.plusSeconds(seconds));
      assertThat(s.getLastAccessedTime()).isEqualTo(t0.plusSeconds(seconds));
      sessions.save(s);
      assertThat(storedLastAccess(id)).isEqualTo(t0);
    }
    SessionTouchThrottle.Touched<MapSession> s = sessions.findById(id);
    s.setLastAccessedTime(t0.plus(SessionTouchThrottle.WRITE_EVERY));
    sessions.save(s);
    assertThat(storedLastAccess(id)).isEqualTo(t0.plus(SessionTouchThrottle.WRITE_EVERY));
  }

  @Test
  void attributesIdsTimeoutsAndDeletesAreWrittenAtOnce() {
    String id = signedIn();
    SessionTouchThrottle.Touched<MapSession> s = sessions.findById(id);
    s.setLastAccessedTime(t0.plusSeconds(5));
    s.setAttribute("csrf", "token");
    s.removeAttribute("who");
    s.setMaxInactiveInterval(Duration.ofMinutes(5));
    String newId = s.changeSessionId();
    sessions.save(s);

    assertThat(sessions.findById(id)).isNull();
    SessionTouchThrottle.Touched<MapSession> again = sessions.findById(newId);
    assertThat(again.<String>getAttribute("csrf")).isEqualTo("token");
    assertThat(again.getAttributeNames()).containsExactly("csrf");
    assertThat(again.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(again.getCreationTime()).isEqualTo(s.getCreationTime());

    sessions.deleteById(newId);
    assertThat(sessions.findById(newId)).isNull();
  }
}
