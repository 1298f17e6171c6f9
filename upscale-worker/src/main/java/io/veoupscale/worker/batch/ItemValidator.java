package io.veoupscale.worker.batch;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.veoupscale.flow.AspectRatio;
import io.veoupscale.store.generation.Generation;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.generation.UpscaleSource;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The seed's request validation, in its order and with its messages: one query for the
 * source video (with its aspect ratio) and its profile, which the store's
 * {@link GenerationRepository} answers. A profile's cookies are decrypted for its first
 * valid item and kept for the next ones until the profile's row changes.
 */
@Component
class ItemValidator {

	static final String NOT_FOUND = "Source video not found";

	static final String NOT_COMPLETED = "Source video must be completed before upscaling";

	static final String NO_MEDIA_ID = "Source video has no media generation ID";

	static final String NO_PROFILE = "Profile not found or not logged in";

	static final String NO_COOKIES = "Profile has no active 'flow' cookies";

	private final GenerationRepository generations;

	private final ProfileRepository profiles;

	private final Map<String, KnownCookies> known = new ConcurrentHashMap<>();

	ItemValidator(GenerationRepository generations, ProfileRepository profiles) {
		this.generations = generations;
		this.profiles = profiles;
	}

	Result validate(String sourceGenerationId, Instant now) {
		Optional<UpscaleSource> found = this.generations.findUpscaleSource(sourceGenerationId);
		if (found.isEmpty()) {
			return Result.rejected(NOT_FOUND);
		}
		UpscaleSource source = found.get();
		if (!Generation.COMPLETED.equals(source.status())) {
			return Result.rejected(NOT_COMPLETED);
		}
		if (source.mediaGenerationId() == null || source.mediaGenerationId().isBlank()) {
			return Result.rejected(NO_MEDIA_ID);
		}
		if (!Boolean.TRUE.equals(source.loggedIn())) {
			return Result.rejected(NO_PROFILE);
		}
		if (!source.hasCookies() || (source.cookiesExpireAt() != null && !source.cookiesExpireAt().isAfter(now))) {
			return Result.rejected(NO_COOKIES);
		}
		Optional<FlowCookies> cookies = cookies(source).filter((candidate) -> candidate.isActive(now));
		if (cookies.isEmpty()) {
			return Result.rejected(NO_COOKIES);
		}
		AspectRatio aspectRatio = AspectRatio.of(source.aspectRatio()).orElse(AspectRatio.LANDSCAPE);
		return new Result(null, new Ready(source.profileId(), source.mediaGenerationId(), source.flowProjectId(),
				aspectRatio, cookies.get().sessionToken()));
	}

	/**
	 * The profile's decrypted cookies, as of the profile row the query saw.
	 */
	private Optional<FlowCookies> cookies(UpscaleSource source) {
		KnownCookies known = this.known.get(source.profileId());
		if (known != null && known.asOf().equals(source.profileUpdatedAt())) {
			return Optional.of(known.cookies());
		}
		Optional<FlowCookies> cookies = this.profiles.findCookies(source.profileId());
		if (cookies.isPresent() && source.profileUpdatedAt() != null) {
			this.known.put(source.profileId(), new KnownCookies(source.profileUpdatedAt(), cookies.get()));
		}
		return cookies;
	}

	private record KnownCookies(Instant asOf, FlowCookies cookies) {
	}

	/**
	 * What an item that passed validation needs to start.
	 *
	 * @param profileId the profile that made the source video
	 * @param mediaId the source video's media generation id
	 * @param flowProjectId the Flow project of the source video
	 * @param aspectRatio the source video's aspect ratio, which Flow must be sent
	 * @param sessionToken the profile's session cookie value
	 */
	record Ready(String profileId, String mediaId, @Nullable String flowProjectId, AspectRatio aspectRatio,
			String sessionToken) {

		@Override
		public String toString() {
			return "Ready[profileId=" + this.profileId + ", mediaId=" + this.mediaId + "]";
		}

	}

	/**
	 * Either a rejection with the seed's message, or what the upstream start needs.
	 */
	record Result(@Nullable String error, @Nullable Ready ready) {

		static Result rejected(String error) {
			return new Result(error, null);
		}

	}

}
