/*
 * LinkedIn sandbox: the callbacks of the widget demo page
 * (/sandbox/widget-demo), as an ATS defines them: global functions named
 * by data-onlink / data-onunlink, given the member's person URN.  They list
 * each call on the page.
 */
function sandboxDemoRecord(action, member) {
	'use strict';
	var li = document.createElement('li');
	li.className = 'call';
	li.textContent = action + ' ' + member;
	document.getElementById('calls').appendChild(li);
}
function sandboxDemoLink(member) {
	'use strict';
	sandboxDemoRecord('link', member);
}
function sandboxDemoUnlink(member) {
	'use strict';
	sandboxDemoRecord('unlink', member);
}
