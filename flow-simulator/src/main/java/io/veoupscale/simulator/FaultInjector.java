package io.veoupscale.simulator;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Applies the first matching fault rule to a call the same way at every endpoint, leaving
 * only the endpoint-specific effects to the controllers.
 */
@Component
class FaultInjector {

	private static final Logger logger = LoggerFactory.getLogger(FaultInjector.class);

	private final SimulatorState state;

	FaultInjector(SimulatorState state) {
		this.state = state;
	}

	/**
	 * Applies the rule matching this call, if any.
	 * @param target the endpoint being called
	 * @param account the caller's account, null when unknown
	 * @param sessionToken the caller's session, which {@code expireSession} kills
	 * @param onRejected told the outcome ({@code "429"}, {@code "401"},
	 * {@code "disconnected"}) just before the call is turned away, to log it
	 * @return the rule when the call goes on under it ({@code latency} already waited
	 * out, {@code failOperation}, {@code disconnect} or {@code error} after work,
	 * {@code expireSession} on the session endpoint), else empty
	 * @throws RpcException for {@code error} before work, and {@code expireSession} on a
	 * video call
	 * @throws ConnectionDrop for {@code disconnect} before work
	 */
	Optional<FaultRule> apply(FaultTarget target, @Nullable String account, @Nullable String sessionToken,
			Consumer<String> onRejected) {
		Optional<FaultRule> match = this.state.takeFault(target, account);
		if (match.isEmpty()) {
			return match;
		}
		FaultRule rule = match.get();
		logger.info("Fault {} applies to {} call of account {}", rule.kind(), target, account);
		switch (rule.kind()) {
			case LATENCY -> pause(rule.latency());
			case ERROR -> {
				if (rule.actsAfterWork()) {
					return match;
				}
				RpcException error = rule.toRpcException();
				onRejected.accept(String.valueOf(error.httpStatus()));
				throw error;
			}
			case EXPIRE_SESSION -> {
				if (sessionToken != null) {
					this.state.expireSession(sessionToken);
				}
				if (target != FaultTarget.SESSION) {
					onRejected.accept("401");
					throw RpcException.unauthenticated();
				}
			}
			case DISCONNECT -> {
				if (!rule.actsAfterWork()) {
					onRejected.accept(StartCall.DISCONNECTED);
					throw new ConnectionDrop();
				}
			}
			case FAIL_OPERATION, SLOW_ARRIVAL -> {
				// The start controller makes the operations fail; ArrivalTimeFilter holds
				// slow arrivals.
			}
		}
		return match;
	}

	private static void pause(Duration latency) {
		try {
			Thread.sleep(latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
