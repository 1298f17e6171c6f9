package io.veoupscale.gateway.upscale;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads upscales as the worker creates them and the poller updates them.
 */
@Repository
class UpscaleQueries {

	private final JdbcClient jdbc;

	UpscaleQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<StoredUpscale> find(String upscaleId) {
		return this.jdbc.sql("""
				select id, batch_id, item_index, source_generation_id, profile_id, model, model_key,
				       scene_id::text as scene_id, operation_name, status, video_url, video_url_at, error, created_at,
				       updated_at, completed_at
				from upscales where id = :id
				""").param("id", upscaleId).query((rs, row) -> {
			UpscaleView view = new UpscaleView(rs.getString("id"), rs.getString("batch_id"), rs.getInt("item_index"),
					rs.getString("source_generation_id"), rs.getString("profile_id"), rs.getString("model"),
					rs.getString("model_key"), rs.getString("scene_id"), rs.getString("operation_name"),
					rs.getString("status"), null, rs.getString("error"), rs.getTimestamp("created_at").toInstant(),
					rs.getTimestamp("updated_at").toInstant(), instant(rs.getTimestamp("completed_at")));
			VideoLinks.StoredVideo video = "completed".equals(view.status())
					? new VideoLinks.StoredVideo(view.upscaleId(), view.profileId(), view.operationName(),
							rs.getString("video_url"), instant(rs.getTimestamp("video_url_at")))
					: null;
			return new StoredUpscale(view, video);
		}).optional();
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * An upscale as stored: its view without a link, and where its video is once it
	 * completed.
	 */
	record StoredUpscale(UpscaleView view, VideoLinks.@Nullable StoredVideo video) {
	}

}
