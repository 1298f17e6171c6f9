package io.veoupscale.store.profile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores profiles; cookies are encrypted on the way in and only {@link #findCookies}
 * decrypts them, for the services that call Flow.
 */
@Repository
public class ProfileRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	private final CookieCipher cipher;

	ProfileRepository(JdbcClient jdbc, CookieCipher cipher) {
		this.jdbc = jdbc;
		this.cipher = cipher;
	}

	/**
	 * Creates or replaces a profile. Cookies are replaced when given and kept otherwise
	 * (they are write-only, so a client cannot send them back).
	 * @param id the profile id
	 * @param name the display name
	 * @param loggedIn whether the account is logged in
	 * @param cookies new cookies, or {@code null} to keep the stored ones
	 * @return whether the profile was created (rather than replaced)
	 */
	@Transactional
	public boolean save(String id, String name, boolean loggedIn, @Nullable FlowCookies cookies) {
		byte[] sealed = (cookies != null)
				? this.cipher.encrypt(id, JSON.writeValueAsString(new StoredCookies(cookies.sessionToken(),
						(cookies.expiresAt() != null) ? cookies.expiresAt().toString() : null)))
				: null;
		Timestamp expiresAt = (cookies != null && cookies.expiresAt() != null) ? Timestamp.from(cookies.expiresAt())
				: null;
		return this.jdbc.sql("""
				insert into profiles (id, name, logged_in, flow_cookies, cookies_expires_at)
				values (:id, :name, :loggedIn, :cookies, :expiresAt)
				on conflict (id) do update set name = excluded.name, logged_in = excluded.logged_in,
				    flow_cookies = case when :replaceCookies then excluded.flow_cookies else profiles.flow_cookies end,
				    cookies_expires_at = case when :replaceCookies then excluded.cookies_expires_at
				                              else profiles.cookies_expires_at end,
				    updated_at = now()
				returning (xmax = 0) as inserted
				""")
			.param("id", id)
			.param("name", name)
			.param("loggedIn", loggedIn)
			.param("cookies", sealed)
			.param("expiresAt", expiresAt)
			.param("replaceCookies", cookies != null)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Finds a profile.
	 * @param id the profile id
	 * @return the profile, without cookie values
	 */
	public Optional<Profile> find(String id) {
		return this.jdbc.sql("""
				select id, name, logged_in, flow_cookies is not null as has_cookies, cookies_expires_at,
				       created_at, updated_at
				from profiles where id = :id
				""").param("id", id).query(ProfileRepository::profile).optional();
	}

	/**
	 * The ids of the registered profiles, in order.
	 * @param limit at most this many
	 * @return the ids
	 */
	public java.util.List<String> ids(int limit) {
		return this.jdbc.sql("select id from profiles order by id limit :limit")
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/**
	 * Decrypts the stored cookies of a profile.
	 * @param id the profile id
	 * @return the cookies, if any are stored
	 */
	public Optional<FlowCookies> findCookies(String id) {
		return this.jdbc.sql("select flow_cookies from profiles where id = :id and flow_cookies is not null")
			.param("id", id)
			.query((rs, row) -> rs.getBytes(1))
			.optional()
			.map((sealed) -> open(id, sealed));
	}

	/**
	 * Decrypts the stored cookies of several profiles in one query.
	 * @param ids the profile ids
	 * @return the cookies by profile id, for the profiles that have some stored
	 */
	public Map<String, FlowCookies> findCookies(Collection<String> ids) {
		Map<String, FlowCookies> cookies = new HashMap<>();
		if (ids.isEmpty()) {
			return cookies;
		}
		this.jdbc.sql("select id, flow_cookies from profiles where id = any(:ids) and flow_cookies is not null")
			.param("ids", ids.toArray(String[]::new))
			.query((rs) -> {
				String id = rs.getString(1);
				cookies.put(id, open(id, rs.getBytes(2)));
			});
		return cookies;
	}

	private FlowCookies open(String id, byte[] sealed) {
		StoredCookies stored = JSON.readValue(this.cipher.decrypt(id, sealed), StoredCookies.class);
		return new FlowCookies(stored.sessionToken(),
				(stored.expiresAt() != null) ? Instant.parse(stored.expiresAt()) : null);
	}

	private static Profile profile(ResultSet rs, int row) throws SQLException {
		Timestamp expires = rs.getTimestamp("cookies_expires_at");
		return new Profile(rs.getString("id"), rs.getString("name"), rs.getBoolean("logged_in"),
				rs.getBoolean("has_cookies"), (expires != null) ? expires.toInstant() : null,
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

	/**
	 * The encrypted document.
	 */
	record StoredCookies(String sessionToken, @Nullable String expiresAt) {

		@Override
		public String toString() {
			return "StoredCookies[<redacted>]";
		}

	}

}
