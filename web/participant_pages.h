// What the participant page files share: project names, the lines of a
// claim as table rows, and each file's routes.
#ifndef RECIPROCITY_WEB_PARTICIPANT_PAGES_H_
#define RECIPROCITY_WEB_PARTICIPANT_PAGES_H_

#include <string>
#include <vector>

#include "client/statement.h"
#include "reciprocity/v1/claims.pb.h"
#include "web/app.h"

namespace reciprocity::web {

// What people call each of `projects`, asked of PolicyService as the
// visitor, once per request (rule files can be reloaded, so nothing is
// kept). A project it cannot name is shown by its id.
client::ProjectNames ProjectNamesFor(Call& call,
                                     const std::vector<std::string>& projects);

// What people call one project, e.g. "Learning Disability user voice group".
std::string ProjectNameFor(Call& call, const std::string& project);

// Each line of `claim` with what was asked, what we pay and why.
Data LineRows(const v1::Claim& claim, const v1::Decision& decision);

// Claim for a meeting: the form, its check (preview) and sending.
void AddClaimFormPages(WebApp& app);
// My statement and how I am paid.
void AddMyRecordPages(WebApp& app);

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_PARTICIPANT_PAGES_H_
