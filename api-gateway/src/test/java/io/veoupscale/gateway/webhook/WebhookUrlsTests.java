package io.veoupscale.gateway.webhook;

import java.time.Duration;
import java.util.List;

import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.store.webhook.WebhookProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebhookUrlsTests {

	private static WebhookUrls urls(String... allowed) {
		return new WebhookUrls(new WebhookProperties(List.of("veo3:batch:upscale:completed"), List.of(allowed), null,
				new WebhookProperties.Sender(true, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
						Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofHours(1), 0),
				Duration.ofDays(7), Duration.ofHours(1)));
	}

	@Test
	void refusesInternalAddressesWithoutTheAllowList() {
		WebhookUrls urls = urls();
		for (String url : List.of("http://localhost:8080/hook", "http://127.0.0.1/", "http://[::1]/",
				"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://172.16.5.4/",
				"http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[fd00:ec2::254]/",
				"http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/")) {
			assertThatExceptionOfType(ApiException.class).as(url)
				.isThrownBy(() -> urls.check("url", url))
				.withMessageStartingWith("url host ")
				.withMessageContaining("UPSCALE_WEBHOOKS_ALLOWED_CIDRS");
		}
	}

	@Test
	void namesWhyAnAddressIsRefused() {
		WebhookUrls urls = urls();
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://localhost/"))
			.withMessageContaining("a loopback address");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://169.254.169.254/"))
			.withMessageContaining("link-local");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://10.0.0.1/"))
			.withMessageContaining("a private address");
	}

	@Test
	void refusesOtherSchemesCredentialsAndNonsense() {
		WebhookUrls urls = urls("0.0.0.0/0");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "file:///etc/passwd"))
			.withMessage("url must use http or https, not file");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "ftp://example.com/"))
			.withMessage("url must use http or https, not ftp");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "example.com/hook"))
			.withMessage("url must use http or https");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://a:b@127.0.0.1/"))
			.withMessageContaining("credentials");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://exa mple.com/"))
			.withMessageStartingWith("url is not a valid URL");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://x.invalid/"))
			.withMessage("url host x.invalid does not resolve");
	}

	@Test
	void letsTheAllowListPermitItsRangesOnly() {
		WebhookUrls urls = urls("127.0.0.0/8", " ");
		assertThat(urls.check("callbackUrl", "http://127.0.0.1:9000/hook")).isEqualTo("http://127.0.0.1:9000/hook");
		assertThat(urls.check("callbackUrl", "http://localhost:9000/hook")).isEqualTo("http://localhost:9000/hook");
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://10.0.0.1/"));
		assertThatExceptionOfType(ApiException.class).isThrownBy(() -> urls.check("url", "http://169.254.169.254/"));
	}

	@Test
	void refusesAnAllowListEntryThatIsNoCidr() {
		assertThatIllegalArgumentException().isThrownBy(() -> urls("localhost"))
			.withMessageContaining("UPSCALE_WEBHOOKS_ALLOWED_CIDRS");
		assertThatIllegalArgumentException().isThrownBy(() -> urls("10.0.0.0/33"));
	}

}
