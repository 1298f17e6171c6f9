package io.veoupscale.poller.operation;

import io.veoupscale.poller.PollerProperties;
import io.veoupscale.store.InstanceIds;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The poller's identity as a lease owner, its threads and its housekeeping. The poll loop
 * and the status calls run on Spring-managed pools of their own (paused and resumed with
 * the context, shut down with it, injected by name only so that nothing else takes them
 * for the application's executor); housekeeping runs on the application's task scheduler,
 * which no poll shares, so a slow poll never delays it.
 */
@Configuration(proxyBeanMethods = false)
class PollingConfiguration {

	@Bean
	PollerInstance pollerInstance(PollerProperties properties) {
		return new PollerInstance(InstanceIds.resolve(properties.instanceId()));
	}

	/**
	 * Housekeeping, registered from the settings record: the gauge of operations in
	 * flight.
	 */
	@Bean
	SchedulingConfigurer pollerHousekeeping(InFlightGauge inFlight, PollerProperties properties) {
		return (registrar) -> registrar.addFixedDelayTask(inFlight::refresh, properties.inFlightRefresh());
	}

	/**
	 * The poll loop and the extra loops that join it while claims come back full.
	 */
	@Bean(defaultCandidate = false)
	ThreadPoolTaskExecutor pollLoopExecutor(PollerProperties properties) {
		return fixedPool("poller-loop-", properties.pollLoops());
	}

	/**
	 * The status calls in flight.
	 */
	@Bean(defaultCandidate = false)
	ThreadPoolTaskExecutor statusCheckExecutor(PollerProperties properties) {
		return fixedPool("poller-check-", properties.checkConcurrency());
	}

	private static ThreadPoolTaskExecutor fixedPool(String threadNamePrefix, int threads) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(threads);
		executor.setMaxPoolSize(threads);
		executor.setThreadNamePrefix(threadNamePrefix);
		executor.setDaemon(true);
		return executor;
	}

}
