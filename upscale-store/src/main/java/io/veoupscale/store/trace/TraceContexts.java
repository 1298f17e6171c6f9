package io.veoupscale.store.trace;

import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Writes the current trace context as a W3C {@code traceparent} to keep with a row, and
 * makes a kept one current again, so that work done later (a batch's starts, an outbox
 * row's send, an upscale's checks) joins the trace that caused it. A context kept is a
 * parent, never a span of its own: restoring one costs a thread-local, and nothing is
 * recorded unless a span is started under it. Without a tracer both are no-ops.
 */
@Component
public class TraceContexts {

	private static final Scope NO_SCOPE = () -> {
	};

	private static final int LENGTH = 55;

	private final Tracer tracer;

	@Autowired
	TraceContexts(ObjectProvider<Tracer> tracer) {
		this(tracer.getIfAvailable(() -> Tracer.NOOP));
	}

	private TraceContexts(Tracer tracer) {
		this.tracer = tracer;
	}

	/**
	 * A helper on the given tracer.
	 * @param tracer the tracer
	 * @return the helper
	 */
	public static TraceContexts of(Tracer tracer) {
		return new TraceContexts(tracer);
	}

	/**
	 * The current context as a {@code traceparent}.
	 * @return {@code 00-<trace id>-<span id>-<flags>}, or null if no trace is current
	 */
	public @Nullable String current() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? traceparent(span.context()) : null;
	}

	/**
	 * Makes a kept context current until the scope closes; spans started meanwhile are
	 * its children.
	 * @param traceparent a {@code traceparent}, or null for none (a no-op)
	 * @return the scope to close
	 */
	public Scope open(@Nullable String traceparent) {
		if (!isValid(traceparent) || this.tracer == Tracer.NOOP) {
			return NO_SCOPE;
		}
		TraceContext context = this.tracer.traceContextBuilder()
			.traceId(traceparent.substring(3, 35))
			.spanId(traceparent.substring(36, 52))
			.sampled(traceparent.charAt(54) == '1' || traceparent.charAt(54) == '3')
			.build();
		CurrentTraceContext.Scope scope = this.tracer.currentTraceContext().newScope(context);
		return scope::close;
	}

	/**
	 * The trace id of a {@code traceparent}.
	 * @param traceparent a {@code traceparent}, or null
	 * @return its 32 lowercase hex digits, or null
	 */
	public static @Nullable String traceId(@Nullable String traceparent) {
		return isValid(traceparent) ? traceparent.substring(3, 35) : null;
	}

	/**
	 * The trace id of the current context.
	 * @return its 32 lowercase hex digits, or null if no trace is current
	 */
	public @Nullable String currentTraceId() {
		Span span = this.tracer.currentSpan();
		if (span == null) {
			return null;
		}
		String traceId = span.context().traceId();
		return (traceId.length() == 32) ? traceId : null;
	}

	static @Nullable String traceparent(TraceContext context) {
		String traceId = context.traceId();
		String spanId = context.spanId();
		if (traceId.length() != 32 || spanId.length() != 16) {
			return null;
		}
		return new StringBuilder(LENGTH).append("00-")
			.append(traceId)
			.append('-')
			.append(spanId)
			.append(Boolean.TRUE.equals(context.sampled()) ? "-01" : "-00")
			.toString();
	}

	static boolean isValid(@Nullable String traceparent) {
		return traceparent != null && traceparent.length() == LENGTH && traceparent.charAt(2) == '-'
				&& traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-';
	}

	/**
	 * A restored context's scope.
	 */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
