#include "server/domain/policy_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "policy/explain.h"
#include "policy/validate.h"
#include "server/domain/access.h"
#include "server/domain/audit.h"
#include "server/domain/names.h"
#include "server/domain/paging.h"
#include "server/domain/whatif.h"

namespace reciprocity {

absl::StatusOr<v1::ListServiceAreasResponse> PolicyService::ListServiceAreas(
    const Principal& caller, const v1::ListServiceAreasRequest& request) {
  RECIP_RETURN_IF_ERROR(CheckSinglePage(request.page_token()));
  v1::ListServiceAreasResponse response;
  for (const auto& area : policies_.All()) {
    v1::ServiceArea* out = response.add_service_areas();
    out->set_name(absl::StrCat("serviceAreas/", area->area_id()));
    out->set_display_name(area->display_name());
    out->set_policy_version(area->version());
    out->set_project_count(static_cast<int32_t>(area->projects().size()));
  }
  return response;
}

absl::StatusOr<v1::ListProjectsResponse> PolicyService::ListProjects(
    const Principal& caller, const v1::ListProjectsRequest& request) {
  RECIP_ASSIGN_OR_RETURN(std::string area_id,
                         ParseServiceAreaName("parent", request.parent()));
  RECIP_RETURN_IF_ERROR(CheckSinglePage(request.page_token()));
  auto area = policies_.Find(area_id);
  if (area == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("serviceAreas/", area_id, " not found"));
  }
  const absl::CivilDay today = clock_.TodayInLondon();
  v1::ListProjectsResponse response;
  for (const auto& project : area->projects()) {
    v1::ServiceAreaProject* out = response.add_projects();
    out->set_name(ProjectResourceName(area_id, project.id));
    out->set_display_name(project.display_name);
    out->set_cost_centre(project.cost_centre);
    out->set_budget_pence(project.BudgetPenceFor(today));
    out->set_creche_by_default(project.creche_by_default);
  }
  return response;
}

absl::StatusOr<v1::ExplainPolicyResponse> PolicyService::Explain(
    const Principal& caller, const v1::ExplainPolicyRequest& request) {
  RECIP_ASSIGN_OR_RETURN(
      std::string area_id,
      ParseServiceAreaName("service_area", request.service_area()));
  absl::CivilDay as_of = clock_.TodayInLondon();
  if (!request.date().empty()) {
    RECIP_ASSIGN_OR_RETURN(as_of, ParseDateField("date", request.date()));
  }
  auto area = policies_.Find(area_id);
  if (area == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("serviceAreas/", area_id, " not found"));
  }
  std::optional<std::string_view> project;
  if (!request.project().empty()) {
    if (area->FindProject(request.project()) == nullptr) {
      return absl::NotFoundError(absl::StrCat("project: service area '",
                                              area_id, "' has no project '",
                                              request.project(), "'"));
    }
    project = request.project();
  }
  v1::ExplainPolicyResponse response;
  response.set_text(policy::ExplainPolicy(*area, project, as_of));
  response.set_policy_version(area->version());
  return response;
}

absl::Status PolicyService::RecordVersionsInForce() {
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return store_.Write([&](store::WriteTransaction& tx) -> absl::Status {
    for (const auto& area : policies_.All()) {
      RECIP_RETURN_IF_ERROR(tx.SavePolicyVersion(
          area->version(), area->area_id(), area->content(), now));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::ReloadPoliciesResponse> PolicyService::Reload(
    const Principal& caller, const v1::ReloadPoliciesRequest& request) {
  policy::ReloadResult result = policies_.Reload();
  RECIP_RETURN_IF_ERROR(RecordVersionsInForce());
  std::optional<store::AuditRow> audited;
  RECIP_RETURN_IF_ERROR(
      store_.Write([&](store::WriteTransaction& tx) -> absl::Status {
        RECIP_ASSIGN_OR_RETURN(
            audited,
            AppendAudit(tx,
                        AuditEntry{caller.id, "ReloadPolicies",
                                   absl::StrJoin(result.loaded_versions, ","),
                                   request.request_id(),
                                   absl::ToUnixMicros(clock_.Now())}));
        return absl::OkStatus();
      }));
  LogAuditHead(*audited);
  v1::ReloadPoliciesResponse response;
  for (auto& v : result.loaded_versions) response.add_loaded_versions(v);
  for (auto& v : result.unchanged_versions) response.add_unchanged_versions(v);
  for (auto& e : result.errors) response.add_errors(e);
  *response.mutable_reload_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(clock_.Now()));
  return response;
}

absl::StatusOr<v1::WhatIfReport> PolicyService::WhatIf(
    const Principal& caller, const v1::WhatIfPolicyRequest& request) {
  RECIP_ASSIGN_OR_RETURN(
      std::string area_id,
      ParseServiceAreaName("service_area", request.service_area()));
  auto live = policies_.Find(area_id);
  if (live == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("serviceAreas/", area_id, " not found"));
  }
  // The replay shows every claim of the area, so only those who may see
  // them all: its officers, finance and administrators.
  if (!caller.HasRoleIn(v1::ROLE_OFFICER, area_id) &&
      !caller.HasRoleIn(v1::ROLE_FINANCE, area_id) &&
      !caller.HasRole(v1::ROLE_ADMINISTRATOR)) {
    return absl::PermissionDeniedError(
        absl::StrCat("only officers of ", area_id,
                     ", finance and administrators may try a draft of its "
                     "rules"));
  }
  if (request.date_from().empty()) {
    return absl::InvalidArgumentError(
        "date_from: required, the first session date to replay (YYYY-MM-DD)");
  }
  if (request.date_to().empty()) {
    return absl::InvalidArgumentError(
        "date_to: required, the last session date to replay (YYYY-MM-DD)");
  }
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay from,
                         ParseDateField("date_from", request.date_from()));
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay to,
                         ParseDateField("date_to", request.date_to()));
  if (to < from) {
    return absl::InvalidArgumentError(
        absl::StrCat("date_to: ", request.date_to(), " is before date_from ",
                     request.date_from()));
  }
  if (to - from > kMaxWhatIfDays) {
    return absl::InvalidArgumentError(
        "date_to: at most three years after date_from");
  }
  RECIP_ASSIGN_OR_RETURN(
      int max_listed,
      PageLimit(request.page_size(), kDefaultWhatIfListed, kMaxWhatIfListed));
  if (request.rule_file_text().empty()) {
    return absl::InvalidArgumentError(
        "rule_file_text: required, the draft rule file");
  }
  if (request.rule_file_text().size() > policy::kMaxRuleFileBytes) {
    return absl::InvalidArgumentError(
        "rule_file_text: a rule file is at most 256 KiB");
  }
  std::string file_name = request.rule_file_name();
  if (file_name.empty()) {
    file_name = absl::StrCat(area_id, ".textproto");
  } else if (!IsPlainFileName(file_name)) {
    return absl::InvalidArgumentError(
        "rule_file_name: a file name, not a path: up to 128 letters, digits, "
        "'.', '-' and '_'");
  }
  auto draft =
      policy::ParseRuleFile(file_name, area_id, request.rule_file_text());
  if (!draft.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule_file_text: ", draft.status().message()));
  }
  return ReplayUnderDraft(store_, *live, **draft, from, to, max_listed);
}

}  // namespace reciprocity
