package io.veoupscale.gateway.profile;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.WebSliceConfiguration;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.Profile;
import io.veoupscale.store.profile.ProfileAccounts;
import io.veoupscale.store.profile.ProfileHealth;
import io.veoupscale.store.profile.ProfileRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The input rules of the profile endpoints, and cookies that go in and never come out,
 * not even inside an error message.
 */
@WebMvcTest(ProfileController.class)
@TestPropertySource(properties = "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH)
@Import({ WebSliceConfiguration.class, ProfileControllerTests.FixedClock.class })
class ProfileControllerTests {

	private static final String SECRET = "secret-session-token-123";

	private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

	@Autowired
	MockMvc mvc;

	@MockitoBean
	ProfileRepository profiles;

	@MockitoBean
	ProfileAccounts accounts;

	@BeforeEach
	void noAccountKnownYet() {
		given(this.accounts.health(anyString()))
			.willReturn(new ProfileHealth(null, null, null, null, List.of(), null, null, null, null, null));
	}

	@Test
	void storesCookiesAndShowsOnlyWhetherTheyAreActive() throws Exception {
		Instant expiry = Instant.parse("2026-12-31T00:00:00Z");
		given(this.profiles.save(anyString(), anyString(), anyBoolean(), any())).willReturn(true);
		given(this.profiles.find("prof1"))
			.willReturn(Optional.of(new Profile("prof1", "Main", true, true, expiry, NOW, NOW)));

		this.mvc
			.perform(put("/api/v1/profiles/prof1").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\":\"Main\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":\"" + SECRET
						+ "\",\"expiresAt\":\"2026-12-31T00:00:00Z\"},\"avatar\":\"x.png\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.data.loggedIn").value(true))
			.andExpect(jsonPath("$.data.hasFlowCookies").value(true))
			.andExpect(jsonPath("$.data.hasActiveFlowCookies").value(true))
			.andExpect(jsonPath("$.data.flowCookiesExpireAt").value("2026-12-31T00:00:00Z"))
			.andExpect(content().string(not(org.hamcrest.Matchers.containsString(SECRET))));
		verify(this.profiles).save("prof1", "Main", true, new FlowCookies(SECRET, expiry));
	}

	@Test
	void showsTheAccountsHealthAtFlowWithOnlyTheHoldsStillInForce() throws Exception {
		given(this.profiles.find("prof1"))
			.willReturn(Optional.of(new Profile("prof1", "Main", true, true, null, NOW, NOW)));
		Instant midnight = Instant.parse("2026-06-02T00:00:00Z");
		given(this.accounts.health("prof1"))
			.willReturn(new ProfileHealth(NOW.minusSeconds(1), "THROTTLED", midnight, "PUBLIC_ERROR_USER_QUOTA_REACHED",
					List.of(new ProfileHealth.ModelHold("veo_3_1_upsampler_4k", midnight,
							"PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED"),
							new ProfileHealth.ModelHold("veo_3_1_upsampler_1080p", NOW,
									"PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED")),
					"PUBLIC_ERROR_USER_QUOTA_REACHED", NOW, "PAYGATE_TIER_ONE", 120, NOW));

		this.mvc.perform(get("/api/v1/profiles/prof1").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.state").value("quota_held"))
			.andExpect(jsonPath("$.data.quotaHeldUntil").value("2026-06-02T00:00:00Z"))
			.andExpect(jsonPath("$.data.quotaReason").value("PUBLIC_ERROR_USER_QUOTA_REACHED"))
			.andExpect(jsonPath("$.data.throttledUntil").doesNotExist())
			.andExpect(jsonPath("$.data.modelHolds.length()").value(1))
			.andExpect(jsonPath("$.data.modelHolds[0].model").value("veo_3_1_upsampler_4k"))
			.andExpect(jsonPath("$.data.lastRefusalReason").value("PUBLIC_ERROR_USER_QUOTA_REACHED"))
			.andExpect(jsonPath("$.data.tier").value("PAYGATE_TIER_ONE"))
			.andExpect(jsonPath("$.data.credits").value(120));
	}

	@Test
	void showsANewProfileAsActive() throws Exception {
		given(this.profiles.find("prof1"))
			.willReturn(Optional.of(new Profile("prof1", "Main", true, true, null, NOW, NOW)));

		this.mvc.perform(get("/api/v1/profiles/prof1").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.state").value("active"))
			.andExpect(jsonPath("$.data.modelHolds.length()").value(0))
			.andExpect(jsonPath("$.data.credits").doesNotExist());
	}

	@Test
	void showsExpiredCookiesAsInactive() throws Exception {
		given(this.profiles.find("prof1")).willReturn(
				Optional.of(new Profile("prof1", "Main", true, true, Instant.parse("2026-01-01T00:00:00Z"), NOW, NOW)));

		this.mvc.perform(get("/api/v1/profiles/prof1").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.hasFlowCookies").value(true))
			.andExpect(jsonPath("$.data.hasActiveFlowCookies").value(false))
			.andExpect(jsonPath("$.data.sessionToken").doesNotExist())
			.andExpect(jsonPath("$.data.flowCookies").doesNotExist());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"loggedIn\":true}|name must not be blank",
			"{\"name\":\"Main\"}|loggedIn must not be null",
			"{\"name\":\"Main\",\"loggedIn\":\"yes\",\"flowCookies\":{\"sessionToken\":\"" + SECRET
					+ "\"}}|loggedIn must be true or false",
			"{\"name\":\"Main\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":\" \"}}|flowCookies.sessionToken must not be blank",
			"{\"name\":\"Main\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":\"" + SECRET + "\",\"expiresAt\":\""
					+ SECRET + "\"}}|flowCookies.expiresAt must be an ISO-8601 instant such as 2026-12-31T00:00:00Z",
			"{\"name\":\"Main\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":" + SECRET
					+ "}}|Request body is not valid JSON (line 1, column 62)",
			"{\"name\":\"Main\",\"loggedIn\":true,\"flowCookies\":\"" + SECRET
					+ "\"}|flowCookies must be a cookies object",
			"{\"name\":\"Main\\u0000\",\"loggedIn\":true}|name must not contain NUL characters",
			"{\"name\":\"Main\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":\"" + SECRET
					+ "\\udc00\"}}|flowCookies.sessionToken must be valid Unicode text (it holds an unpaired surrogate)" })
	void rejectsAnInvalidProfileWithoutEchoingIt(String body, String error) throws Exception {
		this.mvc
			.perform(put("/api/v1/profiles/prof1").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error").value(error))
			.andExpect(content().string(not(org.hamcrest.Matchers.containsString(SECRET))));
		verifyNoInteractions(this.profiles);
	}

	@Test
	void answers404ForAnUnknownProfile() throws Exception {
		given(this.profiles.find("nope")).willReturn(Optional.empty());

		this.mvc.perform(get("/api/v1/profiles/nope").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("Profile nope not found"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FixedClock {

		@Bean
		Clock clock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

	}

}
