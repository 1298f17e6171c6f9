// The dashboard: plain JavaScript against /api/v1, no build step.
// The API key lives in sessionStorage and travels only in the Authorization header; the event
// stream is read with fetch() because EventSource cannot send headers.
(function () {
	'use strict';

	const KEY = window.veoUpscale.KEY;
	const BATCHES = 'veo-upscale.batches';
	const FILTER = 'veo-upscale.filter';
	const RECONNECT_MS = 2000;

	const $ = (id) => document.getElementById(id);
	const batches = new Map();
	let generations = [];

	// ---- API ---------------------------------------------------------------------------

	const { Unauthorized, api } = window.veoUpscale;

	function handle(error, target) {
		if (error instanceof Unauthorized) {
			signOut(error.message);
			return;
		}
		if (error.name === 'AbortError') {
			return;
		}
		$(target).textContent = error.message;
	}

	// ---- sign in -----------------------------------------------------------------------

	function showLogin(message) {
		$('login').hidden = false;
		$('app').hidden = true;
		$('sign-out').hidden = true;
		$('login-error').textContent = message || '';
		$('api-key').focus();
	}

	async function showApp() {
		$('login').hidden = true;
		$('app').hidden = false;
		$('sign-out').hidden = false;
		await loadGenerations();
		restoreBatches();
	}

	function signOut(message) {
		sessionStorage.removeItem(KEY);
		sessionStorage.removeItem(BATCHES);
		for (const batch of batches.values()) {
			stopStream(batch);
		}
		batches.clear();
		$('batches').replaceChildren();
		$('no-batches').hidden = false;
		showLogin(message);
	}

	$('login-form').addEventListener('submit', async (event) => {
		event.preventDefault();
		sessionStorage.setItem(KEY, $('api-key').value.trim());
		$('api-key').value = '';
		try {
			await api('/generations?limit=1');
			await showApp();
		}
		catch (error) {
			if (error instanceof Unauthorized) {
				sessionStorage.removeItem(KEY);
				showLogin(error.message);
			}
			else {
				$('login-error').textContent = error.message;
			}
		}
	});

	$('sign-out').addEventListener('click', () => signOut(''));

	// ---- generations -------------------------------------------------------------------

	function filterQuery(overrides = {}) {
		const params = new URLSearchParams();
		const projectId = overrides.projectId ?? $('project').value.trim();
		const status = overrides.status ?? $('status').value;
		const withoutUpscale = overrides.withoutUpscale ?? $('without-upscale').checked;
		if (projectId) {
			params.set('projectId', projectId);
		}
		if (status) {
			params.set('status', status);
		}
		if (withoutUpscale) {
			params.set('hasUpscale', 'false');
		}
		params.set('limit', String(overrides.limit ?? 200));
		return '/generations?' + params;
	}

	async function loadGenerations() {
		const selected = new Set(selectedIds());
		try {
			generations = (await api(filterQuery())).data;
			$('generation-note').textContent = generations.length ? '' : 'No source video matches.';
		}
		catch (error) {
			handle(error, 'generation-note');
			return;
		}
		const rows = generations.map((generation) => {
			const row = element('tr', { 'data-id': generation.id });
			const box = element('input', { type: 'checkbox', class: 'pick', value: generation.id });
			box.checked = selected.has(generation.id);
			row.append(cell(box), cell(generation.id), cell(generation.projectId),
					cell(badge(generation.status)), cell(generation.hasUpscale ? 'yes' : '—'),
					cell(new Date(generation.createdAt).toLocaleString()));
			return row;
		});
		$('generation-rows').replaceChildren(...rows);
		updateSelection();
	}

	function selectedIds() {
		return [...document.querySelectorAll('#generation-rows input.pick:checked')].map((box) => box.value);
	}

	function updateSelection() {
		const boxes = document.querySelectorAll('#generation-rows input.pick');
		const count = selectedIds().length;
		$('selected-count').textContent = String(count);
		$('start-selected').disabled = count === 0;
		$('select-all').checked = boxes.length > 0 && count === boxes.length;
	}

	$('filter-form').addEventListener('submit', (event) => {
		event.preventDefault();
		sessionStorage.setItem(FILTER, JSON.stringify({
			projectId: $('project').value.trim(), status: $('status').value, withoutUpscale: $('without-upscale').checked
		}));
		loadGenerations();
	});

	function restoreFilter() {
		try {
			const filter = JSON.parse(sessionStorage.getItem(FILTER) || '{}');
			$('project').value = filter.projectId || '';
			$('status').value = filter.status || '';
			$('without-upscale').checked = filter.withoutUpscale === true;
		}
		catch (ignored) {
			// the defaults
		}
	}
	$('generation-rows').addEventListener('change', updateSelection);
	$('select-all').addEventListener('change', () => {
		for (const box of document.querySelectorAll('#generation-rows input.pick')) {
			box.checked = $('select-all').checked;
		}
		updateSelection();
	});

	// ---- starting batches --------------------------------------------------------------

	async function startBatch(sourceIds) {
		$('batch-error').textContent = '';
		const delay = $('delay');
		if (!delay.reportValidity()) {
			return;
		}
		if (sourceIds.length === 0) {
			$('batch-error').textContent = 'Nothing to upscale.';
			return;
		}
		try {
			const body = await api('/upscale-batches', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({
					requests: sourceIds.map((id) => ({ sourceGenerationId: id })),
					delayMs: Number(delay.value)
				})
			});
			const batch = track(body.data.batchId, body.data.total);
			render(batch);
			openStream(batch);
		}
		catch (error) {
			handle(error, 'batch-error');
		}
	}

	$('batch-form').addEventListener('submit', (event) => {
		event.preventDefault();
		startBatch(selectedIds());
	});

	$('start-all-pending').addEventListener('click', async () => {
		const projectId = $('project').value.trim();
		if (!projectId) {
			$('batch-error').textContent = 'Enter a project first.';
			return;
		}
		try {
			const pending = (await api(filterQuery({ projectId, status: 'completed', withoutUpscale: true, limit: 500 }))).data;
			await startBatch(pending.map((generation) => generation.id));
		}
		catch (error) {
			handle(error, 'batch-error');
		}
	});

	// ---- batch state -------------------------------------------------------------------

	function track(batchId, total, lastEventId = 0) {
		let batch = batches.get(batchId);
		if (!batch) {
			batch = {
				batchId, total, lastEventId, status: 'queued', lines: new Map(), items: new Map(),
				controller: null, retry: null, view: null, successCount: 0, failureCount: 0
			};
			batches.set(batchId, batch);
			save();
		}
		return batch;
	}

	function save() {
		const stored = [...batches.values()].map((batch) => ({
			batchId: batch.batchId, total: batch.total, lastEventId: batch.lastEventId
		}));
		sessionStorage.setItem(BATCHES, JSON.stringify(stored));
	}

	function item(batch, index, sourceGenerationId) {
		let found = batch.items.get(index);
		if (!found) {
			found = { index, sourceGenerationId, upscaleId: null, upscaleStatus: null, videoUrl: null, error: null };
			batch.items.set(index, found);
		}
		if (sourceGenerationId) {
			found.sourceGenerationId = sourceGenerationId;
		}
		return found;
	}

	// The seed's progress line: "[index/total] sourceGenerationId: upscaleId" or ": error".
	function progressLine(index, total, sourceGenerationId, success, upscaleIdOrError) {
		return { text: '[' + index + '/' + total + '] ' + sourceGenerationId + ': ' + upscaleIdOrError, success };
	}

	function applyView(batch, view) {
		batch.total = view.total;
		batch.status = view.status;
		batch.successCount = view.successCount;
		batch.failureCount = view.failureCount;
		for (const viewItem of view.items) {
			const known = item(batch, viewItem.index, viewItem.sourceGenerationId);
			if (viewItem.success === true) {
				known.upscaleId = viewItem.upscaleId;
				batch.lines.set(viewItem.index, progressLine(viewItem.index, view.total, viewItem.sourceGenerationId,
						true, viewItem.upscaleId));
			}
			else if (viewItem.success === false) {
				known.error = viewItem.error;
				batch.lines.set(viewItem.index, progressLine(viewItem.index, view.total, viewItem.sourceGenerationId,
						false, viewItem.error));
			}
			if (viewItem.upscaleStatus) {
				known.upscaleStatus = viewItem.upscaleStatus;
			}
			known.upscaleError = viewItem.upscaleError || known.upscaleError;
			videoLink(batch, known);
		}
	}

	function applyEvent(batch, type, event) {
		switch (type) {
			case 'veo3:batch:upscale:started':
				batch.total = event.total;
				if (batch.status === 'queued') {
					batch.status = 'running';
				}
				event.sourceGenerationIds.forEach((id, i) => item(batch, i + 1, id));
				break;
			case 'veo3:batch:upscale:progress': {
				batch.total = event.total;
				if (batch.status === 'queued') {
					batch.status = 'running';
				}
				const known = item(batch, event.index, event.sourceGenerationId);
				if (event.success) {
					known.upscaleId = event.upscaleId;
					known.upscaleStatus = known.upscaleStatus || 'pending';
				}
				else {
					known.error = event.error;
				}
				batch.lines.set(event.index, progressLine(event.index, event.total, event.sourceGenerationId,
						event.success, event.success ? event.upscaleId : event.error));
				break;
			}
			case 'veo3:batch:upscale:completed':
				batch.status = 'completed';
				batch.total = event.total;
				batch.successCount = event.successCount;
				batch.failureCount = event.failureCount;
				loadGenerations();
				break;
			case 'veo3:upscale:status':
				for (const known of batch.items.values()) {
					if (known.upscaleId === event.upscaleId) {
						known.upscaleStatus = event.status;
						known.upscaleError = event.error || known.upscaleError;
						videoLink(batch, known);
					}
				}
				break;
			default:
				break;
		}
	}

	// Flow signs video links for hours only, so a link is never taken from an event or the batch
	// state (a replay hands out old ones): it comes from GET /upscales/{id}, which renews a link
	// past its age, and it is renewed again before it is opened once it is older than this.
	const LINK_MAX_AGE_MS = 30 * 60 * 1000;

	function videoLink(batch, known) {
		if (known.upscaleStatus !== 'completed' || !known.upscaleId || known.linkRequested) {
			return;
		}
		known.linkRequested = true;
		fetchVideoLink(known)
			.then(() => render(batch))
			.catch((error) => {
				known.linkRequested = false;
				if (error instanceof Unauthorized) {
					signOut(error.message);
				}
			});
	}

	async function fetchVideoLink(known) {
		const body = await api('/upscales/' + encodeURIComponent(known.upscaleId));
		known.videoUrl = body.data.videoUrl || null;
		known.videoUrlAt = Date.now();
		return known.videoUrl;
	}

	async function openVideo(event, batch, known) {
		if (Date.now() - known.videoUrlAt < LINK_MAX_AGE_MS) {
			return;
		}
		event.preventDefault();
		const opened = window.open('', '_blank');
		if (opened) {
			opened.opener = null;
		}
		try {
			const url = await fetchVideoLink(known);
			if (opened && url) {
				opened.location.href = url;
			}
			else if (opened) {
				opened.close();
			}
		}
		catch (error) {
			if (opened) {
				opened.close();
			}
			if (error instanceof Unauthorized) {
				signOut(error.message);
			}
		}
		render(batch);
	}

	// A batch needs no stream once it is completed and every upscale it started has ended.
	function finished(batch) {
		if (batch.status !== 'completed' && batch.status !== 'cancelled') {
			return false;
		}
		for (const known of batch.items.values()) {
			if (known.upscaleId && known.upscaleStatus !== 'completed' && known.upscaleStatus !== 'failed') {
				return false;
			}
		}
		return true;
	}

	// ---- the event stream --------------------------------------------------------------

	function openStream(batch) {
		if (batch.controller || finished(batch)) {
			return;
		}
		const controller = new AbortController();
		batch.controller = controller;
		const headers = {
			Authorization: 'Bearer ' + sessionStorage.getItem(KEY),
			Accept: 'text/event-stream',
			'Last-Event-ID': String(batch.lastEventId)
		};
		fetch('api/v1/events?batchId=' + encodeURIComponent(batch.batchId),
				{ headers, signal: controller.signal, cache: 'no-store' })
			.then((response) => {
				if (response.status === 401) {
					throw new Unauthorized('The API key was not accepted');
				}
				if (!response.ok || !response.body) {
					throw new Error('Event stream answered HTTP ' + response.status);
				}
				return readFrames(response.body, (frame) => onFrame(batch, frame));
			})
			.catch((error) => {
				if (error instanceof Unauthorized) {
					signOut(error.message);
				}
			})
			.finally(() => {
				if (batch.controller !== controller) {
					return;
				}
				batch.controller = null;
				if (!controller.signal.aborted && batches.get(batch.batchId) === batch && !finished(batch)) {
					batch.retry = setTimeout(() => openStream(batch), RECONNECT_MS);
				}
			});
	}

	function stopStream(batch) {
		clearTimeout(batch.retry);
		if (batch.controller) {
			const controller = batch.controller;
			batch.controller = null;
			controller.abort();
		}
	}

	// Parses text/event-stream (id, event, data fields; blank line ends a frame; ':' comments).
	async function readFrames(body, onFrameRead) {
		const reader = body.pipeThrough(new TextDecoderStream()).getReader();
		let buffer = '';
		let frame = { id: null, event: 'message', data: [] };
		for (;;) {
			const { value, done } = await reader.read();
			if (done) {
				return;
			}
			buffer += value;
			let end;
			while ((end = buffer.search(/\r\n|\n|\r/)) >= 0) {
				if (buffer[end] === '\r' && end === buffer.length - 1) {
					break; // a CR at the end of a chunk may be half of a CRLF
				}
				const line = buffer.slice(0, end);
				buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
				if (line === '') {
					if (frame.data.length) {
						onFrameRead({ id: frame.id, event: frame.event, data: frame.data.join('\n') });
					}
					frame = { id: null, event: 'message', data: [] };
					continue;
				}
				if (line.startsWith(':')) {
					continue;
				}
				const colon = line.indexOf(':');
				const field = colon < 0 ? line : line.slice(0, colon);
				let content = colon < 0 ? '' : line.slice(colon + 1);
				if (content.startsWith(' ')) {
					content = content.slice(1);
				}
				if (field === 'id') {
					frame.id = content;
				}
				else if (field === 'event') {
					frame.event = content;
				}
				else if (field === 'data') {
					frame.data.push(content);
				}
			}
		}
	}

	function onFrame(batch, frame) {
		let event;
		try {
			event = JSON.parse(frame.data);
		}
		catch (ignored) {
			return;
		}
		if (event.batchId !== batch.batchId) {
			return;
		}
		applyEvent(batch, frame.event, event);
		const seq = Number(frame.id);
		if (Number.isFinite(seq) && seq > batch.lastEventId) {
			batch.lastEventId = seq;
			save();
		}
		if (finished(batch)) {
			stopStream(batch);
		}
		render(batch);
	}

	// ---- after a page refresh ----------------------------------------------------------

	function restoreBatches() {
		let stored = [];
		try {
			stored = JSON.parse(sessionStorage.getItem(BATCHES) || '[]');
		}
		catch (ignored) {
			// start afresh
		}
		for (const entry of stored) {
			if (batches.has(entry.batchId)) {
				continue;
			}
			const batch = track(entry.batchId, entry.total, entry.lastEventId || 0);
			render(batch);
			api('/upscale-batches/' + encodeURIComponent(batch.batchId))
				.then((body) => applyView(batch, body.data))
				.catch((error) => {
					if (error instanceof Unauthorized) {
						throw error;
					}
					// 404 for a batch the gateway no longer knows (past its retention): the stream's replay fills it in
				})
				.then(() => {
					render(batch);
					openStream(batch);
				})
				.catch((error) => handle(error, 'batch-error'));
		}
	}

	// ---- rendering ---------------------------------------------------------------------

	function render(batch) {
		if (!batch.view) {
			batch.view = $('batch-template').content.firstElementChild.cloneNode(true);
			batch.view.dataset.batchId = batch.batchId;
			batch.view.querySelector('.batch-id').textContent = batch.batchId;
			batch.view.querySelector('.dismiss').addEventListener('click', () => {
				stopStream(batch);
				batches.delete(batch.batchId);
				batch.view.remove();
				save();
				$('no-batches').hidden = batches.size > 0;
			});
			$('batches').prepend(batch.view);
			$('no-batches').hidden = true;
		}
		const view = batch.view;
		const done = batch.lines.size;
		view.dataset.status = batch.status;
		const status = view.querySelector('.batch-status');
		status.textContent = batch.status;
		status.className = 'badge batch-status ' + batch.status;
		const failures = [...batch.lines.values()].filter((line) => !line.success).length;
		view.querySelector('.batch-summary').textContent =
			(done - failures) + ' started, ' + failures + ' failed' + (batch.controller ? ' · live' : '');
		const bar = view.querySelector('.bar');
		bar.setAttribute('aria-valuemax', String(batch.total));
		bar.setAttribute('aria-valuenow', String(done));
		view.querySelector('.bar-fill').style.width = (batch.total ? (100 * done / batch.total) : 0) + '%';
		view.querySelector('.bar-fill').classList.toggle('with-errors', failures > 0);
		view.querySelector('.progress-text').textContent = done + '/' + batch.total;

		const lines = [...batch.lines.entries()].sort((a, b) => a[0] - b[0]).map(([index, line]) => {
			const li = element('li', { class: line.success ? 'ok' : 'failed', 'data-index': index });
			li.textContent = line.text;
			return li;
		});
		view.querySelector('.lines').replaceChildren(...lines);

		const rows = [...batch.items.values()].sort((a, b) => a.index - b.index).map((known) => {
			const row = element('tr', { 'data-index': known.index });
			let video = '—';
			if (known.videoUrl && /^https?:\/\//i.test(known.videoUrl)) {
				video = element('a', { class: 'video', href: known.videoUrl, target: '_blank', rel: 'noopener noreferrer' });
				video.textContent = 'open video';
				video.addEventListener('click', (event) => openVideo(event, batch, known));
			}
			else if (known.upscaleError) {
				video = known.upscaleError;
			}
			const upscaleStatus = known.upscaleStatus || (known.error ? 'not started' : '…');
			const statusCell = cell(badge(upscaleStatus));
			statusCell.classList.add('upscale-status');
			statusCell.title = known.error || '';
			row.append(cell(String(known.index)), cell(known.sourceGenerationId || ''), cell(known.upscaleId || '—'),
					statusCell, cell(video));
			return row;
		});
		view.querySelector('.items tbody').replaceChildren(...rows);
	}

	function element(name, attributes = {}) {
		const created = document.createElement(name);
		for (const [key, value] of Object.entries(attributes)) {
			created.setAttribute(key, value);
		}
		return created;
	}

	function cell(content) {
		const td = document.createElement('td');
		td.append(content);
		return td;
	}

	function badge(text) {
		const span = element('span', { class: 'badge ' + text.replace(/\s+/g, '-') });
		span.textContent = text;
		return span;
	}

	// ---- start -------------------------------------------------------------------------

	restoreFilter();
	if (sessionStorage.getItem(KEY)) {
		showApp().catch((error) => handle(error, 'generation-note'));
	}
	else {
		showLogin('');
	}
})();
