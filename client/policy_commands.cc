// recip area list | project list AREA | policy explain|check|reload (and
// whatif, in whatif_command.cc)
#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "client/terminal_text.h"
#include "policy/policy.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"

namespace reciprocity::client {

void AddPolicyCommands(CLI::App& app, Globals& g) {
  CLI::App* area = app.add_subcommand("area", "service areas");
  area->require_subcommand(1);
  area->add_subcommand("list",
                       "list service areas and their rule-file versions")
      ->callback([&g] {
        CallAndPrint<v1::PolicyService, v1::ListServiceAreasResponse>(
            g,
            [](v1::PolicyService::Stub& stub, grpc::ClientContext& c,
               v1::ListServiceAreasResponse* out) {
              return stub.ListServiceAreas(&c, v1::ListServiceAreasRequest(),
                                           out);
            },
            [](std::ostream& out, const v1::ListServiceAreasResponse& r) {
              for (const auto& a : r.service_areas()) {
                out << absl::StrFormat("%-40s %-32s %d projects  %s\n",
                                       a.name(), OneLine(a.display_name()),
                                       a.project_count(), a.policy_version());
              }
            });
      });

  auto area_id = std::make_shared<std::string>();
  CLI::App* project =
      app.add_subcommand("project", "projects of a service area");
  project->require_subcommand(1);
  CLI::App* project_list =
      project->add_subcommand("list", "list a service area's projects");
  project_list
      ->add_option("area", *area_id, "service area id, e.g. adult-social-care")
      ->required();
  project_list->callback([&g, area_id] {
    v1::ListProjectsRequest request;
    request.set_parent("serviceAreas/" + *area_id);
    CallAndPrint<v1::PolicyService, v1::ListProjectsResponse>(
        g,
        [&](v1::PolicyService::Stub& stub, grpc::ClientContext& c,
            v1::ListProjectsResponse* out) {
          return stub.ListProjects(&c, request, out);
        },
        [](std::ostream& out, const v1::ListProjectsResponse& r) {
          for (const auto& p : r.projects()) {
            out << absl::StrFormat("%-60s %-44s %-10s budget %s%s\n", p.name(),
                                   OneLine(p.display_name()),
                                   OneLine(p.cost_centre()),
                                   Pounds(p.budget_pence()),
                                   p.creche_by_default() ? "  (crèche)" : "");
          }
        });
  });

  CLI::App* policy =
      app.add_subcommand("policy", "rule files: explain, check, reload, whatif");
  policy->require_subcommand(1);

  auto explain_project = std::make_shared<std::string>();
  auto explain_date = std::make_shared<std::string>();
  CLI::App* explain = policy->add_subcommand(
      "explain", "print, in plain English, what a service area pays for");
  explain->add_option("area", *area_id, "service area id")->required();
  explain->add_option("--project", *explain_project, "a project's own rules");
  explain->add_option("--date", *explain_date, "rules in force on YYYY-MM-DD");
  explain->callback([&g, area_id, explain_project, explain_date] {
    v1::ExplainPolicyRequest request;
    request.set_service_area("serviceAreas/" + *area_id);
    request.set_project(*explain_project);
    request.set_date(*explain_date);
    CallAndPrint<v1::PolicyService, v1::ExplainPolicyResponse>(
        g,
        [&](v1::PolicyService::Stub& stub, grpc::ClientContext& c,
            v1::ExplainPolicyResponse* out) {
          return stub.ExplainPolicy(&c, request, out);
        },
        [](std::ostream& out, const v1::ExplainPolicyResponse& r) {
          out << r.text();
        });
  });

  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check = policy->add_subcommand(
      "check", "validate rule files offline (no server needed)");
  check->add_option("files", *files, "rule files")
      ->required()
      ->check(CLI::ExistingFile);
  check->callback([&g, files] {
    for (const auto& file : *files) {
      auto loaded = policy::LoadRuleFile(file);
      if (!loaded.ok()) {
        std::cerr << loaded.status().message() << "\n";
        g.exit_code = kExitFailure;
      } else {
        std::cout << file << ": ok (" << (*loaded)->version() << ", "
                  << (*loaded)->projects().size() << " projects)\n";
      }
    }
  });

  AddWhatIfCommand(*policy, g);

  CLI::App* reload = policy->add_subcommand(
      "reload", "administrators: re-read the server's rule files");
  reload->callback([&g] {
    v1::ReloadPoliciesRequest request;
    request.set_request_id(NewRequestId());
    CallAndPrint<v1::PolicyService, v1::ReloadPoliciesResponse>(
        g,
        [&](v1::PolicyService::Stub& stub, grpc::ClientContext& c,
            v1::ReloadPoliciesResponse* out) {
          return stub.ReloadPolicies(&c, request, out);
        },
        [&g](std::ostream& out, const v1::ReloadPoliciesResponse& r) {
          for (const auto& v : r.loaded_versions())
            out << "loaded    " << v << "\n";
          for (const auto& v : r.unchanged_versions())
            out << "unchanged " << v << "\n";
          for (const auto& e : r.errors()) out << "REFUSED   " << e << "\n";
          if (!r.errors().empty()) {
            out << "Refused files were not loaded; their previous rules "
                   "stay in force.\n";
            g.exit_code = kExitFailure;
          }
        });
  });
}

}  // namespace reciprocity::client
