/*
 * LinkedIn sandbox: the platform loader (LinkedIn's /xdoor/scripts/in.js),
 * with the profile widget (IN/HcmWidget) built in.  See
 * src/sandbox/README.md, "The profile widget".
 *
 * The page includes it as LinkedIn documents:
 *   <script src="{platform}/xdoor/scripts/in.js">
 *   api_key: <client id>
 *   extensions: HcmWidget@{platform}/rsc/extensions/profile-widget
 *   </script>
 * and marks each widget with <script type="IN/HcmWidget" data-...>.  Each
 * becomes an iframe of this script's origin; the iframe posts link/unlink
 * messages, which are passed to the page's functions named by
 * data-onlink / data-onunlink only when they come from that iframe.
 */
(function () {
	'use strict';
	var me = document.currentScript;
	if (!me || window.IN && window.IN.sandboxLoaded)
		return;
	var base = new URL(me.src).origin;
	var config = {};
	(me.textContent || '').split('\n').forEach(function (line) {
		var i = line.indexOf(':');
		if (i > 0)
			config[line.slice(0, i).trim()] = line.slice(i + 1).trim();
	});
	var widgets = {};
	var count = 0;

	function render(el) {
		var d = el.dataset;
		var id = 'li-hcm-' + (++count);
		var q = new URLSearchParams({
			api_key: config.api_key || '',
			atsCandidateId: d.atsCandidateId || '',
			integrationContext: d.integrationContext || '',
			member: d.member || '',
			memberSource: d.memberSource || '',
			origin: window.location.origin,
			widgetId: id
		});
		var frame = document.createElement('iframe');
		frame.src = base + '/recruiter/widget/hcm?' + q.toString();
		frame.title = 'LinkedIn profile';
		frame.className = 'IN-widget';
		frame.id = id;
		var width = d.width || '100%';
		frame.style.width = /^\d+$/.test(width) ? width + 'px' : width;
		frame.style.height = '480px';
		frame.style.border = '0';
		widgets[id] = {frame: frame, onlink: d.onlink, onunlink: d.onunlink};
		el.parentNode.replaceChild(frame, el);
	}

	function parse() {
		var els = document.querySelectorAll('script[type="IN/HcmWidget"]');
		Array.prototype.forEach.call(els, render);
	}

	window.addEventListener('message', function (ev) {
		var m = ev.data;
		if (ev.origin !== base || !m || m.type !== 'IN/HcmWidget')
			return;
		var w = widgets[m.widgetId];
		if (!w || ev.source !== w.frame.contentWindow)
			return;
		if (m.action === 'resize') {
			var h = Math.min(Math.max(m.height | 0, 120), 4000);
			w.frame.style.height = h + 'px';
			return;
		}
		var name = m.action === 'link' ? w.onlink
			 : m.action === 'unlink' ? w.onunlink : null;
		if (!name || typeof window[name] !== 'function' ||
		    !/^urn:li:person:[A-Za-z0-9_-]{1,32}$/.test(m.member))
			return;
		window[name](m.member);
	});

	window.IN = window.IN || {};
	window.IN.sandboxLoaded = true;
	window.IN.parse = parse;
	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', parse);
	else
		parse();
})();
