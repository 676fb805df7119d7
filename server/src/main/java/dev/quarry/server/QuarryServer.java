package dev.quarry.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.data.autoconfigure.metrics.DataRepositoryMetricsAutoConfiguration;
import org.springframework.boot.data.autoconfigure.web.DataWebAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point of the Quarry server. */
// Spring Data's web binding (no controller takes a Pageable) and its per-call repository metrics
// (the admin domain's calls are few; the hot path is plain SQL) are left out: less to start.
@SpringBootApplication(
    exclude = {
      UserDetailsServiceAutoConfiguration.class,
      DataWebAutoConfiguration.class,
      DataRepositoryMetricsAutoConfiguration.class
    })
@ConfigurationPropertiesScan
@EnableScheduling
public class QuarryServer {

  public static void main(String[] args) {
    SpringApplication.run(QuarryServer.class, args);
  }
}
