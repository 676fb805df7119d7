package dev.quarry.backend.internal.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.backend.lambda.WorkerPackage;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lane's HTTP clients: how many call the trigger, and that closing the lane closes all. */
class AzureClientsTest {

  static WorkerPackage worker;

  @BeforeAll
  static void readWorker() throws Exception {
    try (var in =
        AzureClientsTest.class.getClassLoader().getResourceAsStream("quarry/worker-azure.zip")) {
      worker = WorkerPackage.of(in.readAllBytes());
    }
  }

  static AzureFunctionsOptions options(int concurrency) {
    return AzureFunctionsOptions.builder()
        .servicePrincipal(
            "00000000-0000-0000-0000-000000000001",
            "00000000-0000-0000-0000-000000000002",
            "secret",
            "00000000-0000-0000-0000-000000000003")
        .resourceGroup("quarry-rg")
        .region("westeurope")
        .storageAccount("quarrydata")
        .concurrency(concurrency)
        .workerPackage(worker)
        .build();
  }

  @Test
  void oneTriggerClientPer64InvocationsOfTheConcurrency() {
    int[][] cases = {{1, 1}, {64, 1}, {65, 2}, {100, 2}, {1000, 16}};
    for (int[] c : cases) {
      AzureClients clients = AzureClients.create(options(c[0]));
      try {
        assertThat(clients.invokers()).as("concurrency " + c[0]).hasSize(c[1]);
      } finally {
        clients.close();
      }
    }
  }

  @Test
  void closingClosesTheTriggerClientsAndTheManagementSdksClient() throws Exception {
    AzureClients clients = AzureClients.create(options(200));
    assertThat(clients.management().built()).isNotEmpty();

    clients.close();

    for (HttpClient c : clients.invokers()) {
      assertThat(c.isTerminated()).isTrue();
    }
    for (HttpClient c : clients.management().built()) {
      assertThat(c.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
  }
}
