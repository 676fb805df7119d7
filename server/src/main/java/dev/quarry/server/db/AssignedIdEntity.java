package dev.quarry.server.db;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * An entity whose id the application assigns (a random UUID, a name): Spring Data's {@code save}
 * persists a new one with a single insert instead of merging it (a select first).
 */
@MappedSuperclass
public abstract class AssignedIdEntity<I> implements Persistable<I> {
  @Transient private boolean fresh = true;

  @Override
  public boolean isNew() {
    return fresh;
  }

  @PostLoad
  @PostPersist
  void stored() {
    fresh = false;
  }
}
