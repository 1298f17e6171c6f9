package io.veoupscale.localrun;

import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text a local run prints once everything is up: where things are, the API key, and
 * commands to paste.
 */
final class ReadyBanner {

	private static final String RULE = "=".repeat(100);

	private ReadyBanner() {
	}

	/**
	 * How to have the run's receiver print signed deliveries, if it started.
	 */
	private static String webhooks(LocalSystem.Ready ready, String url, String auth, String requests) {
		if (ready.webhookReceiver() == null) {
			return "";
		}
		String hooks = ready.webhookReceiver() + "/hooks";
		return String.join("\n",
				"  Webhooks: a receiver at " + hooks + " prints each delivery and checks its signature.",
				"  Subscribe it to every batch's completion, then give it the secret from the answer:",
				"    curl -s " + url + "/api/v1/webhooks " + auth + " -H 'Content-Type: application/json' \\",
				"      -d '{\"url\":\"" + hooks + "\",\"events\":[\"veo3:batch:upscale:completed\"]}'",
				"    curl -s " + ready.webhookReceiver() + "/secrets -d 'whsec_...'",
				"  or name it as a batch's callbackUrl (signed with this run's callback secret, known to it):",
				"    curl -s " + url + "/api/v1/upscale-batches " + auth + " -H 'Content-Type: application/json' \\",
				"      -d '{\"requests\":[" + requests + "],\"callbackUrl\":\"" + hooks + "\"}'", "", "");
	}

	static String render(LocalSystem.Ready ready, LocalSettings settings, Duration startup) {
		String url = ready.gatewayUrl();
		String auth = "-H 'Authorization: Bearer " + settings.apiKey() + "'";
		String requests = DemoData.BATCH_EXAMPLE.stream()
			.map((id) -> "{\"sourceGenerationId\":\"" + id + "\"}")
			.collect(Collectors.joining(","));
		String kafka = ready.kafka() + (ready.kafkaEmbedded() ? " (in-process KRaft broker)" : " (external)");
		String database = (ready.embeddedDatabase() != null)
				? ready.embeddedDatabase() + " user " + LocalPostgres.USERNAME + " (embedded)"
				: "external (SPRING_DATASOURCE_URL)";
		String flow = ready.flow() + (ready.flowSimulated() ? " (Flow simulator)" : " (external Flow API)");
		return String.join("\n", "", RULE,
				String.format(Locale.ROOT, "  veo-upscale is running locally, ready in %.1f s",
						startup.toMillis() / 1000.0),
				"", "  Dashboard    " + url + "/", "  API key      " + settings.apiKey(),
				"  Services     gateway :" + settings.gatewayPort() + ", workers :" + settings.workerPorts().get(0)
						+ " :" + settings.workerPorts().get(1) + ", poller :" + settings.pollerPort(),
				"  Flow         " + flow, "  Kafka        " + kafka, "  PostgreSQL   " + database, "",
				"  Watch the events (in a second terminal):", "    curl -N " + url + "/api/v1/events " + auth, "",
				"  Upscale three of the demo videos:",
				"    curl -s " + url + "/api/v1/upscale-batches " + auth + " -H 'Content-Type: application/json' \\",
				"      -d '{\"requests\":[" + requests + "],\"delayMs\":1500}'", "",
				"  See which completed videos have an upscale:",
				"    curl -s '" + url + "/api/v1/generations?status=completed&limit=20' " + auth, "",
				webhooks(ready, url, auth, requests) + "  Demo data: profiles " + DemoData.ALICE.id() + " and "
						+ DemoData.BOB.id()
						+ " (cookies expired); generations demo-gen-01..12 in demo-project-a and -b,",
				"  some of them failing validation (demo-gen-06, -07, -10, -11, -12). Ctrl-C stops everything.", RULE,
				"");
	}

}
