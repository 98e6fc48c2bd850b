/*
 * jobs.c - LinkedIn's side of the integration (F14) and of Sync Jobs
 * (F11), each call as LinkedIn documents it:
 *
 *   enabling      atsIntegrations (batch_partial_update: integrationName
 *                 under the ATS instance name) and their configurations
 *                 (CALLBACK_URL, JOB_POSTING_VIEWERS, APPLICATION_VIEWERS;
 *                 batch_update, DELETE); the batch GET that reads each
 *                 integration's state back (li_integrations_refresh)
 *   job postings  simpleJobPostings (batch_create of up to 100 elements,
 *                 each answered on its own) and simpleJobPostingTasks
 *                 (the asynchronous outcome of each)
 *   job ACLs      atsEntityAcls (a job and an ACL) and atsEntityAclAssignees
 *                 (an ACL and a LinkedIn member)
 *
 * and the words hirelink and LinkedIn share for a job: the id it has at
 * LinkedIn (<instance id>-J-00042, so that two instances in one
 * organization never collide) and its location in LinkedIn's form.
 *
 * What is synced when, and what hirelink keeps of it, is job_sync.c's; this
 * file only speaks to LinkedIn.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ats/jobs.h"
#include "linkedin/li_internal.h"

const char *const li_integration_types[LI_INTEGRATION_TYPES] = {
    "ONE_CLICK_EXPORT",
    "IN_ATS_INDICATOR",
    "PROFILE_PLUGIN",
};

/* ------------------------------------------------------------ ids */

const char *li_job_posting_id(struct arena *a, const char *instance_id,
			      int64_t job_id)
{
	return arena_printf(a, "%s-J-%05lld", instance_id, (long long)job_id);
}

bool li_job_posting_id_parse(const char *ext, const char *instance_id,
			     uint64_t *job_id)
{
	size_t n = strlen(instance_id);
	int64_t id;

	if (!ext || !n || strncmp(ext, instance_id, n) || ext[n] != '-' ||
	    strncmp(ext + n + 1, "J-", 2))
		return false;
	const char *digits = ext + n + 3;
	/* exactly what li_job_posting_id writes: at least five digits */
	if (strlen(digits) < 5 || strspn(digits, "0123456789") != strlen(digits))
		return false;
	if (parse_i64(digits, &id) < 0 || id <= 0)
		return false;
	*job_id = (uint64_t)id;
	return true;
}

const char *li_callback_url(struct arena *a, const struct config *cfg)
{
	if (cfg->linkedin_callback_url && *cfg->linkedin_callback_url)
		return arena_strdup(a, cfg->linkedin_callback_url);
	return arena_printf(a, "%s/linkedin/notifications",
			    cfg->public_base_url);
}

/* ------------------------------------------------------------ location */

/* s[0..n) without the blanks around it, into the arena. */
static char *trimmed(struct arena *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* "DE 10115", "us-94105": a country code, then a postal code with a
 * digit in it (so that "Rome" or "Oslo" is never read as one). */
static bool postal_form(struct arena *a, const char *s, struct li_location *out)
{
	if (!isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]) ||
	    (s[2] != ' ' && s[2] != '-'))
		return false;
	const char *p = s + 2 + strspn(s + 2, " -");
	size_t n = strlen(p);
	bool digit = false;
	if (n < 3 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)p[i]) && p[i] != ' ' && p[i] != '-')
			return false;
		digit = digit || isdigit((unsigned char)p[i]);
	}
	if (!digit)
		return false;
	char *cc = arena_strndup(a, s, 2);
	if (!cc)
		return false;
	cc[0] = (char)toupper((unsigned char)cc[0]);
	cc[1] = (char)toupper((unsigned char)cc[1]);
	out->country_code = cc;
	out->postal_code = arena_strdup(a, p);
	return out->postal_code != NULL;
}

#define LOCATION_FORMS                                                         \
	"write \"City, Region\" or \"City, Country\" (\"Austin, TX\", "        \
	"\"Berlin, Germany\"), \"Remote, Country\" for a remote job, or a "    \
	"country code and postal code (\"DE 10115\")"

bool li_location_map(struct arena *a, const char *text,
		     struct li_location *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	char *s = trimmed(a, text ? text : "", text ? strlen(text) : 0);
	const char *comma = s ? strchr(s, ',') : NULL;

	*why = NULL;
	if (!s) {
		*why = "out of memory";
		return false;
	}
	if (!*s) {
		*why = "LinkedIn needs the job's location: " LOCATION_FORMS;
		return false;
	}
	if (comma) {
		char *city = trimmed(a, s, (size_t)(comma - s));
		char *region = trimmed(a, comma + 1, strlen(comma + 1));
		if (city && region && *city && *region) {
			out->location = arena_printf(a, "%s, %s", city, region);
			return out->location != NULL;
		}
		*why = arena_printf(a,
				    "LinkedIn cannot place \"%s\": a city and "
				    "a region or country go either side of "
				    "the comma; " LOCATION_FORMS,
				    s);
		return false;
	}
	if (postal_form(a, s, out))
		return true;
	if (!strcasecmp(s, "remote"))
		*why = "LinkedIn needs the country of a remote job: write "
		       "\"Remote, Germany\" (or the country it is in)";
	else
		*why = arena_printf(
		    a, "LinkedIn cannot place \"%s\": " LOCATION_FORMS, s);
	if (!*why)
		*why = "LinkedIn cannot place this location";
	return false;
}
