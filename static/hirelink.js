/*
 * hirelink.js - small helpers on top of pages that work without it
 * (loaded with defer from templates/layout.html; no framework).
 *
 *   Keyboard shortcuts, listed on the "?" sheet:
 *     /      focus the page's search box (the candidates list's if none)
 *     g j    Jobs;  g c  Candidates
 *     j / k  move a highlight down / up the list's rows; Enter opens it
 *     ?      this sheet;  Esc closes it
 *   They never fire while typing in a field, or with Ctrl, Alt or Meta.
 *
 *   Copy buttons: <button class="copy" data-copy="ID" hidden> next to a
 *   read-only input id=ID is shown and copies its value.
 */
(function () {
	'use strict';

	/* Inputs that take no text (a row's checkbox, a button) are not
	 * typing: j / k go on from there. */
	var notText = {checkbox: 1, radio: 1, button: 1, submit: 1, reset: 1,
		       image: 1, file: 1, range: 1, color: 1};

	function typing(el) {
		if (!el || el === document.body)
			return false;
		var tag = el.tagName;
		if (tag === 'INPUT')
			return !notText[(el.type || 'text').toLowerCase()];
		return tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
	}

	/* ------------------------------------------------ the "?" sheet */
	var sheet = null;
	var keys = [
		['/', 'Search'],
		['g j', 'Go to Jobs'],
		['g c', 'Go to Candidates'],
		['j / k', 'Next / previous row of a list'],
		['Enter', 'Open the highlighted row'],
		['?', 'This list of shortcuts'],
		['Esc', 'Close it']
	];

	function buildSheet() {
		var d = document.createElement('dialog');
		d.className = 'shortcuts';
		d.id = 'shortcuts';
		d.setAttribute('aria-labelledby', 'shortcuts-title');
		var h = document.createElement('h2');
		h.id = 'shortcuts-title';
		h.textContent = 'Keyboard shortcuts';
		d.appendChild(h);
		var dl = document.createElement('dl');
		keys.forEach(function (k) {
			var dt = document.createElement('dt');
			k[0].split(' ').forEach(function (part, i) {
				if (i)
					dt.appendChild(document.createTextNode(' '));
				if (part === '/' && k[0] !== '/') {
					dt.appendChild(document.createTextNode('/'));
					return;
				}
				var kbd = document.createElement('kbd');
				kbd.textContent = part;
				dt.appendChild(kbd);
			});
			var dd = document.createElement('dd');
			dd.textContent = k[1];
			dl.appendChild(dt);
			dl.appendChild(dd);
		});
		d.appendChild(dl);
		var p = document.createElement('p');
		p.className = 'muted';
		p.textContent = 'Shortcuts do nothing while you type in a field.';
		d.appendChild(p);
		var f = document.createElement('form');
		f.method = 'dialog';
		var b = document.createElement('button');
		b.type = 'submit';
		b.textContent = 'Close';
		f.appendChild(b);
		d.appendChild(f);
		document.body.appendChild(d);
		return d;
	}

	function showSheet() {
		if (!sheet)
			sheet = buildSheet();
		if (!sheet.open)
			sheet.showModal();
	}

	/* ------------------------------------------------ lists (j / k) */
	var current = -1;

	function rows() {
		var main = document.getElementById('main');
		if (!main)
			return [];
		var all = main.querySelectorAll('table.list tbody tr');
		return Array.prototype.filter.call(all, function (tr) {
			return tr.querySelector('a[href]') && tr.offsetParent !== null;
		});
	}

	function move(by) {
		var list = rows();
		if (!list.length)
			return false;
		var prev = document.querySelector('.kbd-current');
		if (prev)
			prev.classList.remove('kbd-current');
		current = prev ? list.indexOf(prev) : -1;
		current = current < 0 ? (by > 0 ? 0 : list.length - 1)
				      : Math.min(list.length - 1, Math.max(0, current + by));
		var row = list[current];
		row.classList.add('kbd-current');
		var link = row.querySelector('a[href]');
		link.focus({preventScroll: true});
		row.scrollIntoView({block: 'nearest'});
		return true;
	}

	function openCurrent() {
		var row = document.querySelector('tr.kbd-current');
		var link = row && row.querySelector('a[href]');
		if (!link)
			return false;
		window.location.href = link.href;
		return true;
	}

	/* ------------------------------------------------ search (/) */
	function focusSearch() {
		var main = document.getElementById('main');
		var box = main && main.querySelector('input[type=search]');
		if (box) {
			box.focus();
			box.select();
			return;
		}
		window.location.href = '/candidates#search';
	}

	/* ------------------------------------------------ keys */
	var pendingG = 0;

	function go(path) {
		window.location.href = path;
	}

	document.addEventListener('keydown', function (e) {
		if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey ||
		    e.isComposing)
			return;
		if (typing(e.target) || (sheet && sheet.open))
			return;
		var k = e.key, handled = true;
		var g = pendingG && Date.now() - pendingG < 1500;
		pendingG = 0;
		if (g && k === 'j')
			go('/jobs');
		else if (g && k === 'c')
			go('/candidates');
		else if (k === 'g')
			pendingG = Date.now();
		else if (k === '?')
			showSheet();
		else if (k === '/')
			focusSearch();
		else if (k === 'j')
			handled = move(1);
		else if (k === 'k')
			handled = move(-1);
		else if (k === 'Enter' && document.activeElement === document.body)
			handled = openCurrent();
		else
			handled = false;
		if (handled)
			e.preventDefault();
	});

	/* ------------------------------------------------ copy buttons */
	function copy(button) {
		var input = document.getElementById(button.getAttribute('data-copy'));
		if (!input)
			return;
		var say = function (text) {
			var note = button.nextElementSibling;
			if (!note || !note.classList.contains('copied')) {
				note = document.createElement('span');
				note.className = 'copied';
				note.setAttribute('role', 'status');
				button.parentNode.insertBefore(note, button.nextSibling);
			}
			note.textContent = text;
		};
		var fallback = function () {
			input.focus();
			input.select();
			var ok = false;
			try {
				ok = document.execCommand('copy');
			} catch (err) {
				ok = false;
			}
			say(ok ? 'Copied' : 'Selected: press Ctrl+C to copy');
		};
		if (navigator.clipboard && window.isSecureContext) {
			navigator.clipboard.writeText(input.value).then(function () {
				say('Copied');
			}, fallback);
		} else {
			fallback();
		}
	}

	function init() {
		Array.prototype.forEach.call(
			document.querySelectorAll('button.copy[data-copy]'),
			function (b) {
				b.hidden = false;
				b.addEventListener('click', function () { copy(b); });
			});
		var right = document.querySelector('.topbar-right');
		if (right) {
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'shortcuts-open';
			b.textContent = '?';
			b.title = 'Keyboard shortcuts';
			b.setAttribute('aria-label', 'Keyboard shortcuts');
			b.addEventListener('click', showSheet);
			right.insertBefore(b, right.firstChild);
		}
		if (window.location.hash === '#search') {
			var main = document.getElementById('main');
			var box = main && main.querySelector('input[type=search]');
			if (box)
				box.focus();
		}
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
}());
