/*
 * fuzz_li_answers.c - libFuzzer harness for every reader of LinkedIn's
 * answers (linkedin/answers.c): the token answer, /v2/me and
 * /v2/userinfo, seats, atsCandidates memberMatches, conversationEvents,
 * prospectNotes, exportedCandidates and atsIntegrations (q=request), and
 * the simpleJobPostings batch_create answer.  (Batch answers have their
 * own harness, fuzz_li_batch.)
 *
 * The first byte picks the reader, the rest is LinkedIn's answer, which
 * is untrusted: whatever it holds, the reader answers LI_OK with values
 * that keep their promises (answers.h: lengths, URNs, words, the
 * organization), or an error with a message, and never crashes or leaks.
 * One harness for all, so that make check builds one program: at exit it
 * prints how many inputs each reader took.  Built and run for a few
 * seconds by `make check`, from tests/fuzz/seeds/fuzz_li_answers/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "linkedin/answers.h"
#include "linkedin/candidates.h"

#define ORG "urn:li:organization:1"

enum reader {
	TOKEN,
	MEMBER,
	SEAT,
	MATCHES,
	EVENT,
	NOTE,
	EXPORTED,
	INTEGRATION,
	POSTINGS,
	NREADERS
};
static const char *const names[NREADERS] = {
    "token",	   "/v2/me",	      "seats",	      "memberMatches",
    "conversationEvents", "prospectNotes", "exportedCandidates",
    "atsIntegrations",	  "simpleJobPostings"};
static unsigned long runs[NREADERS];

__attribute__((destructor)) static void report(void)
{
	for (int i = 0; i < NREADERS; i++)
		fprintf(stderr, "reader %s: %lu inputs\n", names[i], runs[i]);
}

static void must(bool ok)
{
	if (!ok)
		abort();
}

/* A member ID as the ATS keeps one: 1-64 of [A-Za-z0-9_-]. */
static bool member_ok(const char *id)
{
	size_t n = strlen(id);
	return n > 0 && n <= 64 &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			  "0123456789-_") == n;
}

static bool is_word(const char *s, const char *a, const char *b,
		    const char *c)
{
	return s && (!strcmp(s, a) || !strcmp(s, b) || (c && !strcmp(s, c)));
}

static int read_one(enum reader r, struct arena *a, json_t *j,
		    struct li_error *err)
{
	int rc = LI_ERR_PROTOCOL;
	switch (r) {
	case TOKEN: {
		struct li_tokens t;
		rc = li_token_read(j, 1000, &t, err);
		if (rc == LI_OK)
			must(t.access_token && *t.access_token &&
			     t.expires_at > 1000);
		break;
	}
	case MEMBER: {
		static const struct li_member_answer me = {
		    "/v2/me", "id", "localizedFirstName", "localizedLastName"};
		struct li_member m;
		rc = li_member_read(a, j, &me, &m, err);
		if (rc == LI_OK)
			must(*m.id && strlen(m.id) <= 64 && m.first_name &&
			     m.last_name &&
			     !strncmp(m.urn, "urn:li:person:", 14) &&
			     !strcmp(m.urn + 14, m.id));
		break;
	}
	case SEAT: {
		struct li_seat s;
		rc = li_seat_read(a, j, &s, err);
		if (rc == LI_OK)
			must(s.seat && s.member && s.first && s.last &&
			     is_word(s.type, "recruiter", "hiring_manager",
				     "none"));
		break;
	}
	case MATCHES: {
		struct li_matches m;
		rc = li_matches_read(a, j, member_ok, &m, err);
		if (rc == LI_OK) {
			must(m.n <= json_array_size(
					json_object_get(j, "elements")) &&
			     m.total >= (int64_t)m.n);
			for (size_t i = 0; i < m.n; i++)
				must(member_ok(m.v[i].member_id) &&
				     m.v[i].first_name && m.v[i].headline &&
				     m.v[i].public_profile_url);
		}
		break;
	}
	case EVENT: {
		struct li_event e;
		rc = li_event_read(a, j, &e, err);
		if (rc == LI_OK)
			must(e.id && strlen(e.id) <= 100 && *e.member &&
			     strlen(e.member) <= 64 &&
			     strlen(e.conversation) <= 150);
		break;
	}
	case NOTE: {
		struct li_note n;
		rc = li_note_read(a, j, &n, err);
		if (rc == LI_OK)
			must(n.id && strlen(n.id) <= 100 && *n.member &&
			     strlen(n.member) <= 64 &&
			     strlen(n.owner) <= 150 && n.note);
		break;
	}
	case EXPORTED: {
		struct li_exported x;
		rc = li_exported_read(j, ORG, &x, err);
		if (rc == LI_OK)
			must(!strcmp(x.integration_context, ORG) &&
			     *x.external_job_posting_id &&
			     *x.exporter.member && *x.candidate.member &&
			     x.candidate.email && x.exporter.seat);
		break;
	}
	case INTEGRATION: {
		const char *type, *status;
		rc = li_integration_event_read(j, ORG, &type, &status, err);
		if (rc == LI_OK)
			must(type && status);
		break;
	}
	case POSTINGS: {
		struct li_job_posting p[3];
		memset(p, 0, sizeof(p));
		rc = li_job_postings_created_read(j, p, 3, err);
		for (int i = 0; rc == LI_OK && i < 3; i++)
			must(p[i].outcome.message &&
			     (p[i].outcome.failed ||
			      (p[i].task_id && p[i].outcome.status >= 200 &&
			       p[i].outcome.status < 300)));
		break;
	}
	case NREADERS:
		break;
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum reader r = (enum reader)(data[0] % NREADERS);
	runs[r]++;
	json_t *j = json_loadb((const char *)data + 1, size - 1,
			       JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	struct arena *a = arena_new(4096);
	if (!a)
		abort();
	struct li_error err = {0};
	int rc = read_one(r, a, j, &err);
	/* a refusal says why, and is one of the reader's */
	if (rc != LI_OK)
		must((rc == LI_ERR_PROTOCOL || rc == LI_ERR_INTERNAL) &&
		     err.message[0]);
	arena_free(a);
	json_decref(j);
	return 0;
}
