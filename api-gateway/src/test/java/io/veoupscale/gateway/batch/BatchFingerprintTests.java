package io.veoupscale.gateway.batch;

import java.util.List;

import io.veoupscale.events.UpscaleRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as "the same body" for an Idempotency-Key: the request with its defaults
 * applied, on the same endpoint.
 */
class BatchFingerprintTests {

	private static final BatchSubmission REQUEST = new BatchSubmission(
			List.of(new UpscaleRequest("g1", null), new UpscaleRequest("g2", "veo_3_1_upsampler_4k")), null);

	@Test
	void treatsExplicitDefaultsAsTheSameRequest() {
		BatchSubmission explicit = new BatchSubmission(List.of(new UpscaleRequest("g1", "veo_2_1080p_upsampler_8s"),
				new UpscaleRequest("g2", "veo_3_1_upsampler_4k")), 1500);

		assertThat(BatchSubmissions.fingerprint(BatchSubmissions.Mode.ASYNC, explicit))
			.isEqualTo(BatchSubmissions.fingerprint(BatchSubmissions.Mode.ASYNC, REQUEST))
			.hasSize(64);
	}

	@Test
	void tellsApartAnotherEndpointDelayOrItemOrder() {
		String original = BatchSubmissions.fingerprint(BatchSubmissions.Mode.ASYNC, REQUEST);

		assertThat(BatchSubmissions.fingerprint(BatchSubmissions.Mode.SYNC, REQUEST)).isNotEqualTo(original);
		assertThat(BatchSubmissions.fingerprint(BatchSubmissions.Mode.ASYNC,
				new BatchSubmission(REQUEST.requests(), 2000)))
			.isNotEqualTo(original);
		assertThat(BatchSubmissions.fingerprint(BatchSubmissions.Mode.ASYNC,
				new BatchSubmission(List.of(REQUEST.requests().get(1), REQUEST.requests().get(0)), null)))
			.isNotEqualTo(original);
	}

}
