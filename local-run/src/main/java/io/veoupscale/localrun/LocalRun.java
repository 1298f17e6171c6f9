package io.veoupscale.localrun;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import org.springframework.boot.logging.LoggingSystem;

/**
 * The one command that runs the whole system on a machine with only a JDK: starts it,
 * prints how to use it, and stops it on Ctrl-C.
 */
public final class LocalRun {

	private LocalRun() {
	}

	public static void main(String[] args) {
		if (args.length > 0) {
			boolean help = "--help".equals(args[0]) || "-h".equals(args[0]);
			(help ? System.out : System.err).print(LocalSettings.HELP);
			System.exit(help ? 0 : 2);
		}
		// One logging configuration (logback.xml) for the whole process, instead of each
		// service's context re-initialising Logback as it starts.
		System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		SLF4JBridgeHandler.removeHandlersForRootLogger();
		SLF4JBridgeHandler.install();
		Logger logger = LoggerFactory.getLogger(LocalRun.class);
		LocalSettings settings;
		try {
			settings = LocalSettings.from(System.getenv(), new SecureRandom());
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		LocalSystem system = new LocalSystem(settings);
		Runtime.getRuntime().addShutdownHook(new Thread(system::stop, "local-run-stop"));
		LocalSystem.Ready ready;
		try {
			ready = system.start();
		}
		catch (RuntimeException ex) {
			if (system.isStopped()) {
				return;
			}
			if (ex instanceof LocalSystem.NotStarted) {
				logger.error("The local run did not start: {}", ex.getMessage());
			}
			else {
				logger.error("The local run did not start: {}", ex.getMessage(), ex);
			}
			System.exit(1);
			return;
		}
		Duration startup = Duration
			.ofMillis(System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
		System.out.println(ReadyBanner.render(ready, settings, startup));
	}

}
