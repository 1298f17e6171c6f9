package io.veoupscale.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A fault rule as posted to {@code /admin/faults}; {@link #withDefaults()} fills what the
 * caller left out.
 *
 * @param target the endpoint the rule affects
 * @param kind what the rule does
 * @param times how many matching calls it affects, 0 for every call until cleared
 * (default 1)
 * @param account only calls of this simulated account, or every account when null
 * @param httpStatus status of an {@code error} answer (default 500)
 * @param rpcStatus RPC status of an {@code error} answer (default derived from the HTTP
 * status)
 * @param reason {@code ErrorInfo} reason of an {@code error} answer, none when null
 * @param message message of an {@code error} answer
 * @param retryAfterSeconds {@code Retry-After} header of an {@code error} answer, none
 * when null
 * @param latencyMs delay of a {@code latency} rule, or how late a {@code slowArrival}
 * rule makes a start arrive
 * @param failureReasons failure reasons of the operations a {@code failOperation} rule
 * fails (default {@code SIMULATED_FAILURE})
 * @param afterWork whether a {@code disconnect} or {@code error} rule acts after the call
 * did its work (an accepted start whose client never hears of it, or hears an error)
 * rather than before
 * @param probability the chance that a matching call is affected, from 0 to 1 (default
 * 1); a call the rule spares is not counted against {@code times} and goes on to the next
 * rule
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record FaultRule(@NotNull FaultTarget target, @NotNull FaultKind kind, @Nullable @PositiveOrZero Integer times,
		@Nullable String account, @Nullable @Min(400) @Max(599) Integer httpStatus, @Nullable String rpcStatus,
		@Nullable String reason, @Nullable String message, @Nullable @PositiveOrZero Long retryAfterSeconds,
		@Nullable @PositiveOrZero Long latencyMs, @Nullable List<String> failureReasons, @Nullable Boolean afterWork,
		@Nullable @DecimalMin("0.0") @DecimalMax("1.0") Double probability) {

	private static final Map<Integer, String> RPC_STATUS_BY_HTTP_STATUS = Map.of(400, "INVALID_ARGUMENT", 401,
			"UNAUTHENTICATED", 403, "PERMISSION_DENIED", 404, "NOT_FOUND", 409, "ALREADY_EXISTS", 429,
			"RESOURCE_EXHAUSTED", 499, "CANCELLED", 501, "UNIMPLEMENTED", 503, "UNAVAILABLE", 504, "DEADLINE_EXCEEDED");

	/**
	 * The rule with every optional setting filled in.
	 * @return a rule whose only null fields are {@code account}, {@code reason} and
	 * {@code retryAfterSeconds}
	 * @throws IllegalArgumentException if the kind does not apply to the target
	 */
	FaultRule withDefaults() {
		if ((this.kind == FaultKind.FAIL_OPERATION || this.kind == FaultKind.SLOW_ARRIVAL)
				&& this.target != FaultTarget.START) {
			throw new IllegalArgumentException(
					((this.kind == FaultKind.FAIL_OPERATION) ? "failOperation" : "slowArrival")
							+ " applies to target start only");
		}
		int status = (this.httpStatus != null) ? this.httpStatus : 500;
		return new FaultRule(this.target, this.kind, (this.times != null) ? this.times : 1, this.account, status,
				(this.rpcStatus != null) ? this.rpcStatus : RPC_STATUS_BY_HTTP_STATUS.getOrDefault(status, "INTERNAL"),
				this.reason, (this.message != null) ? this.message : "Simulated fault", this.retryAfterSeconds,
				(this.latencyMs != null) ? this.latencyMs : 0L,
				(this.failureReasons != null) ? List.copyOf(this.failureReasons)
						: ((this.kind == FaultKind.FAIL_OPERATION) ? List.of("SIMULATED_FAILURE") : List.of()),
				this.afterWork != null && this.afterWork, (this.probability != null) ? this.probability : 1.0);
	}

	boolean matches(FaultTarget target, @Nullable String account) {
		return this.target == target && (this.account == null || this.account.equals(account));
	}

	/**
	 * What a rule that acts after the work does to the answer: the dropped connection or
	 * the error.
	 * @return the failure to raise once the call did its work, empty for other rules
	 */
	Optional<RuntimeException> failureAfterWork() {
		if (!actsAfterWork()) {
			return Optional.empty();
		}
		return Optional.of((this.kind == FaultKind.DISCONNECT) ? new ConnectionDrop() : toRpcException());
	}

	boolean actsAfterWork() {
		return (this.kind == FaultKind.DISCONNECT || this.kind == FaultKind.ERROR)
				&& Boolean.TRUE.equals(this.afterWork);
	}

	/**
	 * Whether this rule affects a call it matches, by its probability.
	 * @param draw a uniformly distributed number in [0, 1)
	 * @return whether the call is affected
	 */
	boolean affects(double draw) {
		return this.probability == null || draw < this.probability;
	}

	Duration latency() {
		return Duration.ofMillis((this.latencyMs != null) ? this.latencyMs : 0L);
	}

	RpcException toRpcException() {
		return new RpcException((this.httpStatus != null) ? this.httpStatus : 500,
				(this.rpcStatus != null) ? this.rpcStatus : "INTERNAL",
				(this.message != null) ? this.message : "Simulated fault", this.reason,
				(this.retryAfterSeconds != null) ? Duration.ofSeconds(this.retryAfterSeconds) : null);
	}

}
