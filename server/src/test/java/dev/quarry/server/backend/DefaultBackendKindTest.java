package dev.quarry.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.lambda.LambdaBackendPlugin;
import dev.quarry.server.backend.local.LocalBackendPlugin;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code quarry.backend.type} with the real plug-ins: the registry opens the default lane of that
 * kind at start, or refuses to start naming the property. No Spring context; opening a Lambda lane
 * calls no AWS API, and the local pool is not started unless the default lane is local.
 */
class DefaultBackendKindTest {
  @TempDir Path temp;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private BackendRegistry registry;

  @AfterEach
  void close() throws Exception {
    if (registry != null) {
      registry.close();
    }
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  @Test
  void lambdaAsTheDefaultKindOpensALambdaLaneForJobsWithoutProfile() {
    registry =
        registry(
            Map.of(
                "quarry.backend.type", "lambda",
                "quarry.storage.type", "s3",
                "quarry.backend.settings.region", "eu-west-1",
                "quarry.backend.settings.concurrency", "7"));

    BackendRegistry.Lane lane = registry.lane("t", null);

    assertThat(lane.kind()).isEqualTo("lambda");
    assertThat(lane.backend().type()).isEqualTo("lambda");
    assertThat(lane.backend().capacity()).isEqualTo(7);
    assertThat(lane.inlineInputBytes()).isEqualTo(256);
    assertThat(lane.queuesBacklog()).isFalse();
    assertThat(lane.runtimes()).isNotNull();
    assertThat(registry.budgets()).containsExactly(Map.entry(LaneRequest.DEFAULT_KEY, 7));
  }

  @Test
  void lambdaWithoutS3OrWithoutARegionStopsStartUpNamingTheProperty() {
    assertThatThrownBy(
            () ->
                registry(
                    Map.of(
                        "quarry.backend.type",
                        "lambda",
                        "quarry.backend.settings.region",
                        "eu-west-1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "quarry.backend.type=lambda cannot be used:"
                + " Lambda needs the server to use S3 storage (quarry.storage.type=s3)");
    assertThatThrownBy(
            () -> registry(Map.of("quarry.backend.type", "lambda", "quarry.storage.type", "s3")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("quarry.backend.settings (backend lambda)")
        .hasMessageContaining("'region'");
  }

  @Test
  void anUnknownKindStopsStartUpListingThePlugIns() {
    assertThatThrownBy(() -> registry(Map.of("quarry.backend.type", "azure-functions")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("quarry.backend.type must be one of [lambda, local], got 'azure-functions'");
  }

  private BackendRegistry registry(Map<String, String> properties) {
    QuarryProperties props =
        new Binder(new MapConfigurationPropertySource(properties))
            .bindOrCreate("quarry", QuarryProperties.class);
    ObjectStore store = ObjectStores.open("fs", Map.of("root", temp.resolve("store").toString()));
    opened.add(store);
    // no profile lane here: the profile stores are never asked
    var noStores = new StaticListableBeanFactory().getBeanProvider(ProfileStores.class);
    LocalBackendPlugin local = new LocalBackendPlugin(props, store, noStores, null);
    opened.add(local);
    // the default lane names no stored credential, so the credential service is never asked
    LambdaBackendPlugin lambda = new LambdaBackendPlugin(null, store, noStores, props, null);
    return new BackendRegistry(
        new BackendPlugins(List.of(local, lambda)),
        (tenant, name) -> Optional.empty(),
        props.backend(),
        new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class),
        Clock.systemUTC());
  }
}
