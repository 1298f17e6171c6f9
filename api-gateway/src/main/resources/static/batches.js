// Batch control on the dashboard: every batch (not only this tab's), filterable by status and
// profile, with Cancel / Pause / Resume / Retry, and the profiles with a Pause / Resume switch.
// Kept apart from app.js: it shares only the signed-in API key (sessionStorage) and shows itself
// with the app. Effects show live: any batch event on the stream reloads the list.
(function () {
	'use strict';

	const KEY = window.veoUpscale.KEY;
	const RECONNECT_MS = 2000;
	const REFRESH_MS = 300;

	const app = document.getElementById('app');
	let section = null;
	let stream = null;
	let retry = null;
	let refresh = null;

	function el(name, attributes = {}, text) {
		const node = document.createElement(name);
		for (const [attribute, value] of Object.entries(attributes)) {
			node.setAttribute(attribute, value);
		}
		if (text !== undefined) {
			node.textContent = text;
		}
		return node;
	}

	const api = window.veoUpscale.api;

	// ---- layout -------------------------------------------------------------------------

	function build() {
		section = el('section', { class: 'card', id: 'batch-control' });
		section.append(el('h2', {}, 'All batches'));
		const filter = el('form', { class: 'row', id: 'bc-filter' });
		const status = el('select', { id: 'bc-status' });
		for (const value of ['', 'queued', 'running', 'paused', 'cancelling', 'completed', 'cancelled']) {
			status.append(el('option', { value }, value || 'any'));
		}
		const profile = el('select', { id: 'bc-profile' });
		profile.append(el('option', { value: '' }, 'any'));
		const statusLabel = el('label', {}, 'Status ');
		statusLabel.append(status);
		const profileLabel = el('label', {}, 'Profile ');
		profileLabel.append(profile);
		filter.append(statusLabel, profileLabel, el('button', { type: 'submit', id: 'bc-show' }, 'Show'));
		filter.addEventListener('submit', (event) => {
			event.preventDefault();
			loadBatches();
		});
		const table = el('table', { class: 'list' });
		const head = el('tr');
		for (const title of ['Batch', 'Status', 'Started / failed / total', 'Requested', 'Links', 'Actions']) {
			head.append(el('th', {}, title));
		}
		table.append(el('thead'), el('tbody', { id: 'bc-rows' }));
		table.tHead.append(head);
		const more = el('button', { type: 'button', id: 'bc-more', hidden: '' }, 'More');
		more.addEventListener('click', () => loadBatches(more.dataset.cursor));
		const profiles = el('table', { class: 'list', id: 'bc-profiles' });
		const profileHead = el('tr');
		for (const title of ['Profile', 'Name', 'State', '']) {
			profileHead.append(el('th', {}, title));
		}
		profiles.append(el('thead'), el('tbody', { id: 'bc-profile-rows' }));
		profiles.tHead.append(profileHead);
		section.append(filter, table, more, el('p', { class: 'error', id: 'bc-error', role: 'alert' }),
				el('h3', {}, 'Profiles'), profiles);
		section.addEventListener('click', onAction);
		app.append(section);
	}

	// ---- batches ------------------------------------------------------------------------

	async function loadBatches(cursor) {
		const query = new URLSearchParams({ limit: '50' });
		const status = document.getElementById('bc-status').value;
		const profile = document.getElementById('bc-profile').value;
		if (status) {
			query.set('status', status);
		}
		if (profile) {
			query.set('profileId', profile);
		}
		if (cursor) {
			query.set('cursor', cursor);
		}
		try {
			const page = (await api('/upscale-batches?' + query)).data;
			const rows = document.getElementById('bc-rows');
			if (!cursor) {
				rows.replaceChildren();
			}
			for (const batch of page.items) {
				rows.append(row(batch));
			}
			const more = document.getElementById('bc-more');
			more.hidden = !page.nextCursor;
			more.dataset.cursor = page.nextCursor || '';
		}
		catch (error) {
			document.getElementById('bc-error').textContent = error.message;
		}
	}

	function row(batch) {
		const tr = el('tr', { 'data-batch-id': batch.batchId });
		tr.append(el('td', { class: 'bc-id' }, batch.batchId));
		const status = el('td', { class: 'bc-state' });
		status.append(el('span', { class: 'badge ' + batch.status }, batch.status));
		tr.append(status);
		tr.append(el('td', { class: 'bc-counts' },
				batch.successCount + ' / ' + batch.failureCount + ' / ' + batch.total
				+ (batch.cancelledCount ? ' (' + batch.cancelledCount + ' cancelled)' : '')));
		tr.append(el('td', {}, new Date(batch.requestedAt).toLocaleString()));
		const links = el('td', { class: 'bc-links' });
		if (batch.retryOf) {
			links.append(el('span', { class: 'bc-retry-of' }, 'retry of ' + batch.retryOf));
		}
		if (batch.retriedBy) {
			links.append(el('span', { class: 'bc-retried-by' }, ' retried by ' + batch.retriedBy.join(', ')));
		}
		if (batch.traceId) {
			// Jaeger of docker-compose.yml's "observability" profile, beside this page.
			links.append(el('a', { class: 'bc-trace', title: 'trace ' + batch.traceId, target: '_blank', rel: 'noopener',
				href: location.protocol + '//' + location.hostname + ':16686/trace/' + batch.traceId }, ' trace'));
		}
		tr.append(links);
		const actions = el('td', { class: 'bc-actions' });
		const active = ['queued', 'running', 'paused'].includes(batch.status);
		if (active) {
			actions.append(button('cancel', 'Cancel', batch.batchId));
		}
		if (batch.status === 'running') {
			actions.append(button('pause', 'Pause', batch.batchId));
		}
		if (batch.status === 'paused') {
			actions.append(button('resume', 'Resume', batch.batchId));
		}
		if (batch.failureCount > 0) {
			actions.append(button('retry', 'Retry failed', batch.batchId));
		}
		tr.append(actions);
		return tr;
	}

	function button(action, label, target) {
		return el('button', { type: 'button', class: 'bc-' + action, 'data-action': action, 'data-target': target },
				label);
	}

	async function onAction(event) {
		const target = event.target.closest('button[data-action]');
		if (!target) {
			return;
		}
		const action = target.dataset.action;
		const id = target.dataset.target;
		target.disabled = true;
		document.getElementById('bc-error').textContent = '';
		try {
			if (action === 'pause-profile' || action === 'resume-profile') {
				await api('/profiles/' + encodeURIComponent(id) + '/' + action.replace('-profile', ''),
						{ method: 'POST' });
				await loadProfiles();
				return;
			}
			const options = { method: 'POST' };
			if (action === 'retry') {
				options.headers = { 'Content-Type': 'application/json' };
				options.body = JSON.stringify({ only: 'all' });
			}
			await api('/upscale-batches/' + encodeURIComponent(id) + '/' + action, options);
			scheduleRefresh();
		}
		catch (error) {
			document.getElementById('bc-error').textContent = error.message;
			target.disabled = false;
		}
	}

	// ---- profiles -----------------------------------------------------------------------

	async function loadProfiles() {
		try {
			const profiles = (await api('/profiles')).data;
			const rows = document.getElementById('bc-profile-rows');
			rows.replaceChildren();
			const select = document.getElementById('bc-profile');
			const chosen = select.value;
			select.replaceChildren(el('option', { value: '' }, 'any'));
			for (const profile of profiles) {
				const tr = el('tr', { 'data-profile-id': profile.id });
				tr.append(el('td', {}, profile.id), el('td', {}, profile.name));
				const state = el('td', { class: 'bc-profile-state' });
				state.append(el('span', { class: 'badge ' + profile.state }, profile.state));
				tr.append(state);
				const toggle = el('td');
				toggle.append(profile.state === 'paused' ? button('resume-profile', 'Resume', profile.id)
						: button('pause-profile', 'Pause', profile.id));
				tr.append(toggle);
				rows.append(tr);
				select.append(el('option', { value: profile.id }, profile.id));
			}
			select.value = chosen;
		}
		catch (error) {
			document.getElementById('bc-error').textContent = error.message;
		}
	}

	// ---- live ---------------------------------------------------------------------------

	function scheduleRefresh() {
		clearTimeout(refresh);
		refresh = setTimeout(() => loadBatches(), REFRESH_MS);
	}

	function openStream() {
		if (stream) {
			return;
		}
		const controller = new AbortController();
		stream = controller;
		fetch('api/v1/events', {
			headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY), Accept: 'text/event-stream' },
			signal: controller.signal, cache: 'no-store'
		})
			.then((response) => {
				if (!response.ok || !response.body) {
					throw new Error('Event stream answered HTTP ' + response.status);
				}
				return readEvents(response.body);
			})
			.catch(() => {
				// reconnects below
			})
			.finally(() => {
				if (stream === controller) {
					stream = null;
					if (!controller.signal.aborted && !app.hidden) {
						retry = setTimeout(openStream, RECONNECT_MS);
					}
				}
			});
	}

	function closeStream() {
		clearTimeout(retry);
		if (stream) {
			const controller = stream;
			stream = null;
			controller.abort();
		}
	}

	// Reads text/event-stream just far enough to know that a batch event arrived.
	async function readEvents(body) {
		const reader = body.pipeThrough(new TextDecoderStream()).getReader();
		let buffer = '';
		for (;;) {
			const { value, done } = await reader.read();
			if (done) {
				return;
			}
			buffer += value;
			const lines = buffer.split(/\r\n|\n|\r/);
			buffer = lines.pop();
			if (lines.some((line) => line.startsWith('event:') && line.includes('veo3:batch:'))) {
				scheduleRefresh();
			}
		}
	}

	// ---- shown with the app -------------------------------------------------------------

	function onVisibility() {
		if (app.hidden) {
			closeStream();
			return;
		}
		if (!section) {
			build();
		}
		loadProfiles().then(() => loadBatches());
		openStream();
	}

	new MutationObserver(onVisibility).observe(app, { attributes: true, attributeFilter: ['hidden'] });
	if (!app.hidden) {
		onVisibility();
	}
})();
