package io.veoupscale.localrun;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LocalSettingsTests {

	@Test
	void defaultsToEverythingEmbeddedOnTheUsualPortsWithFreshKeys() {
		LocalSettings settings = LocalSettings.from(Map.of(), new SecureRandom());
		assertThat(settings.gatewayPort()).isEqualTo(8080);
		assertThat(settings.workerPorts()).containsExactly(8081, 8083);
		assertThat(settings.pollerPort()).isEqualTo(8082);
		assertThat(settings.simulatorPort()).isEqualTo(8090);
		assertThat(settings.kafkaPort()).isEqualTo(9092);
		assertThat(settings.postgresPort()).isZero();
		assertThat(settings.externalKafka()).isNull();
		assertThat(settings.externalDatabase()).isNull();
		assertThat(settings.externalFlow()).isNull();
		assertThat(Base64.getDecoder().decode(settings.cryptoKey())).hasSize(32);
		assertThat(settings.cryptoKeyGenerated()).isTrue();
		LocalSettings another = LocalSettings.from(Map.of(), new SecureRandom());
		assertThat(settings.apiKey()).isNotEqualTo(another.apiKey());
		assertThat(settings.cryptoKey()).isNotEqualTo(another.cryptoKey());
		assertThat(settings.runId()).hasSize(4);
	}

	@Test
	void acceptsTheGivenApiKeyAndAnyConfiguredHashes() {
		LocalSettings settings = LocalSettings
			.from(Map.of("LOCAL_API_KEY", "demo", "UPSCALE_GATEWAY_API_KEY_HASHES", "abc123"), new SecureRandom());
		assertThat(settings.apiKey()).isEqualTo("demo");
		assertThat(settings.apiKeyHashes())
			.isEqualTo("2a97516c354b68848cdbd8f54a226a0a55b21ed138e207ad6c5cbb9c00aa5aea,abc123");
	}

	@Test
	void readsPortsAndExternalComponents() {
		LocalSettings settings = LocalSettings.from(Map.of("LOCAL_GATEWAY_PORT", "9080", "LOCAL_WORKER_2_PORT", "9083",
				"LOCAL_POSTGRES_PORT", "15432", "SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "SPRING_DATASOURCE_URL",
				"jdbc:postgresql://db/upscale", "FLOW_API_BASE_URL", "http://flow", "UPSCALE_CRYPTO_KEY", "a2V5"),
				new SecureRandom());
		assertThat(settings.gatewayPort()).isEqualTo(9080);
		assertThat(settings.workerPorts()).isEqualTo(List.of(8081, 9083));
		assertThat(settings.postgresPort()).isEqualTo(15432);
		assertThat(settings.externalKafka()).isEqualTo("kafka:9092");
		assertThat(settings.externalDatabase()).isEqualTo("jdbc:postgresql://db/upscale");
		assertThat(settings.externalFlow()).isEqualTo("http://flow");
		assertThat(settings.cryptoKey()).isEqualTo("a2V5");
		assertThat(settings.cryptoKeyGenerated()).isFalse();
	}

	@Test
	void rejectsAPortThatIsNotOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalSettings.from(Map.of("LOCAL_KAFKA_PORT", "ninety"), new SecureRandom()))
			.withMessageContaining("LOCAL_KAFKA_PORT");
	}

	@Test
	void keepsKeysOutOfItsStringForm() {
		LocalSettings settings = LocalSettings.from(Map.of("LOCAL_API_KEY", "secret-key"), new SecureRandom());
		assertThat(settings.toString()).doesNotContain("secret-key").doesNotContain(settings.cryptoKey());
	}

}
