package dev.quarry.server.dashboard.internal;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactions of the dashboard's session store: plain JDBC ones. Spring Session JDBC reads and
 * writes a session in a transaction of the application's transaction manager, which is JPA's: each
 * dashboard request opened and closed a Hibernate session and transaction around the session's one
 * or two statements, about a tenth of the request's CPU. The store is used only by the session
 * filter and its cleanup job, never inside another transaction.
 *
 * <p>Spring Session finds its template by the bean name {@code springSessionTransactionOperations};
 * declaring it makes Spring Boot leave out its own {@code TransactionTemplate}, so the
 * application's template is declared here too, as Boot declares it, and is the primary one.
 */
@Configuration(proxyBeanMethods = false)
class SessionTransactions {

  @Bean
  @Primary
  TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
    return new TransactionTemplate(transactionManager);
  }

  @Bean
  TransactionOperations springSessionTransactionOperations(DataSource dataSource) {
    return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }
}
