package io.veoupscale.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * A client of the SSE endpoint that reads frames without a thread of its own, as a
 * browser's EventSource would.
 */
public final class SseStream implements AutoCloseable {

	private final List<Frame> frames = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final CompletableFuture<HttpResponse<Void>> response;

	private volatile HttpResponse.@Nullable ResponseInfo info;

	private volatile Flow.@Nullable Subscription subscription;

	private @Nullable String id;

	private @Nullable String event;

	private final StringBuilder data = new StringBuilder();

	private SseStream(HttpClient http, HttpRequest request) {
		this.response = http.sendAsync(request, (info) -> {
			this.info = info;
			return HttpResponse.BodySubscribers.fromLineSubscriber(new Reader());
		});
	}

	/**
	 * Opens a stream.
	 * @param client the gateway
	 * @param query the query string, starting with {@code ?}, or empty
	 * @param lastEventId the {@code Last-Event-ID} header, or {@code null}
	 * @return the stream
	 */
	public static SseStream open(GatewayClient client, String query, @Nullable String lastEventId) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.base() + "/api/v1/events" + query))
			.header("Accept", "text/event-stream")
			.header("Authorization", "Bearer " + GatewayClient.API_KEY);
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		return new SseStream(client.http(), request.GET().build());
	}

	public List<Frame> frames() {
		return List.copyOf(this.frames);
	}

	public List<String> comments() {
		return List.copyOf(this.comments);
	}

	public List<String> lines() {
		return List.copyOf(this.lines);
	}

	/**
	 * The status and headers, once they arrived.
	 * @return the response info, or {@code null}
	 */
	public HttpResponse.@Nullable ResponseInfo info() {
		return this.info;
	}

	/**
	 * The frames of one batch, in arrival order.
	 * @param batchId the batch
	 * @return its frames
	 */
	public List<Frame> framesOf(String batchId) {
		return this.frames.stream()
			.filter((frame) -> frame.data().contains("\"batchId\":\"" + batchId + "\""))
			.toList();
	}

	@Override
	public void close() {
		Flow.Subscription current = this.subscription;
		if (current != null) {
			current.cancel();
		}
		this.response.cancel(true);
	}

	private synchronized void line(String line) {
		this.lines.add(line);
		if (line.isEmpty()) {
			if (this.event != null || !this.data.isEmpty()) {
				this.frames.add(new Frame(this.id, this.event, this.data.toString()));
			}
			this.id = null;
			this.event = null;
			this.data.setLength(0);
		}
		else if (line.startsWith(":")) {
			this.comments.add(line.substring(1).trim());
		}
		else if (line.startsWith("id:")) {
			this.id = line.substring(3).trim();
		}
		else if (line.startsWith("event:")) {
			this.event = line.substring(6).trim();
		}
		else if (line.startsWith("data:")) {
			if (!this.data.isEmpty()) {
				this.data.append('\n');
			}
			this.data.append(line.substring(5).stripLeading());
		}
	}

	/**
	 * One SSE frame.
	 *
	 * @param id its {@code id:}
	 * @param event its {@code event:}
	 * @param data its {@code data:}
	 */
	public record Frame(@Nullable String id, @Nullable String event, String data) {
	}

	private final class Reader implements Flow.Subscriber<String> {

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			SseStream.this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String item) {
			line(item);
		}

		@Override
		public void onError(Throwable throwable) {
		}

		@Override
		public void onComplete() {
		}

	}

}
