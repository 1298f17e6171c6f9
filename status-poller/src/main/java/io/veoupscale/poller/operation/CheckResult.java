package io.veoupscale.poller.operation;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one status check learned about one operation, before anything is decided.
 *
 * @param kind what happened
 * @param detail the video URL when completed, the reasons when failed, the reason of an
 * error or a throttle; otherwise none
 * @param retryAfter how long Flow asked to wait when it throttled, if it said
 */
record CheckResult(Kind kind, @Nullable String detail, @Nullable Duration retryAfter) {

	private static final CheckResult RUNNING = new CheckResult(Kind.RUNNING, null, null);

	private static final CheckResult ACTIVE = new CheckResult(Kind.ACTIVE, null, null);

	private static final CheckResult VIDEO_URL_NOT_READY = new CheckResult(Kind.VIDEO_URL_NOT_READY, null, null);

	static CheckResult running() {
		return RUNNING;
	}

	static CheckResult active() {
		return ACTIVE;
	}

	static CheckResult completed(String videoUrl) {
		return new CheckResult(Kind.COMPLETED, videoUrl, null);
	}

	static CheckResult videoUrlNotReady() {
		return VIDEO_URL_NOT_READY;
	}

	static CheckResult failed(String reasons) {
		return new CheckResult(Kind.FAILED, reasons, null);
	}

	static CheckResult error(String reason) {
		return new CheckResult(Kind.ERROR, reason, null);
	}

	static CheckResult throttled(String reason, @Nullable Duration retryAfter) {
		return new CheckResult(Kind.THROTTLED, reason, retryAfter);
	}

	enum Kind {

		/**
		 * Flow reports it queued or in a state this client does not know: still running.
		 */
		RUNNING,

		/** Flow reports it generating: still running, and the upscale is processing. */
		ACTIVE,

		/** Finished with a video whose URL is known. */
		COMPLETED,

		/** Finished with a video whose URL Flow cannot hand out yet. */
		VIDEO_URL_NOT_READY,

		/** Failed or cancelled at Flow. */
		FAILED,

		/** The check could not be made or answered. */
		ERROR,

		/** Flow throttled the profile's checks. */
		THROTTLED

	}

}
