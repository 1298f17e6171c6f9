// The dashboard's Webhooks card: subscriptions, their recent deliveries, a redeliver button
// and a form to subscribe. Kept apart from app.js; it builds its own card inside #app and
// loads whenever the app is shown. Every text goes in through textContent.
(function () {
	'use strict';

	const KEY = window.veoUpscale.KEY;
	const EVENTS = ['veo3:batch:upscale:started', 'veo3:batch:upscale:progress', 'veo3:batch:upscale:completed',
		'veo3:upscale:status'];
	const app = document.getElementById('app');
	if (!app) {
		return;
	}

	async function api(path, options = {}) {
		return (await window.veoUpscale.api(path, options)).data;
	}

	function el(name, attributes = {}, ...children) {
		const created = document.createElement(name);
		for (const [key, value] of Object.entries(attributes)) {
			created.setAttribute(key, value);
		}
		for (const child of children) {
			created.append(child);
		}
		return created;
	}

	function badge(text) {
		return el('span', { class: 'badge ' + text }, text);
	}

	function time(value) {
		return value ? new Date(value).toLocaleString() : '';
	}

	const card = el('section', { class: 'card', id: 'webhooks' });
	const error = el('p', { class: 'error', id: 'webhook-error', role: 'alert' });
	const secretNote = el('p', { class: 'muted', id: 'webhook-secret' });
	const rows = el('tbody', { id: 'webhook-rows' });
	const deliveries = el('div', { id: 'webhook-deliveries' });
	const url = el('input', { type: 'url', id: 'webhook-url', placeholder: 'https://example.com/hooks/upscale',
		required: '' });
	const checks = EVENTS.map((type) => el('input', { type: 'checkbox', value: type, checked: '' }));
	const form = el('form', { class: 'row', id: 'webhook-form' },
		el('label', {}, 'URL ', url),
		...checks.map((check) => el('label', { class: 'check' }, check, ' ' + check.value.split(':').pop())),
		el('button', { type: 'submit' }, 'Subscribe'));
	const refresh = el('button', { type: 'button', class: 'link', id: 'webhook-refresh' }, 'refresh');
	card.append(el('h2', {}, 'Webhooks ', refresh), form, secretNote, error,
		el('table', { class: 'list' }, el('thead', {}, el('tr', {}, ...['Subscription', 'URL', 'Events', 'Batch',
			'Status', ''].map((name) => el('th', {}, name)))), rows),
		deliveries);
	app.append(card);

	async function load() {
		error.textContent = '';
		try {
			const subscriptions = await api('/webhooks?limit=50');
			rows.replaceChildren(...subscriptions.map((subscription) => {
				const show = el('button', { type: 'button', class: 'link' }, 'deliveries');
				show.addEventListener('click', () => showDeliveries(subscription.id));
				const remove = el('button', { type: 'button', class: 'link' }, 'delete');
				remove.addEventListener('click', () => removeSubscription(subscription.id));
				return el('tr', { 'data-id': subscription.id }, el('td', {}, subscription.id),
					el('td', {}, subscription.url),
					el('td', {}, subscription.events.map((type) => type.split(':').pop()).join(', ')),
					el('td', {}, subscription.batchId || 'all'),
					el('td', {}, badge(subscription.status)), el('td', {}, show, ' ', remove));
			}));
			if (subscriptions.length === 0) {
				rows.replaceChildren(el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'No subscription yet.')));
			}
		}
		catch (failure) {
			error.textContent = failure.message;
		}
	}

	async function showDeliveries(id) {
		error.textContent = '';
		try {
			const recent = await api('/webhooks/' + encodeURIComponent(id) + '/deliveries?limit=20');
			const body = el('tbody', {}, ...recent.map((delivery) => {
				const again = el('button', { type: 'button', class: 'link' }, 'redeliver');
				again.addEventListener('click', async () => {
					try {
						await api('/webhooks/' + encodeURIComponent(id) + '/deliveries/'
							+ encodeURIComponent(delivery.id) + '/redeliver', { method: 'POST' });
						await showDeliveries(id);
					}
					catch (failure) {
						error.textContent = failure.message;
					}
				});
				return el('tr', {}, el('td', {}, delivery.id), el('td', {}, delivery.eventType.split(':').pop()),
					el('td', {}, delivery.batchId), el('td', {}, badge(delivery.status)),
					el('td', {}, String(delivery.attempts)),
					el('td', {}, delivery.lastHttpStatus ? String(delivery.lastHttpStatus) : ''),
					el('td', {}, delivery.lastError || ''), el('td', {}, time(delivery.nextAttemptAt)),
					el('td', {}, again));
			}));
			deliveries.replaceChildren(el('h3', {}, 'Recent deliveries of ' + id),
				el('table', { class: 'list' }, el('thead', {}, el('tr', {}, ...['Webhook-id', 'Event', 'Batch',
					'Status', 'Attempts', 'Last HTTP', 'Last error', 'Next attempt', ''].map((name) => el('th', {},
					name)))), body));
		}
		catch (failure) {
			error.textContent = failure.message;
		}
	}

	async function removeSubscription(id) {
		try {
			await api('/webhooks/' + encodeURIComponent(id), { method: 'DELETE' });
			deliveries.replaceChildren();
			await load();
		}
		catch (failure) {
			error.textContent = failure.message;
		}
	}

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		error.textContent = '';
		secretNote.textContent = '';
		try {
			const created = await api('/webhooks', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ url: url.value.trim(), events: checks.filter((c) => c.checked).map((c) => c.value) })
			});
			secretNote.textContent = 'Subscribed ' + created.id + '. Its signing secret, shown only now: '
				+ created.secret;
			url.value = '';
			await load();
		}
		catch (failure) {
			error.textContent = failure.message;
		}
	});

	refresh.addEventListener('click', load);
	new MutationObserver(() => {
		if (!app.hidden && sessionStorage.getItem(KEY)) {
			load();
		}
	}).observe(app, { attributes: true, attributeFilter: ['hidden'] });
	if (!app.hidden && sessionStorage.getItem(KEY)) {
		load();
	}
})();
