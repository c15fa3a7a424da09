/**
 * Test support, not published: hands each test a {@link javax.sql.DataSource} on a fresh, isolated
 * PostgreSQL database. It uses the server named by {@code BULWARK_PG_URL} when that variable is set,
 * and otherwise an embedded PostgreSQL started from Maven-shipped binaries once per JVM.
 */
package dev.bulwark.testsupport;
