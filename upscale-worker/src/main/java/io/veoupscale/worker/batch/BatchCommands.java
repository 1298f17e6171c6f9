package io.veoupscale.worker.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.veoupscale.events.BatchCommand;
import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.store.batch.BatchControl;
import io.veoupscale.worker.WorkerInstance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Checks a command of the command topic and applies it through the shared
 * {@link BatchControl}: a command that breaks a rule, or names a batch nobody knows, is
 * invalid (dead-lettered); one the batch's state refuses (pausing a completed batch) is
 * logged and dropped, as over HTTP it would be answered 409; one for a batch the gateway
 * accepted but no worker took in yet is tried again with back-off.
 */
@Service
class BatchCommands {

	private static final Logger logger = LoggerFactory.getLogger(BatchCommands.class);

	private static final Set<String> COMMANDS = Set.of(BatchCommand.CANCEL, BatchCommand.PAUSE, BatchCommand.RESUME);

	private final BatchControl control;

	private final WorkerInstance instance;

	BatchCommands(BatchControl control, WorkerInstance instance) {
		this.control = control;
		this.instance = instance;
	}

	void apply(BatchCommand command, @Nullable String key) {
		List<String> problems = new ArrayList<>();
		String batchId = command.batchId();
		String idProblem = BatchRequestRules.idProblem(batchId, BatchRequestRules.MAX_BATCH_ID_LENGTH);
		if (batchId == null || idProblem != null) {
			problems.add("batchId " + ((idProblem != null) ? idProblem : "is required"));
		}
		else if (key != null && !key.equals(batchId)) {
			problems.add("the record key must be the batchId");
		}
		if (command.command() == null || !COMMANDS.contains(command.command())) {
			problems.add("command must be one of cancel, pause, resume");
		}
		if (command.upstream() != null && !BatchCommand.CANCEL.equals(command.command())) {
			problems.add("upstream applies to cancel only");
		}
		if (command.commandId() != null && (command.commandId().isBlank() || command.commandId().length() > 128)) {
			problems.add("commandId must be 1 to 128 characters");
		}
		if (!problems.isEmpty()) {
			throw new InvalidBatchCommandException(String.join("; ", problems));
		}
		String by = "command topic" + ((command.requestedBy() != null)
				? " (" + BatchRequestRules.quote(command.requestedBy(), 64) + ")" : "") + " via " + this.instance.id();
		BatchControl.Result result = this.control.apply(batchId, command.command(), command.upstreamOrDefault(),
				command.commandId(), by);
		switch (result.outcome()) {
			case NOT_FOUND -> throw new InvalidBatchCommandException(result.message());
			case APPLIED, UNCHANGED ->
				logger.info("batch {}: {} command: {}", batchId, command.command(), result.message());
			// Taken in soon: the error handler tries again with back-off.
			case QUEUED -> throw new IllegalStateException(result.message());
			case CONFLICT ->
				logger.warn("batch {}: {} command not applied: {}", batchId, command.command(), result.message());
		}
	}

}
