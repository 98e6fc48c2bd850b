/*
 * confirm.c - the confirmation step of a change that cannot be taken back
 * easily (a hire, a stage, note or pool deleted): a page that says what
 * will happen and whose form POSTs it, with Cancel.  A plain page and a
 * plain form, so it works without JavaScript; the button or link that
 * leads here replaces the POST the page used to make at once.  The POST
 * routes stay as they were (scripts call them directly).
 */
#include <stdarg.h>

#include "web/web.h"

int web_confirm(struct ctx *c, const struct web_confirm_step *s, ...)
{
	va_list ap;
	json_t *fields = json_array();
	const char *name;

	va_start(ap, s);
	for (int i = 0; fields && i < WEB_NOTICE_FIELDS &&
			(name = va_arg(ap, const char *));
	     i++) {
		const char *value = va_arg(ap, const char *);
		json_array_append_new(fields,
				      json_pack("{s:s, s:s}", "name", name,
						"value", value ? value : ""));
	}
	va_end(ap);
	const char *cancel = s->cancel_url && http_local_path_ok(s->cancel_url)
				     ? s->cancel_url
				     : "/";
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:o}", "heading",
			      s->heading, "text", s->text, "action", s->action,
			      "button", s->button, "danger", s->danger,
			      "cancel_url", cancel, "fields",
			      fields ? fields : json_array());
	if (!o)
		return 500;
	json_object_set_new(c->page, "confirm", o);
	if (s->nav)
		json_object_set_new(c->page, "nav", json_string(s->nav));
	c->template = "confirm/page";
	c->title = s->heading;
	return 200;
}
