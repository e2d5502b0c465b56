// What the officer's pages about one person share: their record, what to
// call them, the projects to choose from, and each file's routes
// (people_pages.cc: the list and the record with its appointees;
// agreement_pages.cc: standing agreements; act_for_pages.cc: acting for
// them).
#ifndef RECIPROCITY_WEB_PEOPLE_PAGES_H_
#define RECIPROCITY_WEB_PEOPLE_PAGES_H_

#include <map>
#include <string>
#include <vector>

#include "reciprocity/v1/policy_service.pb.h"
#include "reciprocity/v1/programme.pb.h"
#include "web/app.h"
#include "web/staff_pages.h"

namespace reciprocity::web {

// The route pattern of a person's pages: /officer/people/p-0001 captures
// "p-0001" as Match(1).
inline constexpr char kPersonPath[] = R"(/officer/people/([A-Za-z0-9._-]+))";

// The record of the person the route names (Match(1)), asked as the
// visitor.
grpc::Status GetPerson(Call& call, v1::Participant* person);

// "Sam (p-0001)", or "p-0001" when they have no display name.
std::string PersonLabel(const v1::Participant& person);

// The label (PersonLabel) of the participant named `name`
// ("participants/p-0001"), asked as the visitor and remembered in `known`
// for the rest of the page; the id alone when the record cannot be read
// (the page still works).
std::string PersonLabelOf(Call& call, const std::string& name,
                          std::map<std::string, std::string>& known);

// "/officer/people/p-0001".
std::string PersonPath(const v1::Participant& person);

// Every project of every area the service has rules for, asked as the
// visitor.
grpc::Status AllProjects(Call& call,
                         std::vector<v1::ServiceAreaProject>* projects);

// The record page, with `page` holding what was typed and any problems
// (FormProblems) or a notice. When `refused` is not OK the plain-English
// reason is shown above it (Call::Failed).
void ShowPerson(Call& call, Data page,
                const grpc::Status& refused = grpc::Status::OK,
                int http_status = 200);

// Standing agreements: record one, end one early.
void AddAgreementPages(WebApp& app);
// Act for this person: appeal a refused line, change how they are paid.
void AddActForPages(WebApp& app);

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_PEOPLE_PAGES_H_
