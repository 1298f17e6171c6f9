package io.veoupscale.gateway.webhook;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Tells idle senders that deliveries may be due: when a transaction commits new ones
 * (PostgreSQL {@code LISTEN}, notified by a trigger on the deliveries table) or a
 * redelivery is queued here. Senders still poll, so a missed notification only delays a
 * delivery by a poll interval.
 */
@Component
class DeliverySignal {

	static final String CHANNEL = "upscale_webhook_deliveries";

	private static final Logger logger = LoggerFactory.getLogger(DeliverySignal.class);

	private final DataSource dataSource;

	private final Object monitor = new Object();

	private long generation;

	DeliverySignal(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Wakes every waiting sender.
	 */
	void signal() {
		synchronized (this.monitor) {
			this.generation++;
			this.monitor.notifyAll();
		}
	}

	/**
	 * A mark to wait from: take it before looking for work, so that a signal in between
	 * is not missed.
	 * @return the current mark
	 */
	long mark() {
		synchronized (this.monitor) {
			return this.generation;
		}
	}

	/**
	 * Waits until a signal after the mark, or the timeout.
	 * @param mark a mark from {@link #mark()}
	 * @param timeout the longest wait
	 * @throws InterruptedException if interrupted
	 */
	void await(long mark, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			long remaining = timeout.toMillis();
			while (this.generation == mark && remaining > 0) {
				this.monitor.wait(remaining);
				remaining = (deadline - System.nanoTime()) / 1_000_000;
			}
		}
	}

	/**
	 * Listens for committed deliveries on a connection of its own until interrupted,
	 * reconnecting after a failure.
	 * @param pollInterval how often the connection is checked
	 */
	void listen(Duration pollInterval) {
		while (!Thread.currentThread().isInterrupted()) {
			try (Connection connection = this.dataSource.getConnection()) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("listen " + CHANNEL);
				}
				PGConnection postgres = connection.unwrap(PGConnection.class);
				signal();
				while (!Thread.currentThread().isInterrupted()) {
					PGNotification[] notifications = postgres
						.getNotifications((int) Math.max(1, Math.min(pollInterval.toMillis(), Integer.MAX_VALUE)));
					if (notifications != null && notifications.length > 0) {
						signal();
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (Thread.currentThread().isInterrupted()) {
					return;
				}
				logger.debug("Webhook listener: {}; senders poll until it listens again", ex.getMessage());
				try {
					Thread.sleep(pollInterval.toMillis());
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

}
