package dev.quarry.server.db;

import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.data.jpa.repository.query.QueryEnhancerFactories;
import org.springframework.data.jpa.repository.query.QueryEnhancerSelector;
import org.springframework.data.repository.config.BootstrapMode;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/**
 * The admin domain's Spring Data repositories. Hibernate boots on a background thread while the
 * rest of the server starts; the repositories are created once the context is refreshed.
 *
 * <p>Queries are rewritten (for sorting and counting) by Spring Data's plain enhancer instead of
 * its HQL grammar: no repository asks for a sort or page it would need the grammar for, and the
 * grammar's parser took a third of the server's start-up on two cores (ADR 0001). Hibernate still
 * parses and checks every query when the repositories are created.
 *
 * <p>The managed types are listed here rather than found by scanning the server's packages at every
 * start; {@code ManagedTypesTest} fails when an entity is added without being listed.
 *
 * <p>Public, with its selector, because the context that Spring AOT generates at build time refers
 * to both from the repositories' packages (ADR 0001).
 */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories(
    basePackages = "dev.quarry.server",
    bootstrapMode = BootstrapMode.DEFERRED,
    queryEnhancerSelector = RepositoriesConfiguration.PlainQueryEnhancer.class)
public class RepositoriesConfiguration {

  /**
   * Every {@code @Entity}, {@code @Embeddable} and {@code @MappedSuperclass} of the admin domain.
   */
  static final List<String> MANAGED_TYPES =
      List.of(
          "dev.quarry.server.audit.AuditEventEntity",
          "dev.quarry.server.auth.ApiKeyEntity",
          "dev.quarry.server.auth.HashedSecretEntity",
          "dev.quarry.server.credentials.CredentialEntity",
          "dev.quarry.server.credentials.ProfileEntity",
          "dev.quarry.server.db.AssignedIdEntity",
          "dev.quarry.server.db.TenantScopedName",
          "dev.quarry.server.functions.BlobEntity",
          "dev.quarry.server.functions.BlobEntity$Key",
          "dev.quarry.server.functions.FunctionEntity",
          "dev.quarry.server.limits.TenantLimitsEntity",
          "dev.quarry.server.tenancy.TenantEntity",
          "dev.quarry.server.workers.WorkerTokenEntity");

  @Bean
  PersistenceManagedTypes persistenceManagedTypes() {
    return PersistenceManagedTypes.of(MANAGED_TYPES, List.of());
  }

  /** Builds the entity manager factory on the application's task executor, off the main thread. */
  @Bean
  EntityManagerFactoryBuilderCustomizer backgroundBootstrap(
      @Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor) {
    return builder -> builder.setBootstrapExecutor(executor);
  }

  /** Selects the plain (regular expression) enhancer for JPQL and native queries alike. */
  public static final class PlainQueryEnhancer
      extends QueryEnhancerSelector.DefaultQueryEnhancerSelector {
    public PlainQueryEnhancer() {
      super(QueryEnhancerFactories.fallback(), QueryEnhancerFactories.fallback());
    }
  }
}
