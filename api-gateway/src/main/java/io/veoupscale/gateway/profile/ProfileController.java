package io.veoupscale.gateway.profile;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ApiResponse;
import io.veoupscale.gateway.web.ValidId;
import io.veoupscale.gateway.web.ValidText;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.Profile;
import io.veoupscale.store.profile.ProfileAccounts;
import io.veoupscale.store.profile.ProfileHealth;
import io.veoupscale.store.profile.ProfileRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registers profiles and shows them, with their account's health at Flow; cookie values
 * go in and never come out.
 */
@RestController
@RequestMapping("/api/v1/profiles")
@Tag(name = "Profiles", description = "The accounts whose Flow cookies start upscales; cookies are write-only")
class ProfileController {

	private final ProfileRepository profiles;

	private final ProfileAccounts accounts;

	private final Clock clock;

	ProfileController(ProfileRepository profiles, ProfileAccounts accounts, Clock clock) {
		this.profiles = profiles;
		this.accounts = accounts;
		this.clock = clock;
	}

	@Operation(summary = "Create or replace a profile",
			description = "Cookies are stored encrypted and never returned; omit flowCookies to keep the stored ones.")
	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ApiResponse<ProfileView>> put(@PathVariable @ValidId String id,
			@RequestBody @Valid ProfileBody body) {
		FlowCookies cookies = (body.flowCookies() != null)
				? new FlowCookies(body.flowCookies().sessionToken(), body.flowCookies().expiresAt()) : null;
		boolean created = this.profiles.save(id, body.name(), body.loggedIn(), cookies);
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(ApiResponse.ok(view(id)));
	}

	@Operation(
			summary = "A profile: whether it is logged in and has active Flow cookies (never their values), "
					+ "and its account's health at Flow",
			description = "state is active, paused (by an operator, until resumed), throttled (paused after a "
					+ "throttle, until throttledUntil) or quota_held "
					+ "(its account quota spent, until quotaHeldUntil); modelHolds lists models whose daily quota is "
					+ "spent; tier and credits are what Flow last reported.")
	@GetMapping("/{id}")
	ApiResponse<ProfileView> get(@PathVariable @ValidId String id) {
		return ApiResponse.ok(view(id));
	}

	@Operation(summary = "Every registered profile with its state (at most 500, by id)",
			description = "The dashboard's list of profiles; each as GET /api/v1/profiles/{id} shows it.")
	@GetMapping
	ApiResponse<List<ProfileView>> list() {
		return ApiResponse.ok(this.profiles.ids(500).stream().map(this::view).toList());
	}

	@Operation(summary = "Pause a profile: no start of it leaves, in any batch, on any worker, until it is resumed",
			description = "The state a throttle's pause uses, held until resumed with the reason \"paused by operator\"; "
					+ "the profile's state reads paused. Pausing a paused profile changes nothing.")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The profile, paused")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "No such profile")
	@PostMapping("/{id}/pause")
	ApiResponse<ProfileView> pause(@PathVariable @ValidId String id) {
		view(id);
		this.accounts.pause(id);
		return ApiResponse.ok(view(id));
	}

	@Operation(summary = "Resume a profile an operator paused",
			description = "Its starts go out again (within a worker heartbeat); a throttle's pause, if any, runs out "
					+ "on its own. Resuming a profile that is not paused changes nothing.")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The profile")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "No such profile")
	@PostMapping("/{id}/resume")
	ApiResponse<ProfileView> resume(@PathVariable @ValidId String id) {
		view(id);
		this.accounts.resume(id);
		return ApiResponse.ok(view(id));
	}

	private ProfileView view(String id) {
		Profile profile = this.profiles.find(id)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Profile " + id + " not found"));
		Instant now = this.clock.instant();
		ProfileHealth health = this.accounts.health(id);
		return new ProfileView(profile.id(), profile.name(), profile.loggedIn(), profile.hasFlowCookies(),
				profile.hasActiveFlowCookies(now), profile.flowCookiesExpireAt(), profile.createdAt(),
				profile.updatedAt(), health.state(now),
				health.pausedByOperator() ? null : after(health.pausedUntil(), now),
				after(health.quotaHeldUntil(), now),
				(after(health.quotaHeldUntil(), now) != null) ? health.quotaReason() : null,
				health.modelHolds().stream().filter((hold) -> hold.heldUntil().isAfter(now)).toList(),
				health.lastRefusalReason(), health.lastRefusalAt(), health.tier(), health.credits(),
				health.creditsAt());
	}

	private static @Nullable Instant after(@Nullable Instant moment, Instant now) {
		return (moment != null && moment.isAfter(now)) ? moment : null;
	}

	/**
	 * The body of {@code PUT /api/v1/profiles/{id}}.
	 */
	@Schema(name = "ProfileRequest",
			example = """
					{"name":"Main account","loggedIn":true,"flowCookies":{"sessionToken":"<__Secure-next-auth.session-token>","expiresAt":"2026-12-31T00:00:00Z"}}""")
	record ProfileBody(@NotBlank @Size(max = 256) @ValidText String name, @NotNull Boolean loggedIn,
			@Valid @Nullable CookiesBody flowCookies) {
	}

	/**
	 * The write-only cookies of a profile.
	 */
	record CookiesBody(@NotBlank @Size(max = 8192) @ValidText String sessionToken, @Nullable Instant expiresAt) {

		@Override
		public String toString() {
			return "CookiesBody[<redacted>]";
		}

	}

	/**
	 * A profile as the API shows it.
	 *
	 * @param state {@code active}, {@code paused} (by an operator), {@code throttled} or
	 * {@code quota_held}
	 * @param throttledUntil while paused after a throttle, until when
	 * @param quotaHeldUntil while its account quota is spent, until when
	 * @param quotaReason the refusal that spent it
	 * @param modelHolds models whose daily quota it has spent, and until when
	 * @param lastRefusalReason the last reason Flow refused one of its starts for
	 * @param lastRefusalAt when
	 * @param tier the account's tier as Flow last reported it, e.g.
	 * {@code PAYGATE_TIER_TWO}
	 * @param credits the account's credits as Flow last reported them
	 * @param creditsAt when
	 */
	@Schema(name = "Profile")
	record ProfileView(String id, String name, boolean loggedIn, boolean hasFlowCookies, boolean hasActiveFlowCookies,
			@Nullable Instant flowCookiesExpireAt, Instant createdAt, Instant updatedAt, @Schema(allowableValues = {
					"active", "paused", "throttled", "quota_held" }) String state,
			@Nullable Instant throttledUntil, @Nullable Instant quotaHeldUntil, @Nullable String quotaReason,
			List<ProfileHealth.ModelHold> modelHolds, @Nullable String lastRefusalReason,
			@Nullable Instant lastRefusalAt, @Nullable String tier, @Nullable Integer credits,
			@Nullable Instant creditsAt){
	}

}
