package io.veoupscale.fault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.Topics;

/**
 * Scenario 2b: malformed records on the requests topic (not JSON, an unknown shape,
 * invalid fields) all land in the dead-letter topic, and a good batch sent after them
 * still completes.
 */
final class PoisonRecords {

	private final FaultSystem system;

	private final int records;

	private final Random random;

	PoisonRecords(FaultSystem system, int records, long seed) {
		this.system = system;
		this.records = records;
		this.random = new Random(seed);
	}

	Outcome run() throws Exception {
		Outcome.Builder outcome = new Outcome.Builder("2b poison records");
		String prefix = "poison-" + UUID.randomUUID().toString().substring(0, 8) + "-";
		try (TopicReader deadLetters = TopicReader.keys(this.system.kafka.bootstrapServers(),
				Topics.BATCH_REQUESTS + ".DLT")) {
			String profile = "poison-" + UUID.randomUUID().toString().substring(0, 8);
			this.system.profile(profile);
			List<String> sources = this.system.generations(profile, 5);
			FaultSystem.log("scenario 2: " + this.records + " malformed records, then a good batch");
			Instant sent = Instant.now();
			for (int i = 0; i < this.records; i++) {
				this.system.sendRecord(Topics.BATCH_REQUESTS, prefix + i, poison(i));
			}
			String batchId = "good-after-poison-" + UUID.randomUUID();
			String good = "{\"batchId\":\"" + batchId + "\",\"requests\":["
					+ String.join(",", sources.stream().map((id) -> "{\"sourceGenerationId\":\"" + id + "\"}").toList())
					+ "],\"delayMs\":0,\"requestedAt\":\"" + Instant.now() + "\"}";
			this.system.sendRecord(Topics.BATCH_REQUESTS, batchId, good.getBytes(StandardCharsets.UTF_8));
			boolean completed = FaultSystem.await(Duration.ofSeconds(300),
					() -> !this.system.events.of(batchId, BatchCompleted.class).isEmpty());
			Duration goodBatch = Duration.between(sent, Instant.now());
			boolean allDead = FaultSystem.await(Duration.ofSeconds(300),
					() -> deadLetters.keysStartingWith(prefix) >= this.records);
			Duration allDeadAfter = Duration.between(sent, Instant.now());
			long dead = deadLetters.keysStartingWith(prefix);
			long stored = this.system.sql.sql("select count(*) from batches where id like :prefix")
				.param("prefix", "poison%")
				.query(Long.class)
				.single();
			outcome.figure("records", this.records)
				.figure("in DLT", dead)
				.figure("all in DLT after", allDead ? Figures.seconds(allDeadAfter) : "n/a")
				.figure("good batch completed after", completed ? Figures.seconds(goodBatch) : "n/a")
				.figure("poison batches stored", stored)
				.figure("time", Figures.seconds(Duration.between(sent, Instant.now())));
			outcome.check(dead == this.records, (this.records - dead) + " malformed records never reached the DLT")
				.check(completed, "the good batch sent after them did not complete within 300 s")
				.check(stored == 0, stored + " malformed records were stored as batches");
		}
		return outcome.build();
	}

	private byte[] poison(int i) {
		String batchId = "poison-batch-" + i;
		String item = "{\"sourceGenerationId\":\"g\"}";
		String text = switch (i % 16) {
			case 0 -> "not json at all " + i;
			case 1 -> "{\"batchId\":\"" + batchId + "\",\"requests\":[";
			case 2 -> "[1,2,3]";
			case 3 -> "{\"type\":\"veo3:batch:upscale:unknown\",\"payload\":{\"x\":" + i + "}}";
			case 4 -> "{\"type\":\"veo3:batch:upscale:started\",\"batchId\":\"" + batchId + "\",\"total\":1}";
			case 5 -> "{\"batchId\":\"" + batchId + "\",\"requests\":[],\"delayMs\":0}";
			case 6 -> "{\"batchId\":\"" + batchId + "\",\"requests\":[" + item + "],\"delayMs\":-1}";
			case 7 -> "{\"batchId\":\"" + batchId + "\",\"requests\":[" + item + "],\"delayMs\":\"soon\"}";
			case 8 -> "{\"batchId\":\"" + batchId + "\",\"requests\":[{\"sourceGenerationId\":\"\"}]}";
			case 9 ->
				"{\"batchId\":\"" + batchId + "\",\"requests\":[{\"sourceGenerationId\":\"" + "x".repeat(129) + "\"}]}";
			case 10 ->
				"{\"batchId\":\"" + batchId + "\",\"requests\":[{\"sourceGenerationId\":\"g\",\"model\":\"veo_9\"}]}";
			case 11 -> "{\"requests\":[" + item + "]}";
			case 12 -> "{\"batchId\":\"" + "b".repeat(65) + "\",\"requests\":[" + item + "]}";
			case 13 -> "{\"batchId\":\"" + batchId + "\",\"requests\":[" + item + "],\"delayMs\":60001}";
			case 14 -> "{\"batchId\":\"" + batchId + "\",\"requests\":[" + (item + ",").repeat(1000) + item + "]}";
			default -> null;
		};
		if (text != null) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		byte[] bytes = new byte[1 + this.random.nextInt(512)];
		this.random.nextBytes(bytes);
		return bytes;
	}

}
