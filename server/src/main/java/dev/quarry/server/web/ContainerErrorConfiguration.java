package dev.quarry.server.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Installs {@link JsonErrorReportValve} as the host's only error report valve. */
@Configuration
class ContainerErrorConfiguration {

  @Bean
  ValveCustomizer jsonErrorReportValve() {
    return new ValveCustomizer();
  }

  /** Runs last, so it also removes the plain valve Spring Boot adds. */
  static final class ValveCustomizer
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            if (context.getParent() instanceof StandardHost host) {
              for (Valve v : host.getPipeline().getValves()) {
                if (v instanceof ErrorReportValve) {
                  host.getPipeline().removeValve(v);
                }
              }
              host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
              host.getPipeline().addValve(new JsonErrorReportValve());
            }
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
