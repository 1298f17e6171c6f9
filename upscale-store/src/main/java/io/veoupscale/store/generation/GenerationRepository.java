package io.veoupscale.store.generation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores source videos and answers the seed's listByStatus.
 */
@Repository
public class GenerationRepository {

	private static final String SELECT = """
			select g.id, g.project_id, g.profile_id, g.status, g.media_generation_id, g.flow_project_id,
			       g.aspect_ratio, g.created_at, g.updated_at,
			       exists (select 1 from upscales u where u.source_generation_id = g.id and u.status <> 'failed')
			           as has_upscale
			from generations g
			""";

	private final JdbcClient jdbc;

	GenerationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Creates or replaces a landscape generation.
	 * @param id the generation id
	 * @param projectId the project
	 * @param profileId the profile that made it
	 * @param status its status, one of {@link Generation#STATUSES}
	 * @param mediaGenerationId Flow's media id, if known
	 * @param flowProjectId the Flow project, if known
	 * @return whether it was created (rather than replaced)
	 */
	public boolean save(String id, String projectId, String profileId, String status,
			@Nullable String mediaGenerationId, @Nullable String flowProjectId) {
		return save(id, projectId, profileId, status, mediaGenerationId, flowProjectId, Generation.LANDSCAPE);
	}

	/**
	 * Creates or replaces a generation.
	 * @param id the generation id
	 * @param projectId the project
	 * @param profileId the profile that made it
	 * @param status its status, one of {@link Generation#STATUSES}
	 * @param mediaGenerationId Flow's media id, if known
	 * @param flowProjectId the Flow project, if known
	 * @param aspectRatio its shape, one of {@link Generation#ASPECT_RATIOS}
	 * @return whether it was created (rather than replaced)
	 */
	public boolean save(String id, String projectId, String profileId, String status,
			@Nullable String mediaGenerationId, @Nullable String flowProjectId, String aspectRatio) {
		return this.jdbc.sql("""
				insert into generations (id, project_id, profile_id, status, media_generation_id, flow_project_id,
				                         aspect_ratio)
				values (:id, :projectId, :profileId, :status, :mediaGenerationId, :flowProjectId, :aspectRatio)
				on conflict (id) do update set project_id = excluded.project_id, profile_id = excluded.profile_id,
				    status = excluded.status, media_generation_id = excluded.media_generation_id,
				    flow_project_id = excluded.flow_project_id, aspect_ratio = excluded.aspect_ratio,
				    updated_at = now()
				returning (xmax = 0) as inserted
				""")
			.param("id", id)
			.param("projectId", projectId)
			.param("profileId", profileId)
			.param("status", status)
			.param("mediaGenerationId", mediaGenerationId)
			.param("flowProjectId", flowProjectId)
			.param("aspectRatio", aspectRatio)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Finds a generation.
	 * @param id the generation id
	 * @return the generation
	 */
	public Optional<Generation> find(String id) {
		return this.jdbc.sql(SELECT + " where g.id = :id")
			.param("id", id)
			.query(GenerationRepository::generation)
			.optional();
	}

	/**
	 * A source video as a worker checks it before an upscale start: the video, and the
	 * state of the profile that made it, in one statement.
	 * @param id the generation id
	 * @return the source, or empty if no such generation exists
	 */
	public Optional<UpscaleSource> findUpscaleSource(String id) {
		return this.jdbc.sql("""
				select g.status, g.media_generation_id, g.profile_id, g.flow_project_id, g.aspect_ratio, p.logged_in,
				       p.flow_cookies is not null as has_cookies, p.cookies_expires_at, p.updated_at
				from generations g left join profiles p on p.id = g.profile_id
				where g.id = :id
				""")
			.param("id", id)
			.query((rs, row) -> new UpscaleSource(rs.getString("status"), rs.getString("media_generation_id"),
					rs.getString("profile_id"), rs.getString("flow_project_id"), rs.getString("aspect_ratio"),
					(Boolean) rs.getObject("logged_in"), rs.getBoolean("has_cookies"),
					instant(rs.getTimestamp("cookies_expires_at")), instant(rs.getTimestamp("updated_at"))))
			.optional();
	}

	/**
	 * Lists generations newest first, each filter applying only when given.
	 * @param status only this status
	 * @param projectId only this project
	 * @param hasUpscale only those with (true) or without (false) an upscale that has not
	 * failed
	 * @param limit at most this many
	 * @return the generations
	 */
	public List<Generation> list(@Nullable String status, @Nullable String projectId, @Nullable Boolean hasUpscale,
			int limit) {
		return this.jdbc.sql("select * from (" + SELECT + """
				 where (cast(:status as varchar) is null or g.status = :status)
				   and (cast(:projectId as varchar) is null or g.project_id = :projectId)
				) listed
				where (cast(:hasUpscale as boolean) is null or has_upscale = :hasUpscale)
				order by created_at desc, id
				limit :limit
				""")
			.param("status", status)
			.param("projectId", projectId)
			.param("hasUpscale", hasUpscale)
			.param("limit", limit)
			.query(GenerationRepository::generation)
			.list();
	}

	private static Generation generation(ResultSet rs, int row) throws SQLException {
		return new Generation(rs.getString("id"), rs.getString("project_id"), rs.getString("profile_id"),
				rs.getString("status"), rs.getString("media_generation_id"), rs.getString("flow_project_id"),
				rs.getString("aspect_ratio"), rs.getBoolean("has_upscale"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
