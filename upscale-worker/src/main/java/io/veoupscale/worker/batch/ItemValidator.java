package io.veoupscale.worker.batch;

import java.time.Instant;
import java.util.Optional;

import io.veoupscale.store.generation.Generation;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.Profile;
import io.veoupscale.store.profile.ProfileRepository;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The seed's request validation, in its order and with its messages.
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

	ItemValidator(GenerationRepository generations, ProfileRepository profiles) {
		this.generations = generations;
		this.profiles = profiles;
	}

	Result validate(String sourceGenerationId, Instant now) {
		Optional<Generation> found = this.generations.find(sourceGenerationId);
		if (found.isEmpty()) {
			return Result.rejected(NOT_FOUND);
		}
		Generation generation = found.get();
		if (!Generation.COMPLETED.equals(generation.status())) {
			return Result.rejected(NOT_COMPLETED);
		}
		if (generation.mediaGenerationId() == null || generation.mediaGenerationId().isBlank()) {
			return Result.rejected(NO_MEDIA_ID);
		}
		Optional<Profile> profile = this.profiles.find(generation.profileId());
		if (profile.isEmpty() || !profile.get().loggedIn()) {
			return Result.rejected(NO_PROFILE);
		}
		Optional<FlowCookies> cookies = this.profiles.findCookies(generation.profileId())
			.filter((candidate) -> candidate.isActive(now));
		if (cookies.isEmpty()) {
			return Result.rejected(NO_COOKIES);
		}
		return new Result(null, generation, cookies.get());
	}

	/**
	 * Either a rejection with the seed's message, or what the upstream start needs.
	 */
	record Result(@Nullable String error, @Nullable Generation generation, @Nullable FlowCookies cookies) {

		static Result rejected(String error) {
			return new Result(error, null, null);
		}

		@Override
		public String toString() {
			return "Result[error=" + this.error + "]";
		}

	}

}
