#include "server/domain/claim_facts.h"

#include <functional>
#include <optional>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "policy/claim_outcome.h"
#include "policy/dates.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/names.h"
#include "server/domain/paging.h"
#include "server/domain/session_rules.h"
#include "server/domain/standing_agreements.h"

namespace reciprocity {
namespace {

using CategoryClaims = absl::flat_hash_map<int, policy::EarlierLine>;

// States whose car miles count towards the HMRC 10,000-mile tier.
const std::vector<int>& CarMileStates() {
  static const std::vector<int> kStates = {
      v1::CLAIM_STATE_NEEDS_REVIEW, v1::CLAIM_STATE_APPROVED,
      v1::CLAIM_STATE_BATCHED, v1::CLAIM_STATE_PAID};
  return kStates;
}

// States whose money counts against a project's budget.
const std::vector<int>& CommittedStates() {
  static const std::vector<int> kStates = {
      v1::CLAIM_STATE_APPROVED, v1::CLAIM_STATE_BATCHED, v1::CLAIM_STATE_PAID};
  return kStates;
}

// Voucher entitlements whose value counts against a project's budget:
// earned (owed) or issued (given).
const std::vector<int>& CommittedVoucherStates() {
  static const std::vector<int> kStates = {
      v1::VOUCHER_ENTITLEMENT_STATE_EARNED,
      v1::VOUCHER_ENTITLEMENT_STATE_ISSUED};
  return kStates;
}

// Category -> the participant's first claim on `date` (not withdrawn, not
// claim `leave_out_id`, made
// before claim `before_id` when that is not 0, and for which `counts` is
// true) with a line of that category not refused; the
// first settled one when there is one.
absl::StatusOr<CategoryClaims> EarlierLinesOnDay(
    store::ReadTransaction& tx, const std::string& participant_id,
    const std::string& date, int64_t before_id, int64_t leave_out_id,
    const std::function<bool(const store::ClaimRow&)>& counts) {
  RECIP_ASSIGN_OR_RETURN(std::vector<store::ClaimRow> rows,
                         tx.ListClaimsOnDay(participant_id, date));
  CategoryClaims categories;
  for (const auto& row : rows) {
    if (before_id != 0 && row.id >= before_id) continue;
    if (row.state == v1::CLAIM_STATE_WITHDRAWN || row.id == leave_out_id ||
        !counts(row)) {
      continue;
    }
    RECIP_ASSIGN_OR_RETURN(v1::Claim first, ClaimFromRow(row));
    const bool may_be_withdrawn = row.state == v1::CLAIM_STATE_SUBMITTED ||
                                  row.state == v1::CLAIM_STATE_NEEDS_REVIEW;
    for (int i = 0; i < first.lines_size() && i < first.decision().lines_size();
         ++i) {
      const v1::LineOutcome outcome = first.decision().lines(i).outcome();
      if (outcome == v1::LINE_OUTCOME_REFUSED) continue;
      const policy::EarlierLine line{
          row.id, may_be_withdrawn || outcome == v1::LINE_OUTCOME_NEEDS_REVIEW};
      auto [it, added] = categories.emplace(first.lines(i).category(), line);
      if (!added && it->second.unsettled && !line.unsettled) it->second = line;
    }
  }
  return categories;
}

// The project's session on `date` that a claim naming no session is for:
// the one the participant attended, else the first recorded that day (one
// going ahead before a cancelled one); none when the project has no session
// recorded that day.
absl::StatusOr<std::optional<int64_t>> SessionOnDate(
    store::ReadTransaction& tx, const ProjectName& project,
    const std::string& date, const std::string& participant_id) {
  if (date.empty()) return std::nullopt;
  store::ProgrammeFilter filter;
  filter.area_id = project.area_id;
  filter.project_id = project.project_id;
  filter.date_from = date;
  filter.date_to = date;
  filter.limit = kMaxListPageSize;
  RECIP_ASSIGN_OR_RETURN(std::vector<store::SessionRow> sessions,
                         tx.ListSessions(filter));
  if (sessions.empty()) return std::nullopt;
  for (const auto& session : sessions) {
    RECIP_ASSIGN_OR_RETURN(std::optional<store::AttendanceRow> attendance,
                           tx.FindAttendance(session.id, participant_id));
    if (attendance.has_value()) return session.id;
  }
  for (const auto& session : sessions) {
    if (CheckSessionNotCancelled(session, "claim.session").ok()) {
      return session.id;
    }
  }
  return sessions.front().id;
}

// Fills in what the claim's session adds to the facts: its date, crèche,
// agreements, attendance and earlier claims for it. When the claim names
// none and its project has no session recorded on its date (or, with
// `as_stored`, when it was stored without one), only the date and the
// same-day claims are set, and attendance is not checked.
absl::Status AddSessionFacts(store::ReadTransaction& tx, const v1::Claim& claim,
                             const ClaimReferences& references,
                             const AsStored* as_stored,
                             const store::ClaimRow* replacing,
                             GatheredFacts& gathered) {
  const int64_t before_id = as_stored == nullptr ? 0 : as_stored->claim_id;
  const int64_t leave_out_id = replacing == nullptr ? 0 : replacing->id;
  policy::ClaimFacts& facts = gathered.facts;
  const ProjectName& project = references.project;
  const std::string& participant_id = references.participant_id;
  int64_t session_id = 0;
  if (!references.session_id.has_value()) {
    // A claim is for one session: one that names none is for the project's
    // session on its date, so that the attendance, agreement and repeat
    // checks apply as if it had been named.
    facts.session_date = *references.session_date;
    std::optional<int64_t> found;
    if (as_stored == nullptr) {
      RECIP_ASSIGN_OR_RETURN(
          found,
          SessionOnDate(tx, project, claim.session_date(), participant_id));
    }
    if (!found.has_value()) {
      RECIP_ASSIGN_OR_RETURN(
          facts.claimed_same_day,
          EarlierLinesOnDay(tx, participant_id, claim.session_date(), before_id,
                            leave_out_id, [&](const store::ClaimRow& row) {
                              return row.area_id == project.area_id &&
                                     row.project_id == project.project_id;
                            }));
      return absl::OkStatus();
    }
    session_id = *found;
  } else {
    session_id = *references.session_id;
  }
  gathered.session_name = SessionName(session_id);
  auto session = tx.GetSession(session_id);
  if (absl::IsNotFound(session.status())) {
    return absl::NotFoundError(
        absl::StrCat("claim.session: ", claim.session(), " not found"));
  }
  if (!session.ok()) return session.status();
  if (session->area_id != project.area_id ||
      session->project_id != project.project_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("claim.session: ", claim.session(), " is a session of ",
                     ProjectResourceName(session->area_id, session->project_id),
                     ", not of ", claim.project()));
  }
  // Claims already made for a session stay when it is cancelled, and may
  // still be amended or replayed; new ones are refused.
  if (as_stored == nullptr &&
      (replacing == nullptr ||
       replacing->session_id != absl::StrCat(session_id))) {
    RECIP_RETURN_IF_ERROR(CheckSessionNotCancelled(*session, "claim.session"));
  }
  // A stored claim keeps the date it was judged with, even if the session
  // was corrected since.
  if (as_stored == nullptr && !claim.session_date().empty() &&
      claim.session_date() != session->session_date) {
    return absl::InvalidArgumentError(
        absl::StrCat("claim.session_date: ", claim.session(), " was on ",
                     session->session_date, ", not ", claim.session_date()));
  }
  if (references.session_date.has_value()) {
    facts.session_date = *references.session_date;  // the session's, checked
  } else {
    RECIP_ASSIGN_OR_RETURN(
        facts.session_date,
        ParseDateField("claim.session_date", session->session_date));
  }
  facts.creche_provided = session->creche_provided;

  store::ProgrammeFilter filter;
  filter.participant_id = participant_id;
  filter.session_id = session_id;
  filter.limit = kMaxListPageSize;
  RECIP_ASSIGN_OR_RETURN(std::vector<store::AgreementRow> agreements,
                         tx.ListAgreements(filter));
  for (const auto& a : agreements) {
    if (as_stored != nullptr &&
        a.create_time_micros > as_stored->create_time_micros) {
      continue;  // recorded after the claim was made
    }
    policy::Agreement agreement;
    agreement.category = static_cast<v1::ExpenseCategory>(a.category);
    agreement.up_to_pence = a.up_to_pence;
    agreement.after_the_session =
        RecordedAfter(a.create_time_micros, facts.session_date);
    facts.agreements.push_back(agreement);
  }
  // Standing agreements for the project whose dates cover the session.
  RECIP_ASSIGN_OR_RETURN(std::vector<policy::Agreement> standing,
                         StandingAgreementsCovering(tx, participant_id, project,
                                                    facts.session_date));
  facts.agreements.insert(facts.agreements.end(), standing.begin(),
                          standing.end());
  RECIP_ASSIGN_OR_RETURN(std::optional<store::AttendanceRow> attendance,
                         tx.FindAttendance(session_id, participant_id));
  if (as_stored != nullptr && attendance.has_value() &&
      attendance->create_time_micros > as_stored->create_time_micros) {
    attendance.reset();  // recorded after the claim was made
  }
  facts.attendance_unknown = !attendance.has_value();
  facts.creche_used =
      attendance.has_value() && attendance->creche_used.value_or(false);

  const std::string session_key = absl::StrCat(session_id);
  RECIP_ASSIGN_OR_RETURN(
      facts.claimed_for_session,
      EarlierLinesOnDay(tx, participant_id, session->session_date, before_id,
                        leave_out_id, [&](const store::ClaimRow& row) {
                          return row.session_id == session_key;
                        }));
  return absl::OkStatus();
}

}  // namespace

bool CountsAgainstBudget(int state) {
  return absl::c_linear_search(CommittedStates(), state);
}

bool VoucherCountsAgainstBudget(int state) {
  return absl::c_linear_search(CommittedVoucherStates(), state);
}

bool CountsTowardsCarMiles(int state) {
  return absl::c_linear_search(CarMileStates(), state);
}

absl::StatusOr<v1::Claim> ClaimFromRow(const store::ClaimRow& row) {
  v1::Claim claim;
  if (!claim.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("claims/", row.id, " is unreadable"));
  }
  claim.set_name(ClaimName(row.id));
  claim.set_state(static_cast<v1::ClaimState>(row.state));
  *claim.mutable_update_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          row.update_time_micros);
  return claim;
}

absl::StatusOr<GatheredFacts> GatherClaimFacts(
    store::ReadTransaction& tx, const policy::AreaPolicy& area,
    const v1::Claim& claim, const ClaimReferences& references,
    const store::ParticipantRow& participant, absl::CivilDay today,
    const AsStored* as_stored, const store::ClaimRow* replacing) {
  GatheredFacts gathered;
  policy::ClaimFacts& facts = gathered.facts;
  RECIP_RETURN_IF_ERROR(
      AddSessionFacts(tx, claim, references, as_stored, replacing, gathered));
  const absl::CivilDay session_date = facts.session_date;
  if (as_stored == nullptr && session_date > today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "claim.session_date: ", policy::FormatIsoDate(session_date),
        " is in the future; claim after the session"));
  }
  const ProjectName& project = references.project;
  facts.project_id = project.project_id;
  facts.claim_date = today;
  facts.participant_type =
      static_cast<v1::ParticipantType>(participant.participant_type);
  facts.payment_method =
      policy::PaymentMethodFor(participant.payment_preference);
  facts.lines.assign(claim.lines().begin(), claim.lines().end());
  if (as_stored != nullptr) {
    // The claim records what it was judged with; older claims may lack the
    // payment method, and then the participant's preference stands in.
    facts.creche_provided.reset();
    if (claim.has_creche_provided()) {
      facts.creche_provided = claim.creche_provided();
    }
    if (claim.payment_method() != v1::PAYMENT_METHOD_UNSPECIFIED) {
      facts.payment_method = policy::PaymentMethodFor(claim.payment_method());
    }
    facts.car_tenths_earlier_in_tax_year =
        as_stored->car_tenths_earlier_in_tax_year;
    facts.project_committed_pence = as_stored->project_committed_pence;
    return gathered;
  }
  if (!facts.creche_provided.has_value()) {
    if (area.FindProject(project.project_id)->creche_by_default) {
      // No session recorded: the rule file says the project's sessions have
      // a crèche, and that outranks the claimant's answer. (A proto3 bool
      // cannot tell "false" from "not said", so only a true default is one
      // the file sets.)
      facts.creche_provided = true;
    } else if (claim.has_creche_provided()) {
      facts.creche_provided = claim.creche_provided();
    }
  }  // else the session's record is the truth, not the claimant's answer.
  RECIP_ASSIGN_OR_RETURN(
      facts.car_tenths_earlier_in_tax_year,
      tx.SumCarTenths(references.participant_id,
                      policy::FormatIsoDate(policy::TaxYearStart(session_date)),
                      policy::FormatIsoDate(policy::TaxYearEnd(session_date)),
                      CarMileStates()));
  // The version being replaced does not count against its own amendment.
  if (replacing != nullptr &&
      absl::c_linear_search(CarMileStates(), replacing->state) &&
      replacing->session_date >=
          policy::FormatIsoDate(policy::TaxYearStart(session_date)) &&
      replacing->session_date <=
          policy::FormatIsoDate(policy::TaxYearEnd(session_date))) {
    facts.car_tenths_earlier_in_tax_year -= replacing->car_tenths;
  }
  const std::string year_start =
      policy::FormatIsoDate(policy::FinancialYearStart(session_date));
  const std::string year_end =
      policy::FormatIsoDate(policy::FinancialYearEnd(session_date));
  RECIP_ASSIGN_OR_RETURN(
      const int64_t claims_pence,
      tx.SumAllowedPence(project.area_id, project.project_id, year_start,
                         year_end, CommittedStates()));
  // Vouchers earned by attending are the project's money too, from the
  // moment they are earned (see ProjectSpend.committed_pence).
  RECIP_ASSIGN_OR_RETURN(
      const int64_t vouchers_pence,
      tx.SumProjectVoucherPence(project.area_id, project.project_id, year_start,
                                year_end, CommittedVoucherStates()));
  facts.project_committed_pence = claims_pence + vouchers_pence;
  return gathered;
}

}  // namespace reciprocity
