package io.veoupscale.gateway.upscale;

import java.sql.Timestamp;
import java.util.Optional;

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

	Optional<UpscaleView> find(String upscaleId) {
		return this.jdbc.sql("""
				select id, batch_id, item_index, source_generation_id, profile_id, model, scene_id::text as scene_id,
				       operation_name, status, video_url, error, created_at, updated_at, completed_at
				from upscales where id = :id
				""").param("id", upscaleId).query((rs, row) -> {
			Timestamp completedAt = rs.getTimestamp("completed_at");
			return new UpscaleView(rs.getString("id"), rs.getString("batch_id"), rs.getInt("item_index"),
					rs.getString("source_generation_id"), rs.getString("profile_id"), rs.getString("model"),
					rs.getString("scene_id"), rs.getString("operation_name"), rs.getString("status"),
					rs.getString("video_url"), rs.getString("error"), rs.getTimestamp("created_at").toInstant(),
					rs.getTimestamp("updated_at").toInstant(), (completedAt != null) ? completedAt.toInstant() : null);
		}).optional();
	}

}
