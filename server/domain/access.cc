#include "server/domain/access.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace reciprocity {
namespace {

using v1::ROLE_ADMINISTRATOR;
using v1::ROLE_AUDITOR;
using v1::ROLE_FINANCE;
using v1::ROLE_OFFICER;
using v1::ROLE_PARTICIPANT;

// The one table of RPC x role. A method missing here is refused to all.
const absl::flat_hash_map<std::string, std::vector<v1::Role>>& Table() {
  static const auto* const kTable =
      new absl::flat_hash_map<std::string, std::vector<v1::Role>>{
          {"/reciprocity.v1.ClaimService/PreviewClaim",
           {ROLE_PARTICIPANT, ROLE_OFFICER}},
          {"/reciprocity.v1.ClaimService/SubmitClaim",
           {ROLE_PARTICIPANT, ROLE_OFFICER}},
          {"/reciprocity.v1.ClaimService/GetClaim",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.ClaimService/ListClaims",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.ClaimService/ReviewClaimLine", {ROLE_OFFICER}},
          {"/reciprocity.v1.ClaimService/WithdrawClaim",
           {ROLE_PARTICIPANT, ROLE_OFFICER}},
          {"/reciprocity.v1.ClaimService/AppealClaimLine",
           {ROLE_PARTICIPANT, ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/CreateParticipant",
           {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/GetParticipant",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.ProgrammeService/ListParticipants",
           {ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          // Participants: their own payment_preference only.
          {"/reciprocity.v1.ProgrammeService/UpdateParticipant",
           {ROLE_OFFICER, ROLE_PARTICIPANT}},
          {"/reciprocity.v1.ProgrammeService/DeactivateParticipant",
           {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/CreateSession", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/GetSession",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.ProgrammeService/ListSessions",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.ProgrammeService/CreateAgreement", {ROLE_OFFICER}},
          // Standing agreements only, in the officer's own areas.
          {"/reciprocity.v1.ProgrammeService/EndAgreement", {ROLE_OFFICER}},
          // The register's appointees: officers of any area, as for
          // UpdateParticipant. An appointee then acts with their own
          // (participant or officer) role through AppealClaimLine and
          // UpdateParticipant.
          {"/reciprocity.v1.ProgrammeService/AddAppointee", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/RemoveAppointee", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/ListAgreements",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.ProgrammeService/RecordAttendance", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/ListVoucherEntitlements",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.ProgrammeService/IssueVoucher", {ROLE_OFFICER}},
          // Corrections: officers of the session's area change the
          // register; a participant amends their own claim, an officer of
          // the area amends one for them.
          {"/reciprocity.v1.ProgrammeService/UpdateSession", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/CancelSession", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/UpdateAttendance", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/DeleteAttendance", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/ListAttendances", {ROLE_OFFICER}},
          {"/reciprocity.v1.ProgrammeService/DecideVoucher", {ROLE_OFFICER}},
          {"/reciprocity.v1.ClaimService/AmendClaim",
           {ROLE_PARTICIPANT, ROLE_OFFICER}},
          {"/reciprocity.v1.PolicyService/ListServiceAreas",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_ADMINISTRATOR,
            ROLE_AUDITOR}},
          {"/reciprocity.v1.PolicyService/ListProjects",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_ADMINISTRATOR,
            ROLE_AUDITOR}},
          {"/reciprocity.v1.PolicyService/ExplainPolicy",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_ADMINISTRATOR,
            ROLE_AUDITOR}},
          {"/reciprocity.v1.PolicyService/ReloadPolicies",
           {ROLE_ADMINISTRATOR}},
          // The area's claims judged again under a draft rule file: its
          // officers (PolicyService checks the area), finance and
          // administrators, who may see every claim of the area.
          {"/reciprocity.v1.PolicyService/WhatIfPolicy",
           {ROLE_OFFICER, ROLE_FINANCE, ROLE_ADMINISTRATOR}},
          {"/reciprocity.v1.AuditService/ListAuditEvents",
           {ROLE_AUDITOR, ROLE_ADMINISTRATOR}},
          {"/reciprocity.v1.AuditService/VerifyAuditLog",
           {ROLE_AUDITOR, ROLE_ADMINISTRATOR}},
          // Finance: payment batches and reports.
          {"/reciprocity.v1.FinanceService/CreateBatch", {ROLE_FINANCE}},
          {"/reciprocity.v1.FinanceService/GetBatch",
           {ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.FinanceService/ListBatches",
           {ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.FinanceService/ApproveBatch", {ROLE_FINANCE}},
          {"/reciprocity.v1.FinanceService/CancelBatch", {ROLE_FINANCE}},
          {"/reciprocity.v1.FinanceService/ExportBatch", {ROLE_FINANCE}},
          {"/reciprocity.v1.FinanceService/MarkBatchPaid", {ROLE_FINANCE}},
          {"/reciprocity.v1.FinanceService/GetSpendReport",
           {ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.FinanceService/GetParticipantTotalsReport",
           {ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.FinanceService/GetTimelinessReport",
           {ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}},
          // Reads only, but it is finance's check of a supplier's bill.
          {"/reciprocity.v1.FinanceService/ReconcileVouchers",
           {ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.FinanceService/ReconcileVoucherInvoice",
           {ROLE_FINANCE, ROLE_AUDITOR}},
          {"/reciprocity.v1.AdminService/BackupDatabase", {ROLE_ADMINISTRATOR}},
          // Personal data: subject-access export, retention, anonymisation.
          {"/reciprocity.v1.ProgrammeService/ExportParticipantData",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_ADMINISTRATOR, ROLE_AUDITOR}},
          {"/reciprocity.v1.ProgrammeService/AnonymiseParticipant",
           {ROLE_ADMINISTRATOR}},
          {"/reciprocity.v1.AdminService/GetRetentionPolicy",
           {ROLE_OFFICER, ROLE_ADMINISTRATOR, ROLE_AUDITOR}},
          {"/reciprocity.v1.AdminService/UpdateRetentionPolicy",
           {ROLE_ADMINISTRATOR}},
          // Sign-in codes and sessions. RedeemSignInCode needs no caller
          // (the code is the credential): listed so the table stays whole.
          {"/reciprocity.v1.SignInService/RedeemSignInCode",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_ADMINISTRATOR,
            ROLE_AUDITOR}},
          {"/reciprocity.v1.SignInService/IssueSignInCode",
           {ROLE_OFFICER, ROLE_ADMINISTRATOR}},
          {"/reciprocity.v1.SignInService/CreateSignInSession",
           {ROLE_OFFICER, ROLE_FINANCE, ROLE_ADMINISTRATOR, ROLE_AUDITOR}},
          {"/reciprocity.v1.SignInService/EndSignInSession",
           {ROLE_PARTICIPANT, ROLE_OFFICER, ROLE_FINANCE, ROLE_ADMINISTRATOR,
            ROLE_AUDITOR}},
      };
  return *kTable;
}

bool HasAnyRoleIn(const Principal& caller, absl::string_view area_id,
                  std::initializer_list<v1::Role> roles) {
  return std::any_of(roles.begin(), roles.end(),
                     [&](v1::Role r) { return caller.HasRoleIn(r, area_id); });
}

absl::Status Denied(absl::string_view why) {
  return absl::PermissionDeniedError(why);
}

}  // namespace

std::vector<v1::Role> RolesFor(absl::string_view method) {
  auto it = Table().find(method);
  return it == Table().end() ? std::vector<v1::Role>{} : it->second;
}

absl::Status AuthorizeMethod(const Principal& caller,
                             absl::string_view method) {
  for (v1::Role role : RolesFor(method)) {
    if (caller.HasRole(role)) return absl::OkStatus();
  }
  return Denied(
      absl::StrCat("principal ", caller.id, " may not call ", method));
}

absl::Status CheckMayActFor(const Principal& caller,
                            absl::string_view participant_id,
                            absl::string_view area_id) {
  if (caller.HasRoleIn(ROLE_OFFICER, area_id)) return absl::OkStatus();
  if (caller.HasRole(ROLE_PARTICIPANT) && !caller.participant_id.empty() &&
      caller.participant_id == participant_id) {
    return absl::OkStatus();
  }
  return Denied(
      "you may act only for yourself, or as an officer of the service area");
}

absl::Status CheckMayRead(const Principal& caller,
                          absl::string_view participant_id,
                          absl::string_view area_id) {
  if (HasAnyRoleIn(caller, area_id,
                   {ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR})) {
    return absl::OkStatus();
  }
  if (caller.HasRole(ROLE_PARTICIPANT) && !caller.participant_id.empty() &&
      caller.participant_id == participant_id) {
    return absl::OkStatus();
  }
  return Denied("you may not see this record");
}

absl::Status CheckIsOfficerIn(const Principal& caller,
                              absl::string_view area_id) {
  if (caller.HasRoleIn(ROLE_OFFICER, area_id)) return absl::OkStatus();
  return Denied(absl::StrCat("only an officer of ", area_id, " may do this"));
}

absl::Status NarrowToCallerScope(const Principal& caller,
                                 std::string& participant_id,
                                 std::vector<std::string>& area_ids_in) {
  const bool staff = caller.HasRole(ROLE_OFFICER) ||
                     caller.HasRole(ROLE_FINANCE) ||
                     caller.HasRole(ROLE_AUDITOR);
  if (!staff) {
    if (caller.participant_id.empty()) {
      return Denied("you may not list these records");
    }
    if (!participant_id.empty() && participant_id != caller.participant_id) {
      return Denied("you may list only your own records");
    }
    participant_id = caller.participant_id;
    return absl::OkStatus();
  }
  if (!caller.ActsIn("*")) {
    area_ids_in = caller.service_areas;
    // No areas: match nothing rather than everything.
    if (area_ids_in.empty()) area_ids_in.push_back("");
  }
  return absl::OkStatus();
}

absl::Status MissingRecord(const Principal& caller, absl::string_view what) {
  if (HasAnyRoleIn(caller, "*", {ROLE_OFFICER, ROLE_FINANCE, ROLE_AUDITOR}) &&
      caller.ActsIn("*")) {
    return absl::NotFoundError(absl::StrCat(what, " not found"));
  }
  return Denied("you may not see this record");
}

}  // namespace reciprocity
