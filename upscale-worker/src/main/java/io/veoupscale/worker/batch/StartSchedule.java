package io.veoupscale.worker.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * Which waiting start goes next, in this instance, per profile. Every leased batch whose
 * next item is ready waits in the lane of that item's profile until its own time (its
 * batch's delay after Flow answered its previous start). Lanes are independent: a
 * profile's backlog never holds up another profile. Within a lane, when the profile's
 * turn comes, the oldest batch (by when it was taken in) among those whose time has come
 * goes first; with a spacing the profile has one start in flight at a time, and the next
 * comes the spacing after Flow answered it. Pure bookkeeping on given instants, not
 * thread-safe: the scheduler calls it under its lock.
 */
final class StartSchedule {

	private static final Comparator<Waiting> OLDEST_FIRST = Comparator.comparing(Waiting::receivedAt)
		.thenComparing(Waiting::batchId);

	private final Duration spacing;

	private final Map<String, Lane> lanes = new HashMap<>();

	private int waiting;

	/**
	 * @param spacing the least time from Flow's answer to a profile's start to its next
	 * start; zero for no spacing and no limit on starts in flight
	 */
	StartSchedule(Duration spacing) {
		this.spacing = spacing;
	}

	/**
	 * Puts a batch's next start in its profile's lane.
	 * @param due the earliest moment it may leave
	 */
	void offer(String profileId, String batchId, Instant receivedAt, Instant due) {
		Lane lane = this.lanes.computeIfAbsent(profileId, (id) -> new Lane());
		if (lane.waiting.put(new Waiting(receivedAt, batchId), due) == null) {
			this.waiting++;
		}
	}

	/**
	 * Takes the profile's starts whose turn comes by the horizon: with a spacing at most
	 * one, and none while a start of the profile is in flight.
	 * @param horizon the latest moment a start taken now may be set to leave
	 * @return the turns, each with the moment its start leaves
	 */
	List<Turn> take(String profileId, Instant horizon) {
		Lane lane = this.lanes.get(profileId);
		List<Turn> turns = new ArrayList<>();
		if (lane == null || (oneAtATime() && lane.inFlight)
				|| (lane.notBefore != null && lane.notBefore.isAfter(horizon))) {
			return turns;
		}
		Iterator<Map.Entry<Waiting, Instant>> entries = lane.waiting.entrySet().iterator();
		while (entries.hasNext()) {
			Map.Entry<Waiting, Instant> entry = entries.next();
			String batchId = entry.getKey().batchId();
			Instant due = entry.getValue();
			if (!due.isAfter(horizon)) {
				// Read before removing: a TreeMap may reuse a removed entry for its
				// successor.
				entries.remove();
				this.waiting--;
				turns.add(new Turn(profileId, batchId, latest(due, lane.notBefore)));
				if (oneAtATime()) {
					lane.inFlight = true;
					break;
				}
			}
		}
		return turns;
	}

	/**
	 * When the profile's next turn comes, if a start waits for it.
	 * @return the moment, or null when nothing waits or a start is in flight
	 */
	@Nullable Instant nextTurnAt(String profileId) {
		Lane lane = this.lanes.get(profileId);
		if (lane == null || lane.waiting.isEmpty() || (oneAtATime() && lane.inFlight)) {
			return null;
		}
		Instant earliest = null;
		for (Instant due : lane.waiting.values()) {
			earliest = (earliest == null || due.isBefore(earliest)) ? due : earliest;
		}
		return latest(earliest, lane.notBefore);
	}

	/**
	 * The profile's start in flight is over: Flow answered at {@code at}, or the call
	 * ended then without an answer.
	 */
	void settled(String profileId, Instant at) {
		Lane lane = this.lanes.get(profileId);
		if (lane != null) {
			lane.inFlight = false;
			if (oneAtATime()) {
				lane.notBefore = latest(at.plus(this.spacing), lane.notBefore);
			}
		}
	}

	/**
	 * A turn was given back without a start (PostgreSQL refused it, or the batch's lease
	 * was lost).
	 */
	void released(String profileId) {
		Lane lane = this.lanes.get(profileId);
		if (lane != null) {
			lane.inFlight = false;
		}
	}

	/**
	 * No start of the profile may leave before the given moment: a pause after a
	 * throttle, or another instance's turn.
	 */
	void holdUntil(String profileId, Instant until) {
		Lane lane = this.lanes.computeIfAbsent(profileId, (id) -> new Lane());
		lane.notBefore = latest(until, lane.notBefore);
	}

	/**
	 * Forgets a batch's waiting start, if it has one in that lane.
	 */
	void remove(String profileId, String batchId, Instant receivedAt) {
		Lane lane = this.lanes.get(profileId);
		if (lane != null && lane.waiting.remove(new Waiting(receivedAt, batchId)) != null) {
			this.waiting--;
		}
	}

	/**
	 * Forgets the lanes with nothing waiting or in flight whose hold has passed.
	 */
	void prune(Instant now) {
		this.lanes.values()
			.removeIf((lane) -> lane.waiting.isEmpty() && !lane.inFlight
					&& (lane.notBefore == null || !lane.notBefore.isAfter(now)));
	}

	/**
	 * How many starts wait for their turn.
	 */
	int waiting() {
		return this.waiting;
	}

	private boolean oneAtATime() {
		return !this.spacing.isZero();
	}

	private static Instant latest(Instant instant, @Nullable Instant other) {
		return (other != null && other.isAfter(instant)) ? other : instant;
	}

	/**
	 * A start whose turn has come.
	 *
	 * @param profileId the profile it is made with
	 * @param batchId its batch
	 * @param sendAt when it leaves
	 */
	record Turn(String profileId, String batchId, Instant sendAt) {
	}

	private record Waiting(Instant receivedAt, String batchId) implements Comparable<Waiting> {

		@Override
		public int compareTo(Waiting other) {
			return OLDEST_FIRST.compare(this, other);
		}

	}

	private static final class Lane {

		private final TreeMap<Waiting, Instant> waiting = new TreeMap<>();

		private boolean inFlight;

		private @Nullable Instant notBefore;

	}

}
