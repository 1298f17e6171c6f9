package io.veoupscale.testsupport;

/**
 * Connection details of a test database.
 *
 * @param jdbcUrl the JDBC URL
 * @param username the user
 * @param password the password (empty for trust authentication)
 */
public record Database(String jdbcUrl, String username, String password) {

}
