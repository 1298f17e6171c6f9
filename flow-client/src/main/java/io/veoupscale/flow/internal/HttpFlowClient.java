package io.veoupscale.flow.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.veoupscale.flow.AccountCredits;
import io.veoupscale.flow.FlowAlreadyExistsException;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowOutcomeUnknownException;
import io.veoupscale.flow.FlowProperties;
import io.veoupscale.flow.MediaGenerationStatus;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.StartTiming;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.StatusReport;
import io.veoupscale.flow.UpscaleStart;
import org.apache.hc.core5.util.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * {@link FlowClient} over HTTP: declared exchanges on a {@link RestClient} that never
 * follows redirects, a token cache per session, one token refresh on a 401, and a timer
 * per call. Requests go out on Apache HttpClient's blocking connections, written by the
 * calling thread itself: nothing stands between a start's turn and the wire but the
 * write, and nothing is retried behind the caller's back. Longer than most classes: it is
 * the one implementation of every call of {@link io.veoupscale.flow.FlowClient}.
 */
public final class HttpFlowClient implements FlowClient {

	private static final Logger logger = LoggerFactory.getLogger(HttpFlowClient.class);

	private static final String FULL_MEDIA = "MEDIA_URL_TYPE_FULL_MEDIA";

	/**
	 * A pooled connection idle this long is checked before reuse, so a start is not
	 * written into a connection the server has already closed.
	 */
	private static final Duration VALIDATE_AFTER_INACTIVITY = Duration.ofSeconds(2);

	/**
	 * Pooled connections idle this long are closed, well before servers drop them.
	 */
	private static final Duration IDLE_CONNECTION_LIFETIME = Duration.ofSeconds(20);

	/**
	 * The timing of the start call the current thread is making, if any.
	 */
	private static final ThreadLocal<CallTiming> START_TIMING = new ThreadLocal<>();

	private final FlowVideoApi video;

	private final FlowLabsApi labs;

	private final FlowSessions sessions;

	private final Dialect dialect;

	private final Map<String, String> modelAliases;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Tracer tracer;

	/**
	 * Each session's account tier as Flow's credits call last reported it, sent with its
	 * starts; a session unused for a day is forgotten.
	 */
	private final Map<String, String> tiers = Caffeine.newBuilder()
		.expireAfterAccess(FlowSessions.IDLE_SESSION)
		.<String, String>build()
		.asMap();

	private HttpFlowClient(FlowVideoApi video, FlowLabsApi labs, FlowSessions sessions, Dialect dialect,
			Map<String, String> modelAliases, Clock clock, MeterRegistry meters, Tracer tracer) {
		this.tracer = tracer;
		this.video = video;
		this.labs = labs;
		this.sessions = sessions;
		this.dialect = dialect;
		this.modelAliases = Map.copyOf(modelAliases);
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * Creates a client for the configured hosts and dialect.
	 * @param properties the Flow settings
	 * @param restClients a builder with the application's message converters
	 * @param meters where call timings go
	 * @return the client
	 */
	public static HttpFlowClient create(FlowProperties properties, RestClient.Builder restClients,
			MeterRegistry meters) {
		return create(properties, restClients, meters, Tracer.NOOP);
	}

	/**
	 * Creates a client for the configured hosts and dialect whose calls are client spans
	 * ({@code flow <call>}), tagged with the call, its HTTP status and outcome only: no
	 * header, body or URL of a Flow request (they hold cookies, tokens and reCAPTCHA
	 * answers) is recorded, and no trace header is sent to Flow.
	 * @param properties the Flow settings
	 * @param restClients a builder with the application's message converters
	 * @param meters where call timings go
	 * @param tracer where the calls' spans go
	 * @return the client
	 */
	public static HttpFlowClient create(FlowProperties properties, RestClient.Builder restClients, MeterRegistry meters,
			Tracer tracer) {
		ClientHttpRequestFactory requests = ClientHttpRequestFactoryBuilder.httpComponents()
			.withHttpClientCustomizer((client) -> client.disableAutomaticRetries()
				.evictIdleConnections(TimeValue.of(IDLE_CONNECTION_LIFETIME)))
			.withConnectionManagerCustomizer((pool) -> pool.setMaxConnPerRoute(properties.maxConnections())
				.setMaxConnTotal(2 * properties.maxConnections()))
			.withConnectionConfigCustomizer(
					(connections) -> connections.setValidateAfterInactivity(TimeValue.of(VALIDATE_AFTER_INACTIVITY)))
			.build(HttpClientSettings.defaults()
				.withRedirects(HttpRedirects.DONT_FOLLOW)
				.withTimeouts(properties.connectTimeout(), properties.readTimeout()));
		RestClient.Builder base = restClients.clone()
			.observationRegistry(ObservationRegistry.NOOP)
			.requestFactory(requests)
			.requestInterceptor((request, body, execution) -> {
				CallTiming timing = START_TIMING.get();
				if (timing == null || request.getMethod() != HttpMethod.POST) {
					return execution.execute(request, body);
				}
				timing.beforeSend();
				ClientHttpResponse response = execution.execute(request, body);
				timing.answered();
				return response;
			})
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
				throw FlowErrors.fromResponse(response);
			});
		FlowVideoApi video = proxy(base.clone().baseUrl(properties.apiBaseUrl().toString()).build(),
				FlowVideoApi.class);
		FlowLabsApi labs = proxy(base.clone().baseUrl(properties.labsBaseUrl().toString()).build(), FlowLabsApi.class);
		Clock clock = Clock.systemUTC();
		return new HttpFlowClient(video, labs, new FlowSessions(labs, clock, properties.tokenRefreshMargin()),
				Dialect.of(properties.dialect()), properties.modelAliases().of(properties.dialect()), clock, meters,
				tracer);
	}

	private static <T> T proxy(RestClient client, Class<T> type) {
		return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(client)).build().createClient(type);
	}

	@Override
	public boolean prepareSession(String sessionToken) {
		return timed("session", false, () -> this.sessions.prepare(sessionToken));
	}

	@Override
	public String modelKey(String model) {
		return this.modelAliases.getOrDefault(model, model);
	}

	@Override
	public StartedUpscale startUpscale(String sessionToken, UpscaleStart start, StartTiming timing) {
		JsonNode body = this.dialect.startBody(start, this.tiers.get(sessionToken), this.clock.millis());
		JsonNode response;
		START_TIMING.set(new CallTiming(timing));
		try {
			response = timed("start", true,
					() -> withToken(sessionToken, (authorization) -> this.video.startUpscale(authorization, body)));
		}
		catch (FlowAlreadyExistsException ex) {
			if (ex.operationName() == null) {
				throw ex;
			}
			logger.info(
					"Flow already runs scene {} as operation {} (an earlier start took effect); tracked as initiated",
					start.sceneId(), ex.operationName());
			return new StartedUpscale(ex.operationName(), start.sceneId(), MediaGenerationStatus.PENDING, null);
		}
		finally {
			START_TIMING.remove();
		}
		StartedUpscale started = this.dialect.parseStart(response, start);
		if (started == null) {
			throw new FlowOutcomeUnknownException(
					"Flow accepted the start of scene " + start.sceneId() + " but its answer names no operation",
					new IllegalStateException(response.toString()));
		}
		return started;
	}

	@Override
	public StatusReport checkStatus(String sessionToken, List<MediaRef> media) {
		JsonNode body = this.dialect.checkBody(media);
		JsonNode response = timed("check", false,
				() -> withToken(sessionToken, (authorization) -> this.video.checkStatus(authorization, body)));
		return this.dialect.parseCheck(response);
	}

	@Override
	public Optional<String> videoUrl(String sessionToken, String mediaName) {
		return timed("media", false, () -> {
			try {
				ResponseEntity<Void> redirect = this.labs.mediaUrlRedirect(FlowSessions.cookieHeader(sessionToken),
						mediaName, FULL_MEDIA);
				return Optional.ofNullable(redirect.getHeaders().getLocation()).map(Object::toString);
			}
			catch (FlowException ex) {
				if (ex.httpStatus() == 404) {
					return Optional.empty();
				}
				throw ex;
			}
		});
	}

	@Override
	public void cancelGeneration(String sessionToken, String mediaName) {
		tools.jackson.databind.node.ObjectNode body = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
		body.put("mediaId", mediaName);
		timed("cancel", false,
				() -> withToken(sessionToken, (authorization) -> this.video.cancelGeneration(authorization, body)));
	}

	@Override
	public AccountCredits credits(String sessionToken) {
		JsonNode response = timed("credits", false,
				() -> withToken(sessionToken, (authorization) -> this.video.credits(authorization)));
		AccountCredits credits = Dialect.parseCredits(response);
		if (credits.rawTier() != null) {
			this.tiers.put(sessionToken, credits.rawTier());
		}
		return credits;
	}

	private <T> T withToken(String sessionToken, Function<String, T> call) {
		String token = this.sessions.accessToken(sessionToken);
		try {
			return call.apply("Bearer " + token);
		}
		catch (FlowErrors.FlowUnauthenticatedException ex) {
			this.sessions.invalidate(sessionToken, token);
			return call.apply("Bearer " + this.sessions.accessToken(sessionToken));
		}
	}

	private <T> T timed(String call, boolean mayTakeEffect, java.util.function.Supplier<T> action) {
		Timer.Sample sample = Timer.start(this.meters);
		Span span = this.tracer.spanBuilder().name("flow " + call).kind(Span.Kind.CLIENT).start();
		String outcome = "success";
		int status = 200;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return action.get();
		}
		catch (ResourceAccessException ex) {
			FlowException failure = FlowErrors.fromIo(ex, mayTakeEffect);
			outcome = failure.getClass().getSimpleName();
			status = failure.httpStatus();
			throw failure;
		}
		catch (FlowException ex) {
			outcome = ex.getClass().getSimpleName();
			status = ex.httpStatus();
			throw ex;
		}
		finally {
			sample.stop(Timer.builder("upscale.upstream.latency")
				.description("Latency of calls to Flow")
				.tag("call", call)
				.tag("outcome", outcome)
				.register(this.meters));
			if (!span.isNoop()) {
				span.tag("flow.operation", call).tag("outcome", outcome);
				if (status > 0) {
					span.tag("http.response.status_code", status);
				}
			}
			span.end();
		}
	}

	/**
	 * A start call's timing: its turn is taken before the first request only (a request
	 * repeated after a token refresh goes out at once), its answer is told each time.
	 */
	private static final class CallTiming implements StartTiming {

		private final StartTiming timing;

		private boolean sent;

		CallTiming(StartTiming timing) {
			this.timing = timing;
		}

		@Override
		public void beforeSend() {
			if (!this.sent) {
				this.sent = true;
				this.timing.beforeSend();
			}
		}

		@Override
		public void answered() {
			this.timing.answered();
		}

	}

}
