package io.veoupscale.localrun;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoDataTests {

	private final Map<String, DemoData.Profile> profiles = DemoData.PROFILES.stream()
		.collect(Collectors.toMap(DemoData.Profile::id, Function.identity()));

	private final Map<String, DemoData.Generation> generations = DemoData.GENERATIONS.stream()
		.collect(Collectors.toMap(DemoData.Generation::id, Function.identity()));

	@Test
	void hasTwoProfilesOneWithExpiredCookies() {
		Instant now = Instant.now();
		assertThat(DemoData.PROFILES).hasSize(2);
		assertThat(DemoData.PROFILES).filteredOn((profile) -> profile.expiresAt().isBefore(now)).hasSize(1);
	}

	@Test
	void hasADozenGenerationsInTwoProjectsInEveryStatus() {
		assertThat(this.generations).hasSize(12);
		assertThat(DemoData.GENERATIONS).extracting(DemoData.Generation::projectId)
			.containsOnly("demo-project-a", "demo-project-b");
		assertThat(DemoData.GENERATIONS).extracting(DemoData.Generation::status)
			.contains("pending", "processing", "completed", "failed");
		assertThat(DemoData.GENERATIONS).allSatisfy((generation) -> {
			assertThat(this.profiles).containsKey(generation.profileId());
			assertThat(generation.id()).hasSizeLessThanOrEqualTo(128);
		});
	}

	@Test
	void mostGenerationsAreCompletedWithAMediaId() {
		assertThat(DemoData.GENERATIONS)
			.filteredOn(
					(generation) -> "completed".equals(generation.status()) && generation.mediaGenerationId() != null)
			.hasSizeGreaterThan(DemoData.GENERATIONS.size() / 2);
	}

	@Test
	void batchExampleNamesThreeVideosThatPassValidation() {
		assertThat(DemoData.BATCH_EXAMPLE).hasSize(3).allSatisfy((id) -> {
			DemoData.Generation generation = this.generations.get(id);
			assertThat(generation.status()).isEqualTo("completed");
			assertThat(generation.mediaGenerationId()).isNotBlank();
			assertThat(this.profiles.get(generation.profileId()).expiresAt()).isAfter(Instant.now());
		});
	}

	@Test
	void bodiesMatchTheGatewayContract() {
		DemoData.Profile profile = DemoData.PROFILES.get(0);
		assertThat(profile.body()).containsOnlyKeys("name", "loggedIn", "flowCookies");
		assertThat(profile.body()).extractingByKey("flowCookies")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsOnlyKeys("sessionToken", "expiresAt");
		Set<String> generationFields = Set.of("projectId", "profileId", "status", "mediaGenerationId", "flowProjectId");
		assertThat(DemoData.GENERATIONS)
			.allSatisfy((generation) -> assertThat(generationFields).containsAll(generation.body().keySet()));
		assertThat(this.generations.get("demo-gen-11").body()).doesNotContainKey("mediaGenerationId");
	}

}
