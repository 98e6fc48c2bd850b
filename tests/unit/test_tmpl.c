/*
 * test_tmpl.c - unit tests of the template engine (src/tmpl/).
 *
 * Most cases are one line each: a template, a JSON context, the expected
 * output, through expect_render(); errors through expect_error() with the
 * full "name:line: message" prefix.  Longer, realistic cases live as files
 * under tests/unit/tmpl/<case>/ (see golden_cases below), which also
 * exercises tmpl_set_load() on a real tree.  Run from the repository root,
 * or pass the golden directory as the first argument.
 */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpl/tmpl.h"
#include "../suite.h"

static const char *golden_dir = "tests/unit/tmpl";
static char err[1024];

/* ---------------------------------------------------------------- helpers */

/* Reports a failed check at the caller's line with a readable message. */
static void report(bool ok, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void report(bool ok, int line, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	if (!ok) {
		va_start(ap, fmt);
		buf_vaddf(&msg, fmt, ap);
		va_end(ap);
		fprintf(stderr, "\n  test_tmpl.c:%d: %s\n", line, msg.data);
		buf_release(&msg);
	}
	CU_assertImplementation(ok, (unsigned)line, ok ? "ok" : "see stderr",
				__FILE__, "", CU_FALSE);
}

static json_t *parse_json(const char *text, int line)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (!v)
		report(false, line, "bad test JSON %s: %s", text, jerr.text);
	return v;
}

/* Renders name from a set of n templates over the JSON text ctx and checks
 * the output. */
static void expect_render_set_at(const char *const *names,
				 const char *const *sources, size_t n,
				 const char *name, const char *ctx,
				 const char *want, int line)
{
	struct tmpl_set *set =
	    tmpl_set_from_strings(names, sources, n, err, sizeof(err));
	struct buf out = BUF_INIT;
	json_t *j = parse_json(ctx, line);
	int rc;

	if (!set || !j) {
		report(false, line, "cannot load: %s", set ? "" : err);
		goto out;
	}
	rc = tmpl_render(set, name, j, &out);
	report(rc == 0 && !buf_failed(&out) && strcmp(out.data, want) == 0,
	       line, "rendering %s: rc %d, got \"%s\", want \"%s\"", sources[0],
	       rc, out.data, want);
out:
	buf_release(&out);
	json_decref(j);
	tmpl_set_free(set);
}

#define expect_render_set(names, sources, n, name, ctx, want)                  \
	expect_render_set_at(names, sources, n, name, ctx, want, __LINE__)

static void expect_render_at(const char *src, const char *ctx, const char *want,
			     int line)
{
	const char *names[] = {"t"};

	expect_render_set_at(names, &src, 1, "t", ctx, want, line);
}
#define expect_render(src, ctx, want) expect_render_at(src, ctx, want, __LINE__)

/* Loading must fail with a message starting with want. */
static void expect_error_set_at(const char *const *names,
				const char *const *sources, size_t n,
				const char *want, int line)
{
	struct tmpl_set *set;

	err[0] = '\0';
	set = tmpl_set_from_strings(names, sources, n, err, sizeof(err));
	report(!set && strncmp(err, want, strlen(want)) == 0, line,
	       "loading %s: got %s \"%s\", want error \"%s...\"", sources[0],
	       set ? "a set" : "error", err, want);
	tmpl_set_free(set);
}

#define expect_error_set(names, sources, n, want)                              \
	expect_error_set_at(names, sources, n, want, __LINE__)

static void expect_error_at(const char *src, const char *want, int line)
{
	const char *names[] = {"t"};

	expect_error_set_at(names, &src, 1, want, line);
}
#define expect_error(src, want) expect_error_at(src, want, __LINE__)

static char *strf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* new (free()): the formatted string; never NULL (aborts the test). */
static char *strf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	char *s;
	size_t n;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	s = buf_detach(&b, &n);
	if (!s)
		abort();
	return s;
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char *path = strf("%s/%s", dir, rel);
	FILE *f = fopen(path, "w");

	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void make_dir(const char *dir, const char *rel)
{
	char *path = strf("%s/%s", dir, rel);
	int rc = mkdir(path, 0700);

	free(path);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
}

static void remove_tree(const char *path)
{
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	while (d && (e = readdir(d))) {
		char *child;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		child = strf("%s/%s", path, e->d_name);
		remove_tree(child);
		free(child);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

/* new (free()): the whole of dir/name, or NULL if it cannot be read. */
static char *slurp(const char *dir, const char *name)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	char *path = strf("%s/%s", dir, name);
	FILE *f = fopen(path, "rb");

	free(path);
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, &n);
}

/* ---------------------------------------------------------------- values */

static void escapes_html_specials(void)
{
	expect_render("{{x}}", "{\"x\": \"<b a=\\\"1\\\">&'</b>\"}",
		      "&lt;b a=&quot;1&quot;&gt;&amp;&#39;&lt;/b&gt;");
	expect_render("[{{x}}]", "{\"x\": \"plain text\"}", "[plain text]");
}

static void ampersand_writes_raw(void)
{
	expect_render("{{& x}}", "{\"x\": \"<b>&'\\\"</b>\"}", "<b>&'\"</b>");
	expect_render("{{&x}}", "{\"x\": \"<i>\"}", "<i>");
	expect_render("{{ & x }}", "{\"x\": \"<i>\"}", "<i>");
}

static void spaces_inside_tags(void)
{
	expect_render("{{ x }}|{{# s }}y{{/ s }}|{{^ n }}z{{/n}}|{{! c }}",
		      "{\"x\": 1, \"s\": true}", "1|y|z|");
	expect_render("{{\tx\n}}", "{\"x\": 2}", "2");
}

static void numbers_bools_null(void)
{
	expect_render("{{i}} {{n}} {{big}}",
		      "{\"i\": 42, \"n\": -7, "
		      "\"big\": 9007199254740993}",
		      "42 -7 9007199254740993");
	expect_render("{{a}} {{b}} {{c}} {{d}}",
		      "{\"a\": 1.5, \"b\": 3.0, \"c\": 1e21, \"d\": 0.0}",
		      "1.5 3 1e+21 0");
	expect_render("[{{t}}][{{f}}][{{z}}]",
		      "{\"t\": true, \"f\": false, \"z\": null}", "[true][][]");
	expect_render("[{{o}}][{{a}}][{{& o}}]",
		      "{\"o\": {\"k\": 1}, \"a\": [1]}", "[][][]");
	expect_render("[{{missing}}][{{& missing}}]", "{}", "[][]");
}

static void dotted_names(void)
{
	expect_render("{{job.title}} at {{job.company.name}}",
		      "{\"job\": {\"title\": \"Engineer\", "
		      "\"company\": {\"name\": \"Acme\"}}}",
		      "Engineer at Acme");
	expect_render("[{{job.nope.deeper}}][{{job.title.x}}]",
		      "{\"job\": {\"title\": \"T\"}}", "[][]");
	expect_render("[{{a.b}}]", "{\"a\": [1, 2]}", "[]");
}

static void dot_is_current_frame(void)
{
	expect_render("{{#tags}}<{{.}}>{{/tags}}",
		      "{\"tags\": [\"a\", \"<b>\", 3, true]}",
		      "<a><&lt;b&gt;><3><true>");
	expect_render("{{.}}", "\"top\"", "top");
	expect_render("[{{.}}]", "{\"k\": 1}", "[]");
}

static void lookup_walks_frames_outwards(void)
{
	const char *ctx = "{\"name\": \"outer\", \"site\": \"hirelink\", "
			  "\"jobs\": [{\"name\": \"inner\"}, {\"x\": 1}]}";

	/* Inner name wins; site comes from the outer frame; the second job
	 * has no name so the outer one shows through. */
	expect_render("{{#jobs}}{{name}}@{{site}};{{/jobs}}", ctx,
		      "inner@hirelink;outer@hirelink;");
	/* A dotted name is resolved inside the first frame that has its
	 * first segment, never by falling back further out. */
	expect_render("{{#inner}}[{{job.title}}]{{/inner}}",
		      "{\"job\": {\"title\": \"outer\"}, "
		      "\"inner\": {\"job\": {\"id\": 1}}}",
		      "[]");
	expect_render(
	    "{{#inner}}[{{job.title}}]{{/inner}}",
	    "{\"job\": {\"title\": \"outer\"}, \"inner\": {\"x\": 1}}",
	    "[outer]");
}

/* ---------------------------------------------------------------- sections */

static void sections_iterate_arrays(void)
{
	expect_render("<ul>{{#jobs}}<li>{{title}}</li>{{/jobs}}</ul>",
		      "{\"jobs\": [{\"title\": \"A\"}, {\"title\": \"B&C\"}]}",
		      "<ul><li>A</li><li>B&amp;C</li></ul>");
	expect_render("{{#xs}}({{.}}){{/xs}}", "{\"xs\": [[1, 2], [3]]}",
		      "()()");
	expect_render("{{#xs}}{{#.}}{{.}}{{/.}};{{/xs}}",
		      "{\"xs\": [[1, 2], [3]]}", "12;3;");
}

static void sections_push_objects(void)
{
	expect_render("{{#job}}{{title}} ({{id}}){{/job}}",
		      "{\"job\": {\"title\": \"Dev\", \"id\": 7}}", "Dev (7)");
	/* An empty object is still something: the section shows. */
	expect_render("{{#job}}shown{{/job}}", "{\"job\": {}}", "shown");
}

static void sections_render_scalars_once(void)
{
	expect_render("{{#s}}[{{.}}]{{/s}}", "{\"s\": \"hi\"}", "[hi]");
	expect_render("{{#n}}[{{.}}]{{/n}}", "{\"n\": 5}", "[5]");
	expect_render("{{#r}}[{{.}}]{{/r}}", "{\"r\": 0.5}", "[0.5]");
	expect_render("{{#t}}[{{.}}|{{other}}]{{/t}}",
		      "{\"t\": true, \"other\": \"o\"}", "[true|o]");
	/* "0" is a non-empty string, hence truthy. */
	expect_render("{{#s}}yes{{/s}}", "{\"s\": \"0\"}", "yes");
}

static void falsy_values_skip_sections(void)
{
	static const char *const falsy[] = {
	    "{}",	    "{\"v\": null}", "{\"v\": false}", "{\"v\": 0}",
	    "{\"v\": 0.0}", "{\"v\": \"\"}", "{\"v\": []}",
	};

	for (size_t i = 0; i < ARRAY_LEN(falsy); i++) {
		expect_render("[{{#v}}no{{/v}}]", falsy[i], "[]");
		expect_render("[{{^v}}yes{{/v}}]", falsy[i], "[yes]");
	}
}

static void truthy_values_skip_inverted(void)
{
	static const char *const truthy[] = {
	    "{\"v\": true}",  "{\"v\": 1}",   "{\"v\": -0.5}",
	    "{\"v\": \"x\"}", "{\"v\": [0]}", "{\"v\": {}}",
	};

	for (size_t i = 0; i < ARRAY_LEN(truthy); i++)
		expect_render("[{{^v}}no{{/v}}]", truthy[i], "[]");
}

static void nested_sections(void)
{
	const char *ctx =
	    "{\"pool\": \"Backend\", \"jobs\": ["
	    "{\"title\": \"A\", \"candidates\": [{\"name\": \"Ann\"}, "
	    "{\"name\": \"Bo\"}]},"
	    "{\"title\": \"B\", \"candidates\": []}]}";

	expect_render(
	    "{{#jobs}}{{title}}:"
	    "{{#candidates}}{{name}}/{{title}}/{{pool}},{{/candidates}}"
	    "{{^candidates}}none{{/candidates}};{{/jobs}}",
	    ctx, "A:Ann/A/Backend,Bo/A/Backend,;B:none;");
	/* Same name nested: the inner section is looked up in the frame the
	 * outer one pushed. */
	expect_render("{{#a}}{{#a}}{{.}}{{/a}}{{/a}}", "{\"a\": {\"a\": 9}}",
		      "9");
}

static void comments_vanish(void)
{
	expect_render("a{{! a comment }}b{{!\nmulti\nline }}c", "{}", "abc");
	expect_render("{{!}}x", "{}", "x");
}

static void whitespace_kept_literally(void)
{
	expect_render("<ul>\n  {{#xs}}\n  <li>{{.}}</li>\n  {{/xs}}\n</ul>\n",
		      "{\"xs\": [1]}", "<ul>\n  \n  <li>1</li>\n  \n</ul>\n");
}

static void deep_inverted_nesting_is_iterative(void)
{
	/* Inverted sections push no frame, so nesting them is not bounded by
	 * TMPL_MAX_DEPTH and must not cost C stack either. */
	enum { N = 20000 };
	struct buf src = BUF_INIT;

	for (int i = 0; i < N; i++)
		buf_adds(&src, "{{^x}}");
	buf_adds(&src, "deep");
	for (int i = 0; i < N; i++)
		buf_adds(&src, "{{/x}}");
	CU_ASSERT_FATAL(!buf_failed(&src));
	expect_render(src.data, "{}", "deep");
	buf_release(&src);
}

/* ---------------------------------------------------------------- partials */

static void partials(void)
{
	const char *names[] = {"page", "shared/row", "shared/empty"};
	const char *sources[] = {
	    "<h1>{{title}}</h1>{{#jobs}}{{> shared/row}}{{/jobs}}"
	    "{{^jobs}}{{>shared/empty}}{{/jobs}}",
	    "<tr><td>{{title}}</td><td>{{company}}</td></tr>",
	    "<p>No jobs at {{company}}</p>",
	};

	/* Inside the section the partial sees the element's frame first,
	 * then the outer ones (company). */
	expect_render_set(
	    names, sources, 3, "page",
	    "{\"title\": \"Jobs\", \"company\": \"Acme\", "
	    "\"jobs\": [{\"title\": \"Dev\"}, {\"title\": \"<Ops>\"}]}",
	    "<h1>Jobs</h1><tr><td>Dev</td><td>Acme</td></tr>"
	    "<tr><td>&lt;Ops&gt;</td><td>Acme</td></tr>");
	expect_render_set(names, sources, 3, "page",
			  "{\"title\": \"Jobs\", \"company\": \"Acme\", "
			  "\"jobs\": []}",
			  "<h1>Jobs</h1><p>No jobs at Acme</p>");
	/* A partial may be rendered on its own too. */
	expect_render_set(names, sources, 3, "shared/empty",
			  "{\"company\": \"X\"}", "<p>No jobs at X</p>");
}

static void partials_may_be_defined_after_use(void)
{
	const char *names[] = {"a", "b", "c"};
	const char *sources[] = {"a{{>c}}{{>b}}", "b{{>c}}", "c"};

	/* A diamond (a -> b -> c, a -> c) is not a cycle. */
	expect_render_set(names, sources, 3, "a", "{}", "acbc");
}

static void partial_chain_limit(void)
{
	enum { N = TMPL_MAX_PARTIAL_DEPTH + 2 };
	char *names[N], *sources[N];
	const char *np[N], *sp[N];
	struct buf want = BUF_INIT;

	/* p00 includes p01 ... includes p{k}: k nested partials. */
	for (int i = 0; i < N; i++) {
		names[i] = strf("p%02d", i);
		sources[i] = strf("%d{{> p%02d}}", i, i + 1);
		np[i] = names[i];
		sp[i] = sources[i];
	}
	/* TMPL_MAX_PARTIAL_DEPTH nested partials are fine. */
	sp[TMPL_MAX_PARTIAL_DEPTH] = "end";
	for (int i = 0; i < TMPL_MAX_PARTIAL_DEPTH; i++)
		buf_addf(&want, "%d", i);
	buf_adds(&want, "end");
	expect_render_set(np, sp, TMPL_MAX_PARTIAL_DEPTH + 1, "p00", "{}",
			  want.data);
	buf_release(&want);
	/* One more is refused at load time. */
	sp[TMPL_MAX_PARTIAL_DEPTH] = sources[TMPL_MAX_PARTIAL_DEPTH];
	sp[TMPL_MAX_PARTIAL_DEPTH + 1] = "end";
	expect_error_set(np, sp, N, "p32:1: partials nested deeper than 32");
	for (int i = 0; i < N; i++) {
		free(names[i]);
		free(sources[i]);
	}
}

static void section_depth_limit(void)
{
	struct buf ok = BUF_INIT, deep = BUF_INIT;
	const char *names[] = {"outer", "inner"};
	const char *sources[2];

	/* ctx plus 63 sections fill the 64-frame stack exactly. */
	for (int i = 0; i < TMPL_MAX_DEPTH - 1; i++)
		buf_adds(&ok, "{{#o}}");
	buf_adds(&ok, "{{v}}");
	for (int i = 0; i < TMPL_MAX_DEPTH - 1; i++)
		buf_adds(&ok, "{{/o}}");
	expect_render(ok.data, "{\"o\": {}, \"v\": \"bottom\"}", "bottom");

	buf_adds(&deep, "{{#o}}");
	buf_add(&deep, ok.data, ok.len);
	buf_adds(&deep, "{{/o}}");
	expect_error(deep.data, "t:1: sections nested deeper than 63");

	/* Depth adds up through partials. */
	sources[0] = "{{#o}}\n{{> inner}}{{/o}}";
	sources[1] = ok.data;
	expect_error_set(names, sources, 2,
			 "outer:2: sections nested deeper than 63");
	buf_release(&ok);
	buf_release(&deep);
}

/* ---------------------------------------------------------------- errors */

static void syntax_errors_name_file_and_line(void)
{
	expect_error("a\nb\nc {{x", "t:3: unclosed tag \"{{\"");
	expect_error("a\nb\n{{x}\n}", "t:3: unclosed tag \"{{\"");
	expect_error("\n\n{{}}", "t:3: empty tag name");
	expect_error("\n\n{{   }}", "t:3: empty tag name");
	expect_error("\n\n{{# }}{{/x}}", "t:3: empty tag name");
	expect_error("\n\n{{>}}", "t:3: empty tag name");
	expect_error("\n\n{{=<% %>=}}", "t:3: unknown tag sigil '='");
	expect_error("\n\n{{{x}}}", "t:3: unknown tag sigil '{'");
	expect_error("\n\n{{$x}}", "t:3: unknown tag sigil '$'");
	expect_error("\n\n{{job title}}", "t:3: invalid name \"job title\"");
	expect_error("\n\n{{a..b}}", "t:3: invalid name \"a..b\"");
	expect_error("\n\n{{#a.}}{{/a.}}", "t:3: invalid name \"a.\"");
	expect_error("\n\n{{> a b}}", "t:3: invalid name \"a b\"");
	expect_error("{{#a}}\n{{#b}}\n{{/a}}{{/b}}",
		     "t:3: {{/a}} closes section \"b\" opened on line 2");
	expect_error("x\n\n{{#jobs}}\n<li>", "t:3: section \"jobs\" is not "
					     "closed before the end of file");
	expect_error("{{#a}}{{/a}}\n\n{{/x}}", "t:3: stray {{/x}}");
	expect_error("\n\n{{> nope}}", "t:3: unknown partial \"nope\"");
	/* Newlines inside tags (comments) count too. */
	expect_error("{{! one\ntwo }}\n{{x", "t:3: unclosed tag");
	expect_error("{{#a\n}}\n{{/b}}", "t:3: {{/b}} closes section \"a\"");
}

static void partial_cycles_are_errors(void)
{
	const char *names[] = {"a", "b", "c"};
	const char *loop[] = {"{{> b}}", "{{> c}}", "x\n\n{{> a}}"};
	const char *self[] = {"\n{{#x}}{{> a}}{{/x}}", "", ""};

	expect_error_set(names, loop, 3,
			 "c:3: partial cycle: a -> b -> c -> a");
	expect_error_set(names, self, 1, "a:2: partial cycle: a -> a");
}

static void bad_sources_are_errors(void)
{
	const char *names[] = {"dup", "dup"};
	const char *sources[] = {"1", "2"};
	char *big = malloc(TMPL_MAX_SOURCE + 2);

	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	expect_error_set(names, sources, 2, "dup: duplicate template");
	expect_error("caf\xc3", "t: not valid UTF-8");

	memset(big, 'x', TMPL_MAX_SOURCE + 1);
	big[TMPL_MAX_SOURCE + 1] = '\0';
	expect_error(big, "t: larger than 1048576 bytes");
	big[TMPL_MAX_SOURCE] = '\0';
	expect_render(big, "{}", big);
	free(big);
}

/* ---------------------------------------------------------------- API */

static void unknown_template_is_an_error(void)
{
	const char *names[] = {"a"};
	const char *sources[] = {"x"};
	struct tmpl_set *set =
	    tmpl_set_from_strings(names, sources, 1, err, sizeof(err));
	struct buf out = BUF_INIT;
	json_t *ctx = json_object();

	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	CU_ASSERT_TRUE(tmpl_exists(set, "a"));
	CU_ASSERT_FALSE(tmpl_exists(set, "b"));
	CU_ASSERT_FALSE(tmpl_exists(set, "a.html"));
	CU_ASSERT_EQUAL(tmpl_render(set, "b", ctx, &out), -1);
	CU_ASSERT_EQUAL(tmpl_render_page(set, "a", "b", ctx, &out), -1);
	CU_ASSERT_EQUAL(tmpl_render_page(set, "b", "a", ctx, &out), -1);
	CU_ASSERT_EQUAL(out.len, 0);
	/* Rendering appends. */
	buf_adds(&out, ">");
	CU_ASSERT_EQUAL(tmpl_render(set, "a", ctx, &out), 0);
	CU_ASSERT_STRING_EQUAL(out.data, ">x");
	buf_release(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void empty_set_and_empty_template(void)
{
	struct tmpl_set *set =
	    tmpl_set_from_strings(NULL, NULL, 0, err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	CU_ASSERT_FALSE(tmpl_exists(set, ""));
	tmpl_set_free(set);
	tmpl_set_free(NULL);
	expect_render("", "{}", "");
	expect_render("no tags at all", "null", "no tags at all");
}

static void layout_wraps_page(void)
{
	const char *names[] = {"layout", "jobs/show"};
	const char *sources[] = {
	    "<title>{{title}}</title><main>{{& content}}</main>",
	    "<h1>{{title}}</h1>{{desc}}",
	};
	struct tmpl_set *set =
	    tmpl_set_from_strings(names, sources, 2, err, sizeof(err));
	struct buf out = BUF_INIT;
	json_t *ctx = json_pack("{s:s, s:s}", "title", "A&B", "desc", "<x>");
	json_t *arr = json_array();

	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	CU_ASSERT_EQUAL(tmpl_render_page(set, "layout", "jobs/show", ctx, &out),
			0);
	/* The page is escaped once, by the page; the layout writes it raw. */
	CU_ASSERT_STRING_EQUAL(out.data, "<title>A&amp;B</title><main>"
					 "<h1>A&amp;B</h1>&lt;x&gt;</main>");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(ctx, "content")),
	    "<h1>A&amp;B</h1>&lt;x&gt;");
	buf_reset(&out);
	CU_ASSERT_EQUAL(tmpl_render_page(set, "layout", "jobs/show", arr, &out),
			-1);
	CU_ASSERT_EQUAL(
	    tmpl_render_page(set, "layout", "jobs/show", NULL, &out), -1);
	CU_ASSERT_EQUAL(out.len, 0);
	buf_release(&out);
	json_decref(ctx);
	json_decref(arr);
	tmpl_set_free(set);
}

static void values_are_never_expanded(void)
{
	const char *names[] = {"t", "secret"};
	const char *sources[] = {"{{x}}|{{& x}}|{{#xs}}{{.}}{{/xs}}", "S"};

	expect_render_set(names, sources, 2, "t",
			  "{\"x\": \"{{y}}{{> secret}}\", \"y\": \"boom\", "
			  "\"xs\": [\"{{#y}}\"]}",
			  "{{y}}{{&gt; secret}}|{{y}}{{> secret}}|{{#y}}");
}

/* ---------------------------------------------------------------- files */

static void load_walks_directory_tree(void)
{
	char dir[] = "/tmp/test_tmpl.XXXXXX";
	char *path, *want;
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	json_t *ctx;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	make_dir(dir, "jobs");
	make_dir(dir, "jobs/parts");
	make_dir(dir, "empty");
	write_file(dir, "layout.html", "<body>{{& content}}</body>\n");
	write_file(dir, "jobs/list.html",
		   "{{#jobs}}{{> jobs/parts/row}}{{/jobs}}");
	write_file(dir, "jobs/parts/row.html", "<li>{{title}}</li>");
	write_file(dir, "notes.txt", "{{ not a template");
	write_file(dir, ".swap.html", "{{ hidden, ignored");
	write_file(dir, "jobs/.hidden.html", "{{");

	set = tmpl_set_load(dir, err, sizeof(err));
	if (!set)
		fprintf(stderr, "\n  load: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	CU_ASSERT_TRUE(tmpl_exists(set, "layout"));
	CU_ASSERT_TRUE(tmpl_exists(set, "jobs/list"));
	CU_ASSERT_TRUE(tmpl_exists(set, "jobs/parts/row"));
	CU_ASSERT_FALSE(tmpl_exists(set, "notes"));
	CU_ASSERT_FALSE(tmpl_exists(set, ".swap"));
	CU_ASSERT_FALSE(tmpl_exists(set, "jobs/.hidden"));
	ctx =
	    json_pack("{s:[{s:s},{s:s}]}", "jobs", "title", "A", "title", "B");
	CU_ASSERT_EQUAL(tmpl_render_page(set, "layout", "jobs/list", ctx, &out),
			0);
	CU_ASSERT_STRING_EQUAL(out.data, "<body><li>A</li><li>B</li></body>\n");
	json_decref(ctx);
	buf_release(&out);
	tmpl_set_free(set);

	/* An error names the file by its path and the line. */
	write_file(dir, "jobs/parts/bad.html", "ok\nok\n{{#x}}{{/y}}\n");
	set = tmpl_set_load(dir, err, sizeof(err));
	CU_ASSERT_PTR_NULL(set);
	want =
	    strf("%s/jobs/parts/bad.html:3: {{/y}} closes section \"x\"", dir);
	report(strncmp(err, want, strlen(want)) == 0, __LINE__,
	       "got \"%s\", want \"%s\"", err, want);
	free(want);
	tmpl_set_free(set);

	/* Too large a file. */
	path = strf("%s/jobs/parts/bad.html", dir);
	{
		FILE *f = fopen(path, "w");

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		for (int i = 0; i <= TMPL_MAX_SOURCE; i++)
			fputc('x', f);
		fclose(f);
	}
	set = tmpl_set_load(dir, err, sizeof(err));
	CU_ASSERT_PTR_NULL(set);
	want = strf("%s: larger than", path);
	report(strncmp(err, want, strlen(want)) == 0, __LINE__,
	       "got \"%s\", want \"%s\"", err, want);
	free(want);
	free(path);

	remove_tree(dir);
	set = tmpl_set_load(dir, err, sizeof(err));
	CU_ASSERT_PTR_NULL(set);
	report(strstr(err, "cannot open directory") != NULL, __LINE__,
	       "got \"%s\"", err);
}

/*
 * Golden cases: tests/unit/tmpl/<case>/ holds *.html templates (the one
 * rendered is "main"), context.json, and either expected.txt (the exact
 * output) or error.txt (the start of the load error, after "<case dir>/").
 */
static void golden_case(const char *dir)
{
	char *want, *ctx_text;
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	json_t *ctx;
	size_t n;

	want = slurp(dir, "error.txt");
	if (want) {
		char *prefix;

		n = strlen(want);
		while (n > 0 && want[n - 1] == '\n')
			want[--n] = '\0';
		prefix = strf("%s/%s", dir, want);
		set = tmpl_set_load(dir, err, sizeof(err));
		report(!set && strncmp(err, prefix, strlen(prefix)) == 0,
		       __LINE__, "%s: got \"%s\", want \"%s...\"", dir,
		       set ? "a set" : err, prefix);
		tmpl_set_free(set);
		free(prefix);
		free(want);
		return;
	}
	want = slurp(dir, "expected.txt");
	ctx_text = slurp(dir, "context.json");
	set = tmpl_set_load(dir, err, sizeof(err));
	ctx = ctx_text ? json_loads(ctx_text, 0, NULL) : NULL;
	if (!want || !ctx || !set) {
		report(false, __LINE__, "%s: missing files or bad JSON (%s)",
		       dir, set ? "" : err);
	} else {
		int rc = tmpl_render(set, "main", ctx, &out);

		report(rc == 0 && strcmp(out.data, want) == 0, __LINE__,
		       "%s: got\n%s\nwant\n%s", dir, out.data, want);
	}
	buf_release(&out);
	json_decref(ctx);
	tmpl_set_free(set);
	free(ctx_text);
	free(want);
}

static void golden_cases(void)
{
	struct dirent **ents;
	int n = scandir(golden_dir, &ents, NULL, alphasort);

	report(n > 2, __LINE__,
	       "no golden cases in %s (run from the repository root)",
	       golden_dir);
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			char *dir = strf("%s/%s", golden_dir, ents[i]->d_name);

			golden_case(dir);
			free(dir);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* ---------------------------------------------------------------- threads */

struct shared {
	const struct tmpl_set *set;
	json_t *ctx;
	int failures;
};

static void *render_many(void *arg)
{
	struct shared *s = arg;
	struct buf out = BUF_INIT;

	for (int i = 0; i < 2000; i++) {
		buf_reset(&out);
		if (tmpl_render(s->set, "list", s->ctx, &out) != 0 ||
		    strcmp(out.data, "<li>a</li><li>&lt;b&gt;</li>") != 0)
			__atomic_add_fetch(&s->failures, 1, __ATOMIC_RELAXED);
	}
	buf_release(&out);
	return NULL;
}

static void concurrent_renders_share_a_set(void)
{
	const char *names[] = {"list", "item"};
	const char *sources[] = {"{{#xs}}{{> item}}{{/xs}}", "<li>{{.}}</li>"};
	struct shared s = {0};
	pthread_t th[4];

	s.set = tmpl_set_from_strings(names, sources, 2, err, sizeof(err));
	s.ctx = json_pack("{s:[s,s]}", "xs", "a", "<b>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s.set);
	for (size_t i = 0; i < ARRAY_LEN(th); i++)
		CU_ASSERT_EQUAL(pthread_create(&th[i], NULL, render_many, &s),
				0);
	for (size_t i = 0; i < ARRAY_LEN(th); i++)
		pthread_join(th[i], NULL);
	CU_ASSERT_EQUAL(s.failures, 0);
	json_decref(s.ctx);
	tmpl_set_free((struct tmpl_set *)s.set);
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
	static const struct test tests[] = {
	    TEST(escapes_html_specials),
	    TEST(ampersand_writes_raw),
	    TEST(spaces_inside_tags),
	    TEST(numbers_bools_null),
	    TEST(dotted_names),
	    TEST(dot_is_current_frame),
	    TEST(lookup_walks_frames_outwards),
	    TEST(sections_iterate_arrays),
	    TEST(sections_push_objects),
	    TEST(sections_render_scalars_once),
	    TEST(falsy_values_skip_sections),
	    TEST(truthy_values_skip_inverted),
	    TEST(nested_sections),
	    TEST(comments_vanish),
	    TEST(whitespace_kept_literally),
	    TEST(deep_inverted_nesting_is_iterative),
	    TEST(partials),
	    TEST(partials_may_be_defined_after_use),
	    TEST(partial_chain_limit),
	    TEST(section_depth_limit),
	    TEST(syntax_errors_name_file_and_line),
	    TEST(partial_cycles_are_errors),
	    TEST(bad_sources_are_errors),
	    TEST(unknown_template_is_an_error),
	    TEST(empty_set_and_empty_template),
	    TEST(layout_wraps_page),
	    TEST(values_are_never_expanded),
	    TEST(load_walks_directory_tree),
	    TEST(golden_cases),
	    TEST(concurrent_renders_share_a_set),
	};
	static const struct suite suites[] = {
	    SUITE("tmpl", NULL, NULL, tests),
	};

	if (argc > 1)
		golden_dir = argv[1];
	return suite_run(suites, ARRAY_LEN(suites));
}
