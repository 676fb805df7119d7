/**
 * Quarry's shared test fixtures: real components, started once and shared where that is safe.
 *
 * <ul>
 *   <li>{@link dev.quarry.testkit.TestDatabase}: a fresh PostgreSQL database per call, on
 *       Testcontainers when a Docker engine answers, else on {@code 127.0.0.1:5432}, else on an
 *       embedded PostgreSQL, so the same tests run on a laptop with Docker and on a machine
 *       without.
 *   <li>{@link dev.quarry.testkit.S3Fixture}: s3proxy with an in-memory blob store in this JVM.
 *   <li>{@link dev.quarry.testkit.ServerFixture}: a Spring Boot server in this JVM on free ports
 *       with a fresh database and home folder, and the dev key it wrote; {@link
 *       dev.quarry.testkit.ServerProcess} starts one in a child JVM.
 *   <li>{@link dev.quarry.testkit.Http}, {@link dev.quarry.testkit.RawHttp} and {@link
 *       dev.quarry.testkit.JobFixtures}: REST calls, byte-exact requests, submit and wait.
 * </ul>
 *
 * <p><b>Waiting.</b> Tests wait with Awaitility ({@code Awaitility.await().atMost(...).until(...)}
 * or {@code untilAsserted}), never with a hand-written {@code Thread.sleep} loop; it is a
 * dependency of this kit, and a module that calls it declares it too (dependency:analyze).
 *
 * <p><b>Why the kit depends on no Quarry module.</b> The server's tests use the kit, so the kit
 * cannot depend on the server: Maven refuses a reactor cycle even when one edge is test-scoped
 * ("The projects in the reactor contain a cyclic reference"). The fixtures therefore speak the
 * server's public contracts only: its command-line properties ({@code --quarry.home}, {@code
 * --quarry.db.url}, ...), the {@code config} file it writes into its home ({@link
 * dev.quarry.testkit.DevConfig}), its log line {@code Quarry is up} and its REST API. The caller
 * passes the application class ({@code ServerFixture.builder(QuarryServer.class)}); the server's
 * own tests keep the one shared, preconfigured instance ({@code dev.quarry.server.it.TestServer})
 * in their sources. As a bonus every module, including the plain-Java ones before the server in the
 * build, can use the database and S3 fixtures.
 */
@NullMarked
package dev.quarry.testkit;

import org.jspecify.annotations.NullMarked;
