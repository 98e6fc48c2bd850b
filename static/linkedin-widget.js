/*
 * linkedin-widget.js - the LinkedIn profile widget's callbacks on the
 * candidate's LinkedIn tab (templates/candidates/linkedin.html).
 *
 * LinkedIn's loader (in.js) calls the functions its widget tag names,
 * data-onlink="hirelinkLiLink" and data-onunlink="hirelinkLiUnlink", with
 * the member's URN (urn:li:person:ID) when the user presses Link or Unlink
 * inside the widget; it has checked that the message came from the
 * widget's own iframe.  Each POSTs to hirelink's route with the session's
 * CSRF token (the page's <meta name="csrf-token">) and reloads the tab,
 * or shows hirelink's refusal (a 409 names the candidate that has the
 * member already).  Loaded from hirelink's own origin, before in.js: the
 * CSP allows no inline script.
 *
 * While the tab waits for LinkedIn's first answer (data-li-state
 * "looking"), the page reloads itself a few times, a few seconds apart.
 */
(function () {
	'use strict';

	function tab() {
		return document.querySelector('[data-li-action]');
	}

	function token() {
		var m = document.querySelector('meta[name="csrf-token"]');
		return m ? m.getAttribute('content') : '';
	}

	function fail(message) {
		var box = document.querySelector('.li-callback-error');
		if (!box)
			return;
		box.textContent = message;
		box.hidden = false;
	}

	function send(action, member) {
		var t = tab();
		if (!t || typeof member !== 'string')
			return;
		var body = new URLSearchParams();
		body.set('csrf', token());
		body.set('member', member);
		fetch(t.getAttribute('data-li-action') + '/' + action, {
			method: 'POST',
			credentials: 'same-origin',
			headers: {'Accept': 'application/json'},
			body: body
		}).then(function (r) {
			if (r.ok) {
				window.location.reload();
				return null;
			}
			return r.json().then(function (j) {
				fail(j && j.error && j.error.message ?
				     j.error.message : 'hirelink refused it (' + r.status + ')');
			}, function () {
				fail('hirelink refused it (' + r.status + ')');
			});
		}, function () {
			fail('hirelink could not be reached: try again.');
		});
	}

	window.hirelinkLiLink = function (member) { send('link', member); };
	window.hirelinkLiUnlink = function (member) { send('unlink', member); };

	function poll() {
		var t = tab();
		var key = 'hirelink-li-poll:' + window.location.pathname;
		if (!t || t.getAttribute('data-li-state') !== 'looking') {
			window.sessionStorage.removeItem(key);
			return;
		}
		var n = parseInt(window.sessionStorage.getItem(key) || '0', 10);
		if (n >= 5)
			return;
		window.sessionStorage.setItem(key, String(n + 1));
		window.setTimeout(function () { window.location.reload(); }, 2000);
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', poll);
	else
		poll();
})();
