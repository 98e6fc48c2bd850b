/*
 * routes.c - the route table: every URL the sandbox answers, with the
 * methods and the handler of each.  Patterns are the router's
 * (src/http/router.c): a {key} segment takes one path segment, as in
 * "/v2/atsApplications/{key}/stages", and the handler finds it in
 * c->match.captures, in the pattern's order.  A path no pattern matches gets
 * LinkedIn's 404, one matched only with other methods its 405 (main.c).
 */
#include "sandbox/sandbox.h"

const struct sb_route sb_routes[] = {
    {{HTTP_GET, "/"}, sb_home},
    {{HTTP_GET, "/healthz"}, sb_healthz},
    {{HTTP_GET, "/login"}, sb_signin_page},
    {{HTTP_POST, "/login"}, sb_signin},
    {{HTTP_POST, "/logout"}, sb_signout},
    {{HTTP_GET, "/talent/profile/{member}"}, sb_recruiter_profile},
    {{HTTP_POST, "/talent/profile/{member}/export"}, sb_recruiter_export},
    {{HTTP_GET, "/oauth/v2/authorization"}, sb_authorization_get},
    {{HTTP_POST, "/oauth/v2/authorization"}, sb_authorization_post},
    {{HTTP_POST, "/oauth/v2/accessToken"}, sb_access_token},
    {{HTTP_POST, "/oauth/v2/revoke"}, sb_revoke},
    {{HTTP_POST, "/oauth/v2/introspectToken"}, sb_introspect},
    {{HTTP_GET, "/v2/me"}, sb_me},
    {{HTTP_GET, "/v2/userinfo"}, sb_userinfo},
    {{HTTP_GET, "/v2/seats"}, sb_seats},
    {{HTTP_GET, "/v2/seatsV2"}, sb_seats_v2},
    {{HTTP_POST, "/v2/atsIntegrations"}, sb_integrations_patch},
    {{HTTP_GET, "/v2/atsIntegrations"}, sb_integrations_get},
    {{HTTP_PUT, "/v2/atsIntegrations/{key}/configurations"},
     sb_configurations_put},
    {{HTTP_GET, "/v2/atsIntegrations/{key}/configurations"},
     sb_configurations_get},
    {{HTTP_DELETE, "/v2/atsIntegrations/{key}/configurations"},
     sb_configurations_delete},
    {{HTTP_POST, "/v2/simpleJobPostings"}, sb_job_postings_create},
    {{HTTP_GET, "/v2/simpleJobPostingTasks"}, sb_job_posting_tasks_get},
    {{HTTP_PUT, "/v2/atsEntityAcls"}, sb_entity_acls_put},
    {{HTTP_GET, "/v2/atsEntityAcls"}, sb_entity_acls_get},
    {{HTTP_DELETE, "/v2/atsEntityAcls"}, sb_entity_acls_delete},
    {{HTTP_PUT, "/v2/atsEntityAclAssignees"}, sb_acl_assignees_put},
    {{HTTP_GET, "/v2/atsEntityAclAssignees"}, sb_acl_assignees_get},
    {{HTTP_DELETE, "/v2/atsEntityAclAssignees"}, sb_acl_assignees_delete},
    {{HTTP_GET, "/sandbox/jobs"}, sb_control_jobs},
    {{HTTP_POST, "/sandbox/integrations"}, sb_control_integrations},
    {{HTTP_GET, "/sandbox/control"}, sb_control_get},
    {{HTTP_POST, "/sandbox/control"}, sb_control_post},
    {{HTTP_GET, "/v2/exportedCandidates"}, sb_exported_candidates},
    {{HTTP_GET, "/sandbox/credentials"}, sb_credentials},
    {{HTTP_POST, "/sandbox/exports"}, sb_control_export},
    {{HTTP_GET, "/sandbox/notifications"}, sb_notifications_get},
    {{HTTP_POST, "/sandbox/notifications/redeliver"},
     sb_notifications_redeliver},
    {{HTTP_POST, "/sandbox/notifications/forged"}, sb_notifications_forged},
    {{HTTP_POST, "/sandbox/notifications/hold"}, sb_notifications_hold},
};

const size_t sb_nroutes = ARRAY_LEN(sb_routes);
