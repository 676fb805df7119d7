package dev.quarry.server.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final AtomicInteger reads = new AtomicInteger();
  private final SessionTouchThrottle<MapSession> sessions =
      new SessionTouchThrottle<>(
          new MapSessionRepository(saved) {
            @Override
            public MapSession findById(String id) {
              reads.incrementAndGet();
              return super.findById(id);
            }
          });
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
  void ofRequestsOfOneSessionThatFindTheWriteDueOnlyTheFirstWritesIt() {
    // a page and its stream, or many tabs, that loaded the session before any of them wrote it
    Instant due = Instant.parse("2026-12-02T10:00:00Z");
    assertThat(sessions.claimWrite("s1", due)).isTrue();
    assertThat(sessions.claimWrite("s1", due)).isFalse();
    assertThat(sessions.claimWrite("s1", due.plusSeconds(59))).isFalse();
    assertThat(sessions.claimWrite("s2", due.plusSeconds(1))).as("another session").isTrue();
    assertThat(sessions.claimWrite("s1", due.plus(SessionTouchThrottle.WRITE_EVERY))).isTrue();

    // a deleted session is forgotten, and so is every session once too many are remembered
    sessions.deleteById("s2");
    assertThat(sessions.claimWrite("s2", due.plusSeconds(2))).isTrue();
    for (int i = 0; i < SessionTouchThrottle.REMEMBERED; i++) {
      sessions.claimWrite("other-" + i, due.plusSeconds(3));
    }
    assertThat(sessions.claimWrite("s2", due.plusSeconds(4)))
        .as("forgotten: one more write")
        .isTrue();
  }

  @Test
  void withinARequestASessionIsReadOnce() {
    String id = signedIn();
    try (SessionTouchThrottle.RequestScope request = sessions.openRequest()) {
      SessionTouchThrottle.Touched<MapSession> used = sessions.findById(id);
      assertThat(sessions.findById(id)).as("asked again as the request ends").isSameAs(used);
      assertThat(reads).hasValue(1);
      assertThat(sessions.findById("no-such-session")).isNull();
      sessions.deleteById(id); // signed out: gone within the request too
      assertThat(sessions.findById(id)).isNull();
    }
    String other = signedIn();
    reads.set(0);
    sessions.findById(other);
    sessions.findById(other);
    assertThat(reads).as("outside a request, every find reads").hasValue(2);
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
