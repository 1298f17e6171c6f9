// The dashboard's one way to the API, shared by app.js, batches.js and webhooks.js: the key
// signed in (sessionStorage, sent only in the Authorization header) and a call to /api/v1 that
// answers the seed's envelope or throws its error.
(function () {
	'use strict';

	const KEY = 'veo-upscale.apiKey';

	class Unauthorized extends Error {
	}

	async function api(path, options = {}) {
		const headers = Object.assign({ Authorization: 'Bearer ' + sessionStorage.getItem(KEY) }, options.headers);
		const response = await fetch('api/v1' + path, Object.assign({}, options, { headers, cache: 'no-store' }));
		if (response.status === 401) {
			throw new Unauthorized('The API key was not accepted');
		}
		let body = null;
		try {
			body = await response.json();
		}
		catch (ignored) {
			// not JSON
		}
		if (!response.ok || !body || body.success === false) {
			const error = new Error((body && body.error) || ('HTTP ' + response.status));
			error.status = response.status;
			throw error;
		}
		return body;
	}

	window.veoUpscale = Object.freeze({ KEY, Unauthorized, api });
})();
