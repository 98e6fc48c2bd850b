/*
 * LinkedIn sandbox: the profile widget's iframe.  Link/Unlink post to the
 * embedding page - to the origin the widget was checked against
 * (data-origin), never to any origin - and the page's height goes along so the
 * loader can size the iframe.  A form's button is disabled once it is
 * submitted (the server sends an InMail once per form in any case).
 */
(function () {
	'use strict';
	var root = document.getElementById('li-widget');
	if (!root || window.parent === window)
		return;
	var origin = root.dataset.origin;
	var id = root.dataset.widgetId;

	function post(msg) {
		msg.type = 'IN/HcmWidget';
		msg.widgetId = id;
		window.parent.postMessage(msg, origin);
	}

	Array.prototype.forEach.call(
	    document.querySelectorAll('button[data-li-action]'),
	    function (b) {
		b.addEventListener('click', function () {
			post({action: b.dataset.liAction, member: b.dataset.member,
			      atsCandidateId: root.dataset.atsCandidateId});
		});
	});
	Array.prototype.forEach.call(document.querySelectorAll('form'),
	    function (f) {
		f.addEventListener('submit', function () {
			var b = f.querySelector('button[type="submit"]');
			if (b)
				setTimeout(function () { b.disabled = true; }, 0);
		});
	});
	/* the widget's own height: the document's is at least the iframe's */
	post({action: 'resize',
	      height: Math.ceil(root.getBoundingClientRect().bottom) + 24});
})();
