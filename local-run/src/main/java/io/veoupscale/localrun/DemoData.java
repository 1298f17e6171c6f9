package io.veoupscale.localrun;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The demo data a local run registers through the gateway's API: two profiles, one whose
 * Flow cookies have expired, and a dozen source videos in two projects, most of them
 * completed and ready to upscale, the rest showing each validation error.
 */
final class DemoData {

	static final Profile ALICE = new Profile("demo-alice", "Alice (demo)", "demo-session-alice",
			Instant.parse("2099-12-31T00:00:00Z"));

	static final Profile BOB = new Profile("demo-bob", "Bob (demo, cookies expired)", "demo-session-bob",
			Instant.parse("2025-01-01T00:00:00Z"));

	static final List<Profile> PROFILES = List.of(ALICE, BOB);

	static final List<Generation> GENERATIONS = List.of(completed("demo-gen-01", "demo-project-a", ALICE),
			completed("demo-gen-02", "demo-project-a", ALICE), completed("demo-gen-03", "demo-project-a", ALICE),
			completed("demo-gen-04", "demo-project-a", ALICE), completed("demo-gen-05", "demo-project-a", ALICE),
			new Generation("demo-gen-06", "demo-project-a", ALICE.id(), "processing", null),
			new Generation("demo-gen-07", "demo-project-a", ALICE.id(), "failed", null),
			completed("demo-gen-08", "demo-project-b", ALICE), completed("demo-gen-09", "demo-project-b", ALICE),
			completed("demo-gen-10", "demo-project-b", BOB),
			new Generation("demo-gen-11", "demo-project-b", ALICE.id(), "pending", null),
			new Generation("demo-gen-12", "demo-project-b", ALICE.id(), "completed", null));

	/** Completed videos of a profile with live cookies: a batch of them succeeds. */
	static final List<String> BATCH_EXAMPLE = List.of("demo-gen-01", "demo-gen-02", "demo-gen-03");

	private DemoData() {
	}

	/**
	 * Registers the profiles, then the generations. Registering is an upsert, so a second
	 * run against the same database changes nothing.
	 * @param gateway a client of the gateway that sends the API key
	 */
	static void seed(RestClient gateway) {
		for (Profile profile : PROFILES) {
			put(gateway, "/api/v1/profiles/{id}", profile.id(), profile.body());
		}
		for (Generation generation : GENERATIONS) {
			put(gateway, "/api/v1/generations/{id}", generation.id(), generation.body());
		}
	}

	private static void put(RestClient gateway, String path, String id, Map<String, Object> body) {
		gateway.put().uri(path, id).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toBodilessEntity();
	}

	private static Generation completed(String id, String projectId, Profile profile) {
		return new Generation(id, projectId, profile.id(), "completed", "media-" + id);
	}

	/**
	 * A demo profile.
	 *
	 * @param id the profile id
	 * @param name its display name
	 * @param sessionToken its Flow session cookie (any value works with the simulator)
	 * @param expiresAt when the cookie expires
	 */
	record Profile(String id, String name, String sessionToken, Instant expiresAt) {

		Map<String, Object> body() {
			return Map.of("name", this.name, "loggedIn", true, "flowCookies",
					Map.of("sessionToken", this.sessionToken, "expiresAt", this.expiresAt.toString()));
		}

		@Override
		public String toString() {
			return "Profile[" + this.id + "]";
		}

	}

	/**
	 * A demo source video.
	 *
	 * @param id the generation id
	 * @param projectId the project it belongs to
	 * @param profileId the profile that made it
	 * @param status {@code pending}, {@code processing}, {@code completed} or
	 * {@code failed}
	 * @param mediaGenerationId its media id at Flow, if it has one
	 */
	record Generation(String id, String projectId, String profileId, String status,
			@Nullable String mediaGenerationId) {

		Map<String, Object> body() {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("projectId", this.projectId);
			body.put("profileId", this.profileId);
			body.put("status", this.status);
			if (this.mediaGenerationId != null) {
				body.put("mediaGenerationId", this.mediaGenerationId);
			}
			body.put("flowProjectId", "flow-" + this.projectId);
			return body;
		}

	}

}
