package io.veoupscale.gateway.profile;

import java.time.Clock;
import java.time.Instant;

import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ApiResponse;
import io.veoupscale.gateway.web.ValidId;
import io.veoupscale.gateway.web.ValidText;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.Profile;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registers profiles and shows them; cookie values go in and never come out.
 */
@RestController
@RequestMapping("/api/v1/profiles")
@Tag(name = "Profiles", description = "The accounts whose Flow cookies start upscales; cookies are write-only")
class ProfileController {

	private final ProfileRepository profiles;

	private final Clock clock;

	ProfileController(ProfileRepository profiles, Clock clock) {
		this.profiles = profiles;
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

	@Operation(summary = "A profile: whether it is logged in and has active Flow cookies, never their values")
	@GetMapping("/{id}")
	ApiResponse<ProfileView> get(@PathVariable @ValidId String id) {
		return ApiResponse.ok(view(id));
	}

	private ProfileView view(String id) {
		Profile profile = this.profiles.find(id)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Profile " + id + " not found"));
		return new ProfileView(profile.id(), profile.name(), profile.loggedIn(), profile.hasFlowCookies(),
				profile.hasActiveFlowCookies(this.clock.instant()), profile.flowCookiesExpireAt(), profile.createdAt(),
				profile.updatedAt());
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
	 */
	@Schema(name = "Profile")
	record ProfileView(String id, String name, boolean loggedIn, boolean hasFlowCookies, boolean hasActiveFlowCookies,
			@Nullable Instant flowCookiesExpireAt, Instant createdAt, Instant updatedAt) {
	}

}
