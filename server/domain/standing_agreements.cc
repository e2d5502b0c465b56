// Standing agreements: validation, recording, ending early, and the
// agreements covering a session when a claim is judged.
#include "server/domain/standing_agreements.h"

#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/access.h"
#include "server/domain/claim_validation.h"
#include "server/domain/idempotency.h"
#include "server/domain/paging.h"
#include "server/domain/programme_service.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

// The agreement with `id`, for an officer of its area. As for sessions
// (AIP-211): a missing agreement and one in another area get the same
// answer, except for an officer of every area.
absl::StatusOr<store::AgreementRow> FindAgreementForOfficer(
    store::ReadTransaction& tx, const Principal& caller,
    absl::string_view name, int64_t id) {
  store::ProgrammeFilter filter;
  filter.after_id = id - 1;
  filter.limit = 1;
  RECIP_ASSIGN_OR_RETURN(std::vector<store::AgreementRow> rows,
                         tx.ListAgreements(filter));
  const bool found = !rows.empty() && rows[0].id == id;
  if (found && caller.HasRoleIn(v1::ROLE_OFFICER, rows[0].area_id)) {
    return rows[0];
  }
  if (!found && caller.HasRoleIn(v1::ROLE_OFFICER, "*")) {
    return absl::NotFoundError(absl::StrCat("name: ", name, " not found"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "name: ", name,
      " is not an agreement of a service area where you are an officer (or "
      "there is no such agreement)"));
}

}  // namespace

absl::Status ValidateAgreementTerms(const v1::Agreement& in) {
  if (in.category() == v1::EXPENSE_CATEGORY_UNSPECIFIED ||
      !v1::ExpenseCategory_IsValid(in.category())) {
    return absl::InvalidArgumentError(
        "agreement.category: required, e.g. EXPENSE_CATEGORY_TAXI");
  }
  if (in.up_to_pence() < 0 || in.up_to_pence() > kMaxLineAmountPence) {
    return absl::InvalidArgumentError(
        "agreement.up_to_pence: must be between 0 and £100,000.00");
  }
  if (in.note().size() > kMaxDescriptionBytes) {
    return absl::InvalidArgumentError("agreement.note: at most 500 characters");
  }
  return CheckFreeText("agreement.note", in.note(), TextLines::kMany);
}

bool StandingAgreementCovers(const v1::Agreement& agreement,
                             absl::string_view project, absl::CivilDay day) {
  if (!agreement.session().empty() || agreement.project() != project) {
    return false;
  }
  const std::string on = policy::FormatIsoDate(day);
  // ISO dates compare as text; an agreement ended before it began has
  // date_to before date_from and covers nothing.
  return agreement.date_from() <= on && on <= agreement.date_to();
}

absl::Status InsertAgreement(store::WriteTransaction& tx,
                             const std::string& participant_id,
                             int64_t session_id, const std::string& area_id,
                             int64_t now_micros, v1::Agreement& agreement) {
  store::AgreementRow row;
  row.participant_id = participant_id;
  row.session_id = session_id;
  row.area_id = area_id;
  row.category = agreement.category();
  row.up_to_pence = agreement.up_to_pence();
  row.create_time_micros = now_micros;
  agreement.clear_name();
  row.body = agreement.SerializeAsString();
  RECIP_ASSIGN_OR_RETURN(int64_t id, tx.InsertAgreement(row));
  agreement.set_name(AgreementName(id));
  return absl::OkStatus();
}

bool RecordedAfter(int64_t create_time_micros, absl::CivilDay session_day) {
  return absl::ToCivilDay(absl::FromUnixMicros(create_time_micros),
                          LondonTimeZone()) > session_day;
}

absl::StatusOr<std::vector<policy::Agreement>> StandingAgreementsCovering(
    store::ReadTransaction& tx, const std::string& participant_id,
    const ProjectName& project, absl::CivilDay session_day) {
  const std::string project_name =
      ProjectResourceName(project.area_id, project.project_id);
  store::ProgrammeFilter filter;
  filter.participant_id = participant_id;
  filter.area_id = project.area_id;
  filter.standing_only = true;
  filter.limit = kMaxListPageSize;
  std::vector<policy::Agreement> covering;
  while (true) {
    RECIP_ASSIGN_OR_RETURN(std::vector<store::AgreementRow> rows,
                           tx.ListAgreements(filter));
    for (const store::AgreementRow& row : rows) {
      RECIP_ASSIGN_OR_RETURN(v1::Agreement agreement, AgreementFromRow(row));
      if (!StandingAgreementCovers(agreement, project_name, session_day)) {
        continue;
      }
      policy::Agreement engine;
      engine.category = static_cast<v1::ExpenseCategory>(row.category);
      engine.up_to_pence = row.up_to_pence;
      engine.after_the_session =
          RecordedAfter(row.create_time_micros, session_day);
      covering.push_back(engine);
    }
    if (static_cast<int>(rows.size()) < filter.limit) break;
    filter.after_id = rows.back().id;
  }
  return covering;
}

absl::StatusOr<v1::Agreement> ProgrammeService::CreateStandingAgreement(
    const Principal& caller, const v1::CreateAgreementRequest& request) {
  const v1::Agreement& in = request.agreement();
  if (!in.session().empty()) {
    return absl::InvalidArgumentError(
        "agreement.session: give either a session, or a project with "
        "date_from and date_to for a standing agreement, not both");
  }
  if (in.project().empty()) {
    return absl::InvalidArgumentError(
        "agreement.project: required for a standing agreement (or give "
        "agreement.session for one session)");
  }
  RECIP_ASSIGN_OR_RETURN(
      std::string participant_id,
      ParseParticipantName("agreement.participant", in.participant()));
  RECIP_ASSIGN_OR_RETURN(ProjectName project,
                         ParseProjectName("agreement.project", in.project()));
  auto area = policies_.Find(project.area_id);
  if (area == nullptr || area->FindProject(project.project_id) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("agreement.project: no rule file declares ", in.project()));
  }
  RECIP_RETURN_IF_ERROR(CheckIsOfficerIn(caller, project.area_id));
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay from,
                         ParseDateField("agreement.date_from", in.date_from()));
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay to,
                         ParseDateField("agreement.date_to", in.date_to()));
  if (to < from) {
    return absl::InvalidArgumentError(
        "agreement.date_to: must be on or after date_from");
  }
  if (to - from >= kMaxStandingAgreementDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "agreement.date_to: a standing agreement covers at most ",
        kMaxStandingAgreementDays, " days; record another for the rest"));
  }
  RECIP_RETURN_IF_ERROR(ValidateAgreementTerms(in));
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  const absl::CivilDay today = clock_.TodayInLondon();
  return RunIdempotent<v1::Agreement>(
      store_, caller, "CreateAgreement", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Agreement> {
        RECIP_RETURN_IF_ERROR(
            FindActiveParticipant(tx, "agreement.participant", participant_id)
                .status());
        v1::Agreement a;
        a.set_participant(ParticipantName(participant_id));
        a.set_project(ProjectResourceName(project.area_id, project.project_id));
        a.set_date_from(policy::FormatIsoDate(from));
        a.set_date_to(policy::FormatIsoDate(to));
        a.set_category(in.category());
        a.set_up_to_pence(in.up_to_pence());
        a.set_note(in.note());
        a.set_agreed_by(caller.id);
        // Recorded after its first day: kept, and sessions already held
        // are approved retrospectively (their claims say so). Refusing it
        // would leave those sessions to a review with no record at all.
        a.set_retrospective(today > from);
        *a.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(now);
        RECIP_RETURN_IF_ERROR(InsertAgreement(tx, participant_id,
                                              /*session_id=*/0, project.area_id,
                                              now, a));
        return a;
      });
}

absl::StatusOr<v1::Agreement> ProgrammeService::EndAgreement(
    const Principal& caller, const v1::EndAgreementRequest& request) {
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request.request_id()));
  RECIP_ASSIGN_OR_RETURN(int64_t id,
                         ParseAgreementName("name", request.name()));
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay last,
                         ParseDateField("last_day", request.last_day()));
  const absl::CivilDay today = clock_.TodayInLondon();
  if (last < today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "last_day: must be today (", policy::FormatIsoDate(today),
        ") or later; what was agreed for sessions already held stays"));
  }
  const int64_t now = absl::ToUnixMicros(clock_.Now());
  return RunIdempotent<v1::Agreement>(
      store_, caller, "EndAgreement", request, request.request_id(), now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Agreement> {
        RECIP_ASSIGN_OR_RETURN(
            store::AgreementRow row,
            FindAgreementForOfficer(tx, caller, request.name(), id));
        RECIP_ASSIGN_OR_RETURN(v1::Agreement a, AgreementFromRow(row));
        if (row.session_id != 0 || a.date_to().empty()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "name: ", request.name(),
              " is for one session; only a standing agreement can be ended "
              "early"));
        }
        const std::string last_day = policy::FormatIsoDate(last);
        if (last_day >= a.date_to()) {
          return absl::InvalidArgumentError(
              absl::StrCat("last_day: must be before the agreement's last day, ",
                           a.date_to()));
        }
        if (a.original_date_to().empty()) {
          a.set_original_date_to(a.date_to());
        }
        a.set_date_to(last_day);
        a.set_ended_by(caller.id);
        *a.mutable_end_time() = TimeUtil::MicrosecondsToTimestamp(now);
        a.clear_name();
        RECIP_RETURN_IF_ERROR(
            tx.UpdateAgreementBody(row.id, a.SerializeAsString()));
        a.set_name(AgreementName(row.id));
        return a;
      });
}

}  // namespace reciprocity
