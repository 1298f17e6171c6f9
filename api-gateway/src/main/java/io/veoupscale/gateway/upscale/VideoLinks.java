package io.veoupscale.gateway.upscale;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Links to upscaled videos that have not expired: Flow's are signed for hours, so a
 * stored link older than the configured age is replaced by a fresh one from Flow's media
 * redirect (with the profile's session) and stored for the next caller. A link that
 * cannot be renewed is not handed out.
 */
@Component
class VideoLinks {

	private static final Logger logger = LoggerFactory.getLogger(VideoLinks.class);

	private final FlowClient flow;

	private final ProfileRepository profiles;

	private final JdbcClient jdbc;

	private final VideoLinkProperties properties;

	private final Clock clock;

	VideoLinks(FlowClient flow, ProfileRepository profiles, JdbcClient jdbc, VideoLinkProperties properties,
			Clock clock) {
		this.flow = flow;
		this.profiles = profiles;
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A link to the video of a completed upscale that is younger than the configured age.
	 * @param video where the upscale's video is
	 * @return the link, or empty when the stored one is too old and no fresh one could be
	 * had
	 */
	Optional<String> fresh(StoredVideo video) {
		Instant now = this.clock.instant();
		if (video.url() != null && !isStale(video.resolvedAt(), now)) {
			return Optional.of(video.url());
		}
		Optional<FlowCookies> cookies = this.profiles.findCookies(video.profileId())
			.filter((candidate) -> candidate.isActive(now));
		if (cookies.isEmpty()) {
			logger.info("upscale {}: video link expired and profile {} has no active cookies to renew it",
					video.upscaleId(), video.profileId());
			return Optional.empty();
		}
		try {
			Optional<String> url = this.flow.videoUrl(cookies.get().sessionToken(), video.operationName());
			url.ifPresent((fresh) -> store(video.upscaleId(), fresh, now));
			return url;
		}
		catch (FlowException ex) {
			logger.info("upscale {}: video link expired and Flow did not renew it: {}", video.upscaleId(), ex.reason());
			return Optional.empty();
		}
	}

	/**
	 * Whether a link resolved at a moment is too old to hand out now.
	 * @param resolvedAt when it was resolved, null when unknown (stored before links were
	 * dated)
	 * @param now the time
	 * @return whether it must be renewed
	 */
	boolean isStale(@Nullable Instant resolvedAt, Instant now) {
		return resolvedAt == null || !now.isBefore(resolvedAt.plus(this.properties.maxAge()));
	}

	private void store(String upscaleId, String url, Instant now) {
		this.jdbc.sql("""
				update upscales set video_url = :url, video_url_at = :now
				where id = :id and status = 'completed' and (video_url_at is null or video_url_at < :now)
				""").param("url", url).param("now", Timestamp.from(now)).param("id", upscaleId).update();
	}

	/**
	 * Where a completed upscale's video is, as stored.
	 *
	 * @param upscaleId the upscale
	 * @param profileId the profile whose session may renew the link
	 * @param operationName the upscaled media's name at Flow
	 * @param url the stored link
	 * @param resolvedAt when it was resolved
	 */
	record StoredVideo(String upscaleId, String profileId, String operationName, @Nullable String url,
			@Nullable Instant resolvedAt) {

		@Override
		public String toString() {
			return "StoredVideo[upscaleId=" + this.upscaleId + ", resolvedAt=" + this.resolvedAt + "]";
		}

	}

}
