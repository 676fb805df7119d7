package dev.quarry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

  @Test
  void eachDatabaseIsEmptyAndItsOwnAndIsDroppedOnClose() throws Exception {
    TestDatabase a = TestDatabase.create();
    try (TestDatabase b = TestDatabase.create()) {
      a.execute("create table only_in_a (x int)");

      assertThat(a.url()).isNotEqualTo(b.url());
      assertThat(a.source()).isEqualTo(b.source());
      try (Connection c = b.connect();
          ResultSet tables = c.getMetaData().getTables(null, "public", "only_in_a", null)) {
        assertThat(tables.next()).as("b sees a's table").isFalse();
      }
    } finally {
      a.close();
    }
    assertThatThrownBy(a::connect).isInstanceOf(SQLException.class).hasMessageContaining(a.name());
  }
}
