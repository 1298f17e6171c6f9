package io.veoupscale.simulator;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stamps each request with its arrival time before anything else runs, so the call log's
 * timestamps (which pacing tests compare) do not include the simulator's own body
 * parsing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ArrivalTimeFilter extends OncePerRequestFilter {

	static final String ATTRIBUTE = "io.veoupscale.simulator.arrivedAt";

	private final SimulatorState state;

	ArrivalTimeFilter(SimulatorState state) {
		this.state = state;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		request.setAttribute(ATTRIBUTE, this.state.now());
		chain.doFilter(request, response);
	}

}
