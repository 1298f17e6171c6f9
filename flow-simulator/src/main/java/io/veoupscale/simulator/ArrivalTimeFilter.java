package io.veoupscale.simulator;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stamps each request with its arrival time before anything else runs, so the call log's
 * timestamps (which pacing tests compare) do not include the simulator's own body
 * parsing. A start matched by a {@code slowArrival} fault rule is held for the rule's
 * latency first, as a request that needed that long to reach Flow.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ArrivalTimeFilter extends OncePerRequestFilter {

	static final String ATTRIBUTE = "io.veoupscale.simulator.arrivedAt";

	private static final String START_PATH = "/v1/video:batchAsyncGenerateVideoUpsampleVideo";

	private static final Logger logger = LoggerFactory.getLogger(ArrivalTimeFilter.class);

	private final SimulatorState state;

	ArrivalTimeFilter(SimulatorState state) {
		this.state = state;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getRequestURI().endsWith(START_PATH)) {
			String account = this.state
				.grantFor(VideoApiController.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION)))
				.map(AccessGrant::account)
				.orElse(null);
			Optional<FaultRule> slow = this.state.takeSlowArrival(FaultTarget.START, account);
			if (slow.isPresent()) {
				logger.info("Start of account {} arrives {} late", account, slow.get().latency());
				try {
					Thread.sleep(slow.get().latency().toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.state.recordArrival(account);
		}
		request.setAttribute(ATTRIBUTE, this.state.now());
		chain.doFilter(request, response);
	}

}
