package io.veoupscale.store;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Whether the Kafka cluster answers, for every service's readiness: Spring Boot has no
 * Kafka health indicator of its own.
 */
public class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	private final KafkaAdmin admin;

	private final Duration timeout;

	private @Nullable AdminClient client;

	/**
	 * Creates an indicator that asks the cluster the admin points at.
	 * @param admin the Kafka admin whose configuration is used
	 * @param timeout how long the cluster may take to answer
	 */
	public KafkaHealthIndicator(KafkaAdmin admin, Duration timeout) {
		super("Kafka health check failed");
		this.admin = admin;
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		int millis = (int) this.timeout.toMillis();
		DescribeClusterResult cluster = client().describeCluster(new DescribeClusterOptions().timeoutMs(millis));
		String clusterId = cluster.clusterId().get(millis, TimeUnit.MILLISECONDS);
		int nodes = cluster.nodes().get(millis, TimeUnit.MILLISECONDS).size();
		builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes);
	}

	private synchronized AdminClient client() {
		if (this.client == null) {
			this.client = AdminClient.create(this.admin.getConfigurationProperties());
		}
		return this.client;
	}

	@Override
	public synchronized void destroy() {
		if (this.client != null) {
			this.client.close(Duration.ofSeconds(1));
			this.client = null;
		}
	}

}
