/*
 * routes.c - the route table: every URL hirelink answers, the methods and
 * roles it admits, one entry per enum web_route_id (web.h), in that order.
 * The permission tests walk this table.
 */
#include <stdio.h>

#include "web/web.h"

#define ANY ROLE_ANY_USER
/* Talent pools: recruiters and admins (access.h). */
#define POOLS (ROLE_ADMIN | ROLE_RECRUITER)

const struct web_route web_routes[WEB_NROUTES] = {
	[R_HOME] = {{HTTP_GET, "/"}, web_home, 0, ROUTE_PUBLIC},
	[R_LOGIN_FORM] = {{HTTP_GET, "/login"}, web_login_form, 0,
		ROUTE_PUBLIC},
	[R_LOGIN] = {{HTTP_POST, "/login"}, web_login, 0, ROUTE_PUBLIC},
	[R_LOGOUT] = {{HTTP_POST, "/logout"}, web_logout, ANY, 0},
	[R_JOBS_LIST] = {{HTTP_GET, "/jobs"}, web_jobs_list, ANY, 0},
	[R_JOB_CREATE] = {{HTTP_POST, "/jobs"}, web_job_create,
		ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_NEW] = {{HTTP_GET, "/jobs/new"}, web_job_new,
		ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_SHOW] = {{HTTP_GET, "/jobs/{id}"}, web_job_show, ANY, 0},
	[R_JOB_UPDATE] = {{HTTP_POST, "/jobs/{id}"}, web_job_update,
		ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_ACTIVATE] = {{HTTP_POST, "/jobs/{id}/activate"},
		web_job_activate, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_CLOSE] = {{HTTP_POST, "/jobs/{id}/close"}, web_job_close,
		ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_MEMBERS] = {{HTTP_POST, "/jobs/{id}/members"}, web_job_members,
		ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_STAGES] = {{HTTP_POST, "/jobs/{id}/stages"}, web_job_stages,
		ROLE_ADMIN | ROLE_RECRUITER, 0},
	/* Public: LinkedIn sends applicants here (companyApplyUrl). */
	[R_CAREERS_JOB] = {{HTTP_GET, "/careers/{id}"}, web_careers_job, 0,
		ROUTE_PUBLIC | ROUTE_NO_SESSION},
	/* stage18: the pipeline editor's Delete, confirmed first */
	[R_JOB_STAGE_DELETE_FORM] =
		{{HTTP_GET, "/jobs/{id}/stages/{stage}/delete"},
		 web_job_stage_delete_form, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_CRITERIA] = {{HTTP_POST, "/jobs/{id}/criteria"},
		web_job_criteria, ROLE_ADMIN | ROLE_RECRUITER, 0},
	/* bulk actions on a stage tab's rows (bulk.c): the roles of the
	 * single action */
	[R_JOB_BULK_MOVE] = {{HTTP_POST, "/jobs/{id}/bulk/move"},
		web_job_bulk_move,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_JOB_BULK_REJECT] = {{HTTP_POST, "/jobs/{id}/bulk/reject"},
		web_job_bulk_reject, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_JOB_BULK_POOL] = {{HTTP_POST, "/jobs/{id}/bulk/pool"},
		web_job_bulk_pool, POOLS, 0},
	[R_JOB_BULK_JOB] = {{HTTP_POST, "/jobs/{id}/bulk/job"},
		web_job_bulk_job, ROLE_ADMIN | ROLE_RECRUITER, 0},
	/* @jobs-routes: add jobs routes above this line */
	[R_APPLICATION_CREATE] = {{HTTP_POST, "/applications"},
		web_application_create, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_APPLICATION_SHOW] = {{HTTP_GET, "/applications/{id}"},
		web_application_show, ANY, 0},
	[R_APPLICATION_MOVE] = {{HTTP_POST, "/applications/{id}/move"},
		web_application_move,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_APPLICATION_REJECT] = {{HTTP_POST, "/applications/{id}/reject"},
		web_application_reject, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_APPLICATION_HIRE] = {{HTTP_POST, "/applications/{id}/hire"},
		web_application_hire, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_APPLICATION_WITHDRAW] = {{HTTP_POST, "/applications/{id}/withdraw"},
		web_application_withdraw, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_APPLICATION_FEEDBACK] = {{HTTP_POST, "/applications/{id}/feedback"},
		web_application_feedback, ANY, 0},
	/* stage18: reopen, the notice's Undo, the confirmation step */
	[R_APPLICATION_REOPEN] = {{HTTP_POST, "/applications/{id}/reopen"},
		web_application_reopen, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_APPLICATION_UNDO] = {{HTTP_POST, "/applications/{id}/undo"},
		web_application_undo,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_APPLICATION_CONFIRM] = {{HTTP_GET, "/applications/{id}/confirm"},
		web_application_confirm, ROLE_ADMIN | ROLE_RECRUITER, 0},
	/* each role's home and the feedback pages (feedback.c) */
	[R_APPLICATION_FEEDBACK_FORM] = {{HTTP_GET,
		"/applications/{id}/feedback"}, web_application_feedback_form,
		ANY, 0},
	[R_APPLICATION_FEEDBACK_REQUEST] = {{HTTP_POST,
		"/applications/{id}/feedback-requests"},
		web_application_feedback_request,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_FEEDBACK_UPDATE] = {{HTTP_POST, "/feedback/{id}"},
		web_feedback_update, ANY, 0},
	[R_FEEDBACK_DUE] = {{HTTP_GET, "/feedback"}, web_feedback_due, ANY, 0},
	[R_NEEDS_REVIEW] = {{HTTP_GET, "/review"}, web_needs_review,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	/* @applications-routes: add application routes above this line */
	[R_CANDIDATES_LIST] = {{HTTP_GET, "/candidates"}, web_candidates_list,
		ANY, 0},
	[R_CANDIDATE_CREATE] = {{HTTP_POST, "/candidates"},
		web_candidate_create, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_CANDIDATE_NEW] = {{HTTP_GET, "/candidates/new"}, web_candidate_new,
		ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_CANDIDATE_SHOW] = {{HTTP_GET, "/candidates/{id}"},
		web_candidate_show, ANY, 0},
	[R_CANDIDATE_UPDATE] = {{HTTP_POST, "/candidates/{id}"},
		web_candidate_update, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_CANDIDATE_NOTE_CREATE] = {{HTTP_POST, "/candidates/{id}/notes"},
		web_candidate_note_create,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_NOTE_UPDATE] = {{HTTP_POST, "/notes/{id}"}, web_note_update,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_NOTE_DELETE] = {{HTTP_POST, "/notes/{id}/delete"}, web_note_delete,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_CANDIDATE_ATTACHMENT_CREATE] =
		{{HTTP_POST, "/candidates/{id}/attachments"},
		 web_candidate_attachment_create,
		 ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	[R_ATTACHMENT_DOWNLOAD] = {{HTTP_GET, "/attachments/{id}"},
		web_attachment_download, ANY, ROUTE_NO_LAYOUT},
	/* the LinkedIn tab (candidate_linkedin.c): who may change a link is
	 * checked per candidate too */
	[R_CANDIDATE_LINKEDIN_LINK] =
		{{HTTP_POST, "/candidates/{id}/linkedin/link"},
		 web_candidate_linkedin_link, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_CANDIDATE_LINKEDIN_UNLINK] =
		{{HTTP_POST, "/candidates/{id}/linkedin/unlink"},
		 web_candidate_linkedin_unlink, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_CANDIDATE_LINKEDIN_REFRESH] =
		{{HTTP_POST, "/candidates/{id}/linkedin/refresh"},
		 web_candidate_linkedin_refresh, ANY, 0},
	/* the Recruiting activities tab's Retry: a refresh of the viewer's
	 * seat from LinkedIn, queued for the worker */
	[R_CANDIDATE_ACTIVITIES_REFRESH] =
		{{HTTP_POST, "/candidates/{id}/activities/refresh"},
		 web_candidate_activities_refresh, ANY, 0},
	/* deleting a candidate for good (data_protection.c): admins only */
	[R_CANDIDATE_DELETE_FORM] = {{HTTP_GET, "/candidates/{id}/delete"},
		web_candidate_delete_form, ROLE_ADMIN, 0},
	[R_CANDIDATE_DELETE] = {{HTTP_POST, "/candidates/{id}/delete"},
		web_candidate_delete, ROLE_ADMIN, 0},
	/* a PDF shown in the candidate page's frame; deleting a file
	 * (access to its candidate checked per request: ACCESS_MANAGE) */
	[R_ATTACHMENT_PREVIEW] = {{HTTP_GET, "/attachments/{id}/preview"},
		web_attachment_preview, ANY, ROUTE_NO_LAYOUT},
	[R_ATTACHMENT_DELETE_FORM] = {{HTTP_GET, "/attachments/{id}/delete"},
		web_attachment_delete_form, ROLE_ADMIN | ROLE_RECRUITER, 0},
	[R_ATTACHMENT_DELETE] = {{HTTP_POST, "/attachments/{id}/delete"},
		web_attachment_delete, ROLE_ADMIN | ROLE_RECRUITER, 0},
	/* stage18: Delete note, confirmed first (the author's) */
	[R_NOTE_DELETE_FORM] = {{HTTP_GET, "/notes/{id}/delete"},
		web_note_delete_form,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	/* bulk actions on search results (bulk.c) */
	[R_CANDIDATES_BULK_POOL] = {{HTTP_POST, "/candidates/bulk/pool"},
		web_candidates_bulk_pool, POOLS, 0},
	[R_CANDIDATES_BULK_JOB] = {{HTTP_POST, "/candidates/bulk/job"},
		web_candidates_bulk_job, ROLE_ADMIN | ROLE_RECRUITER, 0},
	/* @candidates-routes: add candidate routes above this line */
	[R_POOLS_LIST] = {{HTTP_GET, "/pools"}, web_pools_list, POOLS, 0},
	[R_POOL_CREATE] = {{HTTP_POST, "/pools"}, web_pool_create, POOLS, 0},
	[R_POOL_SHOW] = {{HTTP_GET, "/pools/{id}"}, web_pool_show, POOLS, 0},
	[R_POOL_RENAME] = {{HTTP_POST, "/pools/{id}"}, web_pool_rename, POOLS,
		0},
	[R_POOL_DELETE] = {{HTTP_POST, "/pools/{id}/delete"}, web_pool_delete,
		POOLS, 0},
	[R_POOL_MEMBERS] = {{HTTP_POST, "/pools/{id}/members"},
		web_pool_members, POOLS, 0},
	[R_POOL_FETCH] = {{HTTP_POST, "/pools/{id}/fetch"}, web_pool_fetch,
		POOLS, 0},
	/* stage18: Delete this pool, confirmed first */
	[R_POOL_DELETE_FORM] = {{HTTP_GET, "/pools/{id}/delete"},
		web_pool_delete_form, POOLS, 0},
	/* bulk actions on a pool's members (bulk.c) */
	[R_POOL_BULK_POOL] = {{HTTP_POST, "/pools/{id}/bulk/pool"},
		web_pool_bulk_pool, POOLS, 0},
	[R_POOL_BULK_JOB] = {{HTTP_POST, "/pools/{id}/bulk/job"},
		web_pool_bulk_job, POOLS, 0},
	/* @pools-routes: add pool routes above this line */
	[R_ADMIN_USERS] = {{HTTP_GET, "/admin/users"}, web_admin_users,
		ROLE_ADMIN, 0},
	[R_ADMIN_USER_CREATE] = {{HTTP_POST, "/admin/users"},
		web_admin_user_create, ROLE_ADMIN, 0},
	[R_ADMIN_USER_UPDATE] = {{HTTP_POST, "/admin/users/{id}"},
		web_admin_user_update, ROLE_ADMIN, 0},
	[R_ADMIN_USER_DEACTIVATE] =
		{{HTTP_POST, "/admin/users/{id}/deactivate"},
		 web_admin_user_deactivate, ROLE_ADMIN, 0},
	[R_ADMIN_USER_ACTIVATE] = {{HTTP_POST, "/admin/users/{id}/activate"},
		web_admin_user_activate, ROLE_ADMIN, 0},
	[R_SETTINGS_USER] = {{HTTP_GET, "/settings/user"}, web_settings_user,
		ANY, 0},
	[R_SETTINGS_PASSWORD] = {{HTTP_POST, "/settings/user/password"},
		web_settings_password, ANY, 0},
	/* @people-routes: add admin/settings routes above this line */
	[R_LINKEDIN_ADMIN] = {{HTTP_GET, "/admin/linkedin"}, web_linkedin_admin,
		ROLE_ADMIN, 0},
	[R_LINKEDIN_ADMIN_SAVE] = {{HTTP_POST, "/admin/linkedin"},
		web_linkedin_admin_save, ROLE_ADMIN, 0},
	[R_LINKEDIN_ADMIN_TEST] = {{HTTP_POST, "/admin/linkedin/test"},
		web_linkedin_admin_test, ROLE_ADMIN, 0},
	[R_LINKEDIN_INTEGRATIONS] = {{HTTP_POST,
		"/admin/linkedin/integrations"}, web_linkedin_integrations,
		ROLE_ADMIN, 0},
	[R_LINKEDIN_OUTBOX] = {{HTTP_GET, "/admin/linkedin/outbox"},
		web_linkedin_outbox, ROLE_ADMIN, 0},
	[R_LINKEDIN_OUTBOX_RETRY] =
		{{HTTP_POST, "/admin/linkedin/outbox/{id}/retry"},
		 web_linkedin_outbox_retry, ROLE_ADMIN, 0},
	[R_LINKEDIN_SETTINGS] = {{HTTP_GET, "/settings/linkedin"},
		web_linkedin_settings, ANY, 0},
	[R_LINKEDIN_CONNECT] = {{HTTP_GET, "/settings/linkedin/connect"},
		web_linkedin_connect, ANY, 0},
	[R_LINKEDIN_CALLBACK] = {{HTTP_GET, "/settings/linkedin/callback"},
		web_linkedin_callback, ANY, 0},
	[R_LINKEDIN_DISCONNECT] = {{HTTP_POST, "/settings/linkedin/disconnect"},
		web_linkedin_disconnect, ANY, 0},
	[R_LINKEDIN_CHECK] = {{HTTP_POST, "/settings/linkedin/check"},
		web_linkedin_check, ANY, 0},
	[R_LINKEDIN_IE11_DISMISS] = {{HTTP_POST, "/browser-notice/dismiss"},
		web_linkedin_ie11_dismiss, 0, ROUTE_PUBLIC},
	[R_LINKEDIN_CHALLENGE] = {{HTTP_GET, "/linkedin/notifications"},
		web_linkedin_challenge, 0,
		ROUTE_PUBLIC | ROUTE_NO_LAYOUT | ROUTE_MACHINE},
	[R_LINKEDIN_NOTIFICATION] = {{HTTP_POST, "/linkedin/notifications"},
		web_linkedin_notification, 0,
		ROUTE_PUBLIC | ROUTE_NO_LAYOUT | ROUTE_MACHINE},
	[R_LINKEDIN_EVENTS] = {{HTTP_GET, "/admin/linkedin/events"},
		web_linkedin_events, ROLE_ADMIN, 0},
	[R_LINKEDIN_EVENT_RETRY] =
		{{HTTP_POST, "/admin/linkedin/events/{id}/retry"},
		 web_linkedin_event_retry, ROLE_ADMIN, 0},
	[R_LINKEDIN_BACKFILL] = {{HTTP_POST, "/admin/linkedin/backfill"},
		web_linkedin_backfill, ROLE_ADMIN, 0},
	/* closed LinkedIn profiles (data_protection.c) */
	[R_LINKEDIN_CLOSED] = {{HTTP_GET, "/admin/linkedin/closed"},
		web_linkedin_closed, ROLE_ADMIN, 0},
	[R_LINKEDIN_CLOSED_CHECK] = {{HTTP_POST, "/admin/linkedin/closed/check"},
		web_linkedin_closed_check, ROLE_ADMIN, 0},
	[R_LINKEDIN_CLOSED_ERASE] =
		{{HTTP_POST, "/admin/linkedin/closed/{id}/erase"},
		 web_linkedin_closed_erase, ROLE_ADMIN, 0},
	/* @linkedin-routes: add LinkedIn routes above this line */
	/* a bulk job's progress: its creator's (and admins'); whoever may
	 * start one */
	[R_BULK_SHOW] = {{HTTP_GET, "/bulk/{id}"}, web_bulk_show,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	/* a waiting bulk job's confirmation (a reject, a move that hires,
	 * all of a search's results): its creator's alone */
	[R_BULK_CONFIRM] = {{HTTP_POST, "/bulk/{id}/confirm"},
		web_bulk_confirm,
		ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0},
	/* @bulk-routes: add bulk action routes above this line */
	[R_HEALTHZ] = {{HTTP_GET, "/healthz"}, web_healthz, 0,
		ROUTE_PUBLIC | ROUTE_NO_LAYOUT | ROUTE_NO_SESSION},
	[R_METRICS] = {{HTTP_GET, "/metrics"}, web_metrics, 0,
		ROUTE_PUBLIC | ROUTE_NO_LAYOUT | ROUTE_NO_SESSION},
};

const char *web_route_label(enum web_route_id id,
			    char out[WEB_ROUTE_LABEL_MAX])
{
	const struct http_route *r = &web_routes[id].r;
	snprintf(out, WEB_ROUTE_LABEL_MAX, "%s %s",
		 http_method_name(r->methods), r->pattern);
	return out;
}

/* Every template a handler names; start-up fails when one is missing. */
const char *const web_templates[] = {
	"layout", "errors/error", "auth/login", "jobs/list", "jobs/rows",
	"jobs/form", "jobs/show", "careers/show",
	"applications/show",
	"pools/list", "pools/show", "admin/users", "settings/user",
	"settings/connections",
	"linkedin/admin", "linkedin/outbox", "linkedin/events",
	"candidates/list", "candidates/form", "candidates/show",
	"candidates/delete", "linkedin/closed",
	"candidates/attachment_delete",
	"confirm/page",
	"feedback/form", "feedback/due", "feedback/review",
	"bulk/show",
	/* @templates: add template names above this line */
};

const size_t web_ntemplates = ARRAY_LEN(web_templates);
