#include "server/domain/claim_service.h"

#include <functional>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "server/domain/access.h"
#include "server/domain/claim_summary.h"
#include "server/domain/claim_validation.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/programme_service.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

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

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

google::protobuf::Timestamp ToTimestamp(int64_t micros) {
  return TimeUtil::MicrosecondsToTimestamp(micros);
}

// The claim's state once every line has a decision. A claim with a line the
// participant declined and nothing left to pay is DECLINED, not REJECTED:
// the rules did not refuse it.
v1::ClaimState StateFor(const v1::Decision& decision) {
  bool any_review = false, all_refused = true, any_declined = false;
  int64_t payable = 0;
  for (const auto& line : decision.lines()) {
    any_review |= line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
    all_refused &= line.outcome() == v1::LINE_OUTCOME_REFUSED;
    any_declined |= line.rule() == kDeclinedRule;
    payable += line.allowed_pence();
  }
  if (any_review || decision.needs_review())
    return v1::CLAIM_STATE_NEEDS_REVIEW;
  if (any_declined && payable == 0) return v1::CLAIM_STATE_DECLINED;
  if (all_refused) return v1::CLAIM_STATE_REJECTED;
  return v1::CLAIM_STATE_APPROVED;
}

// How the participant is paid, from their record at submission.
v1::PaymentMethod PaymentMethodOf(const store::ParticipantRow& participant) {
  const int preference = participant.payment_preference;
  if (preference == v1::PAYMENT_METHOD_UNSPECIFIED ||
      !v1::PaymentMethod_IsValid(preference)) {
    return v1::PAYMENT_METHOD_BANK_TRANSFER;
  }
  return static_cast<v1::PaymentMethod>(preference);
}

// For a participant who declined payment: every line that would be paid (or
// checked) for the participant is refused with the reason, keeping what the
// rules said; lines paid straight to someone else (a childminder) stay, so
// nobody is left out of pocket. Nothing declined needs a person to check it.
void ApplyDeclinedPayment(const v1::Claim& submitted, const v1::Claim& claim,
                          v1::Decision& decision) {
  for (int i = 0; i < decision.lines_size() && i < claim.lines_size(); ++i) {
    v1::LineDecision& line = *decision.mutable_lines(i);
    if (!claim.lines(i).payee_reference().empty() ||
        line.outcome() == v1::LINE_OUTCOME_REFUSED) {
      continue;
    }
    std::string reason = line.reason();
    const std::string& dropped = submitted.lines(i).payee_reference();
    if (!dropped.empty()) {
      // The engine said "paid to you instead"; the participant declined
      // that too.
      const std::string said = policy::PaidToYouInstead(dropped);
      reason =
          absl::StrCat("The rules for this project do not let us pay ", dropped,
                       " directly, and you chose not to be paid, so we "
                       "will not pay this. ",
                       absl::StripPrefix(line.reason(), said));
    } else {
      reason = absl::StrCat(
          "You chose not to be paid, so we will not pay this. ", reason);
    }
    line.set_reason(reason);
    line.set_allowed_pence(0);
    line.set_outcome(v1::LINE_OUTCOME_REFUSED);
    line.set_rule(kDeclinedRule);
  }
  int64_t total = 0;
  bool needs_review = false;
  for (const auto& line : decision.lines()) {
    total += line.allowed_pence();
    needs_review |= line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
  }
  decision.set_allowed_total_pence(total);
  decision.set_needs_review(needs_review);
  decision.set_summary(DeclinedSummary(total, needs_review));
}

// How every review event's action begins: "line 2 approved".
constexpr char kReviewActionPrefix[] = "line ";

void AddEvent(v1::Claim& claim, absl::string_view actor,
              absl::string_view action, int64_t now_micros) {
  v1::ClaimEvent* e = claim.add_history();
  *e->mutable_time() = ToTimestamp(now_micros);
  e->set_actor(std::string(actor));
  e->set_action(std::string(action));
  e->set_state(claim.state());
}

// INVALID_ARGUMENT unless `index` (from 0) names a line of `claim`. The
// message counts lines from 1, as the participant and recip do.
absl::Status CheckLineIndex(const v1::Claim& claim, int index) {
  const int lines = claim.decision().lines_size();
  if (index >= 0 && index < lines) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "line_index: there is no line ", static_cast<int64_t>(index) + 1,
      lines == 1 ? "; the claim has only line 1"
                 : absl::StrCat("; the claim has lines 1 to ", lines)));
}

void RecomputeTotal(v1::Decision& decision) {
  int64_t total = 0;
  for (const auto& line : decision.lines()) total += line.allowed_pence();
  decision.set_allowed_total_pence(total);
}

absl::StatusOr<v1::Claim> FromRow(const store::ClaimRow& row) {
  v1::Claim claim;
  if (!claim.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("claims/", row.id, " is unreadable"));
  }
  claim.set_name(ClaimName(row.id));
  claim.set_state(static_cast<v1::ClaimState>(row.state));
  *claim.mutable_update_time() = ToTimestamp(row.update_time_micros);
  return claim;
}

// Page tokens are opaque to clients: base64 of "<last id>:<filter hash>", so
// a token reused with different filters is refused instead of misread.
std::string FilterFingerprint(const v1::ListClaimsRequest& r) {
  return Sha256Hex(absl::StrCat(r.participant(), "|", r.project(), "|",
                                r.service_area(), "|", r.state(), "|",
                                r.session_date_from(), "|",
                                r.session_date_to()))
      .substr(0, 16);
}

absl::StatusOr<int64_t> ParsePageToken(const v1::ListClaimsRequest& r) {
  if (r.page_token().empty()) return 0;
  std::string decoded;
  int64_t after = 0;
  if (absl::WebSafeBase64Unescape(r.page_token(), &decoded)) {
    std::vector<std::string> parts = absl::StrSplit(decoded, ':');
    if (parts.size() == 2 && absl::SimpleAtoi(parts[0], &after) && after > 0) {
      if (parts[1] != FilterFingerprint(r)) {
        return absl::InvalidArgumentError(
            "page_token: belongs to a listing with different filters");
      }
      return after;
    }
  }
  return absl::InvalidArgumentError(
      "page_token: not a token this server gave out");
}

// An earlier claim with a line that a new line of the same category may
// repeat.
struct EarlierLine {
  int64_t claim_id = 0;
  // The line may yet go unpaid: its claim may still be withdrawn (it is not
  // yet approved), or the line itself may still be refused in review. A
  // repeat of it is not refused but checked by a person.
  bool unsettled = false;
};

// What a claim's session adds to the facts. When the claim names none and
// its project has no session recorded on its date, only `date` (the claim's
// own session_date) is set and attendance is not checked.
struct SessionFacts {
  std::string session_name;  // "sessions/N", or empty when none is recorded
  std::string date;
  std::optional<bool> creche_provided;
  std::vector<policy::Agreement> agreements;
  bool attendance_unknown = false;  // a session, but no attendance recorded
  // Category -> the earlier claim of this participant for this session that
  // already has a line of that category not refused.
  absl::flat_hash_map<int, EarlierLine> claimed_categories;
  // With no session recorded: category -> an earlier claim of this
  // participant for the same project on the same day with such a line. It
  // may be a second meeting that day, so a person checks it.
  absl::flat_hash_map<int, EarlierLine> same_day_categories;
};

// Category -> the participant's first claim on `date` (not withdrawn, and
// for which `counts` is true) with a line of that category not refused; the
// first settled one when there is one.
absl::StatusOr<absl::flat_hash_map<int, EarlierLine>> EarlierLinesOnDay(
    store::ReadTransaction& tx, const std::string& participant_id,
    const std::string& date,
    const std::function<bool(const store::ClaimRow&)>& counts) {
  RECIP_ASSIGN_OR_RETURN(std::vector<store::ClaimRow> rows,
                         tx.ListClaimsOnDay(participant_id, date));
  absl::flat_hash_map<int, EarlierLine> categories;
  for (const auto& row : rows) {
    if (row.state == v1::CLAIM_STATE_WITHDRAWN || !counts(row)) continue;
    RECIP_ASSIGN_OR_RETURN(v1::Claim first, FromRow(row));
    const bool may_be_withdrawn = row.state == v1::CLAIM_STATE_SUBMITTED ||
                                  row.state == v1::CLAIM_STATE_NEEDS_REVIEW;
    for (int i = 0; i < first.lines_size() && i < first.decision().lines_size();
         ++i) {
      const v1::LineOutcome outcome = first.decision().lines(i).outcome();
      if (outcome == v1::LINE_OUTCOME_REFUSED) continue;
      const EarlierLine line{
          row.id, may_be_withdrawn || outcome == v1::LINE_OUTCOME_NEEDS_REVIEW};
      auto [it, added] = categories.emplace(first.lines(i).category(), line);
      if (!added && it->second.unsettled && !line.unsettled) it->second = line;
    }
  }
  return categories;
}

// The project's session on `date` that a claim naming no session is for:
// the one the participant attended, else the first recorded that day; none
// when the project has no session recorded that day.
absl::StatusOr<std::optional<int64_t>> SessionOnDate(
    store::ReadTransaction& tx, const ProjectName& project,
    const std::string& date, const std::string& participant_id) {
  if (date.empty()) return std::nullopt;
  store::ProgrammeFilter filter;
  filter.area_id = project.area_id;
  filter.project_id = project.project_id;
  filter.date_from = date;
  filter.date_to = date;
  filter.limit = kMaxPageSize;
  RECIP_ASSIGN_OR_RETURN(std::vector<store::SessionRow> sessions,
                         tx.ListSessions(filter));
  if (sessions.empty()) return std::nullopt;
  for (const auto& session : sessions) {
    RECIP_ASSIGN_OR_RETURN(std::optional<store::AttendanceRow> attendance,
                           tx.FindAttendance(session.id, participant_id));
    if (attendance.has_value()) return session.id;
  }
  return sessions.front().id;
}

absl::StatusOr<SessionFacts> SessionFactsFor(
    store::ReadTransaction& tx, const v1::Claim& claim,
    const ProjectName& project, const std::string& participant_id) {
  SessionFacts facts;
  facts.date = claim.session_date();
  int64_t session_id = 0;
  if (claim.session().empty()) {
    // A claim is for one session: one that names none is for the project's
    // session on its date, so that the attendance, agreement and repeat
    // checks apply as if it had been named.
    RECIP_ASSIGN_OR_RETURN(
        std::optional<int64_t> found,
        SessionOnDate(tx, project, claim.session_date(), participant_id));
    if (!found.has_value()) {
      RECIP_ASSIGN_OR_RETURN(
          facts.same_day_categories,
          EarlierLinesOnDay(tx, participant_id, facts.date,
                            [&](const store::ClaimRow& row) {
                              return row.area_id == project.area_id &&
                                     row.project_id == project.project_id;
                            }));
      return facts;
    }
    session_id = *found;
  } else {
    RECIP_ASSIGN_OR_RETURN(session_id,
                           ParseSessionName("claim.session", claim.session()));
  }
  facts.session_name = SessionName(session_id);
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
  if (!claim.session_date().empty() &&
      claim.session_date() != session->session_date) {
    return absl::InvalidArgumentError(
        absl::StrCat("claim.session_date: ", claim.session(), " was on ",
                     session->session_date, ", not ", claim.session_date()));
  }
  facts.date = session->session_date;
  facts.creche_provided = session->creche_provided;

  store::ProgrammeFilter filter;
  filter.participant_id = participant_id;
  filter.session_id = session_id;
  filter.limit = kMaxPageSize;
  RECIP_ASSIGN_OR_RETURN(std::vector<store::AgreementRow> agreements,
                         tx.ListAgreements(filter));
  for (const auto& a : agreements) {
    policy::Agreement agreement;
    agreement.category = static_cast<v1::ExpenseCategory>(a.category);
    agreement.up_to_pence = a.up_to_pence;
    facts.agreements.push_back(agreement);
  }
  RECIP_ASSIGN_OR_RETURN(std::optional<store::AttendanceRow> attendance,
                         tx.FindAttendance(session_id, participant_id));
  facts.attendance_unknown = !attendance.has_value();

  const std::string session_key = absl::StrCat(session_id);
  RECIP_ASSIGN_OR_RETURN(facts.claimed_categories,
                         EarlierLinesOnDay(tx, participant_id, facts.date,
                                           [&](const store::ClaimRow& row) {
                                             return row.session_id ==
                                                    session_key;
                                           }));
  return facts;
}

// Whether `line` repeats a line of an earlier claim for the same session
// that is settled, so it is refused without being judged.
bool IsSettledRepeat(const SessionFacts& session, const v1::ClaimLine& line) {
  auto earlier = session.claimed_categories.find(line.category());
  return earlier != session.claimed_categories.end() &&
         !earlier->second.unsettled;
}

// Sends a paid line to review with `rule`, putting `why` before its reason.
void SendToReview(absl::string_view rule, absl::string_view why,
                  v1::LineDecision& line) {
  line.set_outcome(v1::LINE_OUTCOME_NEEDS_REVIEW);
  line.set_rule(std::string(rule));
  line.set_reason(absl::StrCat(why, " ", line.reason()));
}

// Puts the engine's decision on the judged lines back among the lines
// refused as repeats, and sends paid lines to review when nobody recorded
// that the participant attended, when they repeat a claim for the session
// that is not yet settled or, with no session recorded, when the
// participant already claimed for the same thing that day.
v1::Decision CompleteDecision(const v1::Decision& engine,
                              const v1::Claim& claim,
                              const std::vector<int>& judged_indexes,
                              const SessionFacts& session) {
  v1::Decision decision = engine;
  decision.clear_lines();
  size_t next_judged = 0;
  bool any_repeat = false;
  for (int i = 0; i < claim.lines_size(); ++i) {
    if (next_judged < judged_indexes.size() &&
        judged_indexes[next_judged] == i) {
      *decision.add_lines() = engine.lines(static_cast<int>(next_judged));
      ++next_judged;
      continue;
    }
    any_repeat = true;
    v1::LineDecision* line = decision.add_lines();
    line->set_allowed_pence(0);
    line->set_outcome(v1::LINE_OUTCOME_REFUSED);
    line->set_rule("claims.duplicate");
    line->set_reason(absl::StrCat(
        "You already claimed for this in claim ",
        session.claimed_categories.at(claim.lines(i).category()).claim_id,
        "."));
  }
  int64_t total = 0;
  bool sent_to_review = false;
  bool any_same_day = false;
  bool any_unsettled = false;
  for (int i = 0; i < decision.lines_size(); ++i) {
    v1::LineDecision& line = *decision.mutable_lines(i);
    const bool paid = line.outcome() == v1::LINE_OUTCOME_PAID_IN_FULL ||
                      line.outcome() == v1::LINE_OUTCOME_REDUCED;
    const int category = claim.lines(i).category();
    auto same_day = session.same_day_categories.find(category);
    auto unsettled = session.claimed_categories.find(category);
    if (paid && same_day != session.same_day_categories.end()) {
      SendToReview("claims.same_day",
                   absl::StrCat("You already claimed for this on the same "
                                "day, in claim ",
                                same_day->second.claim_id,
                                ". A person will check it is not claimed "
                                "twice before we pay."),
                   line);
      any_same_day = true;
    } else if ((paid || line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) &&
               unsettled != session.claimed_categories.end()) {
      // Refused outright only once the earlier claim is settled; until then
      // it may be withdrawn or refused, and this one is the one to pay. A
      // line already waiting for a person says so too, so that whoever
      // checks it knows.
      SendToReview("claims.repeat_unsettled",
                   absl::StrCat("You already claimed for this in claim ",
                                unsettled->second.claim_id,
                                ", which we have not finished checking. A "
                                "person will check it is not claimed twice "
                                "before we pay.",
                                session.attendance_unknown
                                    ? " We have no record that you came to "
                                      "this session."
                                    : ""),
                   line);
      any_unsettled = true;
    } else if (paid && session.attendance_unknown) {
      SendToReview("claims.attendance",
                   "We have no record that you came to this session. A "
                   "person will check before we pay.",
                   line);
      sent_to_review = true;
    }
    total += line.allowed_pence();
  }
  decision.set_allowed_total_pence(total);
  bool needs_review = false;
  for (const auto& line : decision.lines()) {
    needs_review |= line.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
  }
  decision.set_needs_review(needs_review);
  if (sent_to_review) {
    decision.set_summary(absl::StrCat(
        "We can pay up to ", policy::FormatMoney(total),
        ". We have no record that you came to this session. So a person "
        "will check your claim before we pay."));
  } else if (any_same_day || any_unsettled) {
    // The engine's words speak of these lines as paid.
    decision.set_summary(SummaryOfLines(decision));
  }
  if (any_repeat) {
    decision.set_summary(absl::StrCat(
        decision.summary(),
        " Some lines repeat an earlier claim, so we cannot pay them."));
  }
  if (any_same_day) {
    decision.set_summary(
        absl::StrCat(decision.summary(),
                     " Some lines are like an earlier claim on the same day."));
  }
  if (any_unsettled) {
    decision.set_summary(absl::StrCat(
        decision.summary(),
        " Some lines are like an earlier claim we are still checking."));
  }
  return decision;
}
}  // namespace

absl::StatusOr<ClaimService::Judged> ClaimService::Judge(
    const Principal& caller, const v1::Claim& claim,
    store::ReadTransaction& tx) {
  RECIP_RETURN_IF_ERROR(ValidateClaim("claim", claim));
  RECIP_ASSIGN_OR_RETURN(ProjectName project,
                         ParseProjectName("claim.project", claim.project()));
  RECIP_ASSIGN_OR_RETURN(
      std::string participant_id,
      ParseParticipantName("claim.participant", claim.participant()));
  // Service areas and projects are public (anyone may list them), so an
  // unknown one is reported before the permission check.
  auto area = policies_.Find(project.area_id);
  if (area == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "claim.project: there is no service area '", project.area_id, "'"));
  }
  if (area->FindProject(project.project_id) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("claim.project: service area '", project.area_id,
                     "' has no project '", project.project_id, "'"));
  }
  RECIP_RETURN_IF_ERROR(
      CheckMayActFor(caller, participant_id, project.area_id));
  RECIP_ASSIGN_OR_RETURN(
      store::ParticipantRow participant,
      FindActiveParticipant(tx, "claim.participant", participant_id));
  RECIP_ASSIGN_OR_RETURN(SessionFacts session,
                         SessionFactsFor(tx, claim, project, participant_id));
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay session_date,
                         ParseDate("claim.session_date", session.date));
  const absl::CivilDay today = clock_.TodayInLondon();
  if (session_date > today) {
    return absl::InvalidArgumentError(
        absl::StrCat("claim.session_date: ", FormatDate(session_date),
                     " is in the future; claim after the session"));
  }

  policy::ClaimFacts facts;
  facts.project_id = project.project_id;
  facts.session_date = session_date;
  facts.claim_date = today;
  if (session.creche_provided.has_value()) {
    // The session's record is the truth, not the claimant's answer.
    facts.creche_provided = session.creche_provided;
  } else if (area->FindProject(project.project_id)->creche_by_default) {
    // No session named: the rule file says the project's sessions have a
    // crèche, and that outranks the claimant's answer. (A proto3 bool cannot
    // tell "false" from "not said", so only a true default is one the file
    // sets.)
    facts.creche_provided = true;
  } else if (claim.has_creche_provided()) {
    facts.creche_provided = claim.creche_provided();
  }
  facts.participant_type =
      static_cast<v1::ParticipantType>(participant.participant_type);
  facts.agreements = session.agreements;
  // Lines repeating a settled earlier claim are refused here and kept out of
  // the engine, so that they use up no cap. A repeat of a claim not yet
  // settled is judged, then goes to a person (CompleteDecision).
  std::vector<int> judged_indexes;
  for (int i = 0; i < claim.lines_size(); ++i) {
    if (IsSettledRepeat(session, claim.lines(i))) continue;
    judged_indexes.push_back(i);
    facts.lines.push_back(claim.lines(i));
  }
  RECIP_ASSIGN_OR_RETURN(
      facts.car_tenths_earlier_in_tax_year,
      tx.SumCarTenths(participant_id, FormatDate(TaxYearStart(session_date)),
                      FormatDate(TaxYearEnd(session_date)), CarMileStates()));
  RECIP_ASSIGN_OR_RETURN(
      facts.project_committed_pence,
      tx.SumAllowedPence(project.area_id, project.project_id,
                         FormatDate(FinancialYearStart(session_date)),
                         FormatDate(FinancialYearEnd(session_date)),
                         CommittedStates()));

  Judged judged;
  judged.area_id = project.area_id;
  judged.project_id = project.project_id;
  judged.claim = claim;
  judged.claim.clear_name();
  judged.claim.clear_history();
  judged.claim.set_session(session.session_name);
  judged.claim.set_session_date(session.date);
  if (facts.creche_provided.has_value()) {
    judged.claim.set_creche_provided(*facts.creche_provided);
  }
  *judged.claim.mutable_decision() = CompleteDecision(
      policy::Evaluate(*area, facts), claim, judged_indexes, session);
  // A payee the project's rules do not pay directly is dropped: the line is
  // paid to the participant (its reason says so), and batches, exports and
  // a declined payment below all see the claim as stored.
  for (v1::ClaimLine& line : *judged.claim.mutable_lines()) {
    if (!policy::PaysProviderDirectly(*area, project.project_id,
                                      line.category())) {
      line.clear_payee_reference();
    }
  }
  judged.claim.set_payment_method(PaymentMethodOf(participant));
  if (judged.claim.payment_method() == v1::PAYMENT_METHOD_DECLINE) {
    // Reads only the lines, so it may share the claim with the decision.
    ApplyDeclinedPayment(claim, judged.claim, *judged.claim.mutable_decision());
  }
  judged.claim.set_state(StateFor(judged.claim.decision()));
  int64_t claimed = 0;
  for (int i = 0; i < claim.lines_size(); ++i) {
    const auto& line = claim.lines(i);
    const auto& decided = judged.claim.decision().lines(i);
    // Mileage has no amount typed in: count what the rate gives.
    claimed += line.category() == v1::EXPENSE_CATEGORY_MILEAGE
                   ? decided.allowed_pence()
                   : line.amount_pence();
    if (line.category() == v1::EXPENSE_CATEGORY_MILEAGE &&
        line.vehicle() == v1::VEHICLE_TYPE_CAR &&
        decided.outcome() != v1::LINE_OUTCOME_REFUSED) {
      judged.car_tenths += line.distance_tenths_of_mile();
    }
  }
  judged.claim.set_claimed_total_pence(claimed);
  return judged;
}

absl::StatusOr<v1::PreviewClaimResponse> ClaimService::Preview(
    const Principal& caller, const v1::PreviewClaimRequest& request) {
  v1::PreviewClaimResponse response;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        RECIP_ASSIGN_OR_RETURN(Judged judged,
                               Judge(caller, request.claim(), tx));
        *response.mutable_decision() = judged.claim.decision();
        response.set_state(judged.claim.state());
        return absl::OkStatus();
      }));
  return response;
}

void ClaimService::SubmitAsync(
    const Principal& caller, const v1::SubmitClaimRequest& request,
    std::function<void(absl::StatusOr<v1::Claim>)> done) {
  if (absl::Status s = ValidateRequestId("request_id", request.request_id());
      !s.ok()) {
    done(std::move(s));
    return;
  }
  const int64_t now = Micros(clock_.Now());
  // The work runs on the store's writer thread after this returns: it keeps
  // its own copy of the caller; the request lives until `done`.
  RunIdempotentAsync<v1::Claim>(
      store_, caller, "SubmitClaim", request, request.request_id(), now,
      [this, caller, &request,
       now](store::WriteTransaction& tx) -> absl::StatusOr<v1::Claim> {
        RECIP_ASSIGN_OR_RETURN(Judged judged,
                               Judge(caller, request.claim(), tx));
        v1::Claim& claim = judged.claim;
        claim.set_entered_by(caller.id);
        claim.set_request_id(request.request_id());
        *claim.mutable_create_time() = ToTimestamp(now);
        *claim.mutable_update_time() = ToTimestamp(now);
        const bool on_behalf =
            caller.participant_id.empty() ||
            ParticipantName(caller.participant_id) != claim.participant();
        AddEvent(
            claim, caller.id,
            on_behalf ? "submitted on the participant's behalf" : "submitted",
            now);

        store::ClaimRow row;
        row.participant_id =
            claim.participant().substr(strlen("participants/"));
        row.area_id = judged.area_id;
        row.project_id = judged.project_id;
        if (!claim.session().empty()) {
          row.session_id = claim.session().substr(strlen("sessions/"));
        }
        row.session_date = claim.session_date();
        row.state = claim.state();
        row.claimed_total_pence = claim.claimed_total_pence();
        row.allowed_total_pence = claim.decision().allowed_total_pence();
        row.car_tenths = judged.car_tenths;
        row.entered_by = caller.id;
        row.request_id = request.request_id();
        row.create_time_micros = now;
        row.update_time_micros = now;
        row.body = claim.SerializeAsString();
        RECIP_ASSIGN_OR_RETURN(int64_t id, tx.InsertClaim(row));
        claim.set_name(ClaimName(id));
        return claim;
      },
      std::move(done));
}

absl::StatusOr<v1::Claim> ClaimService::Get(
    const Principal& caller, const v1::GetClaimRequest& request) {
  RECIP_ASSIGN_OR_RETURN(int64_t id, ParseClaimName("name", request.name()));
  v1::Claim claim;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        auto row = tx.GetClaim(id);
        if (absl::IsNotFound(row.status()))
          return MissingRecord(caller, request.name());
        if (!row.ok()) return row.status();
        RECIP_RETURN_IF_ERROR(
            CheckMayRead(caller, row->participant_id, row->area_id));
        RECIP_ASSIGN_OR_RETURN(claim, FromRow(*row));
        return absl::OkStatus();
      }));
  return claim;
}

absl::StatusOr<v1::ListClaimsResponse> ClaimService::List(
    const Principal& caller, const v1::ListClaimsRequest& request) {
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  store::ClaimFilter filter;
  filter.limit = request.page_size() == 0
                     ? kDefaultPageSize
                     : std::min(request.page_size(), kMaxPageSize);
  RECIP_ASSIGN_OR_RETURN(filter.after_id, ParsePageToken(request));
  if (!request.participant().empty()) {
    RECIP_ASSIGN_OR_RETURN(
        filter.participant_id,
        ParseParticipantName("participant", request.participant()));
  }
  if (!request.project().empty()) {
    RECIP_ASSIGN_OR_RETURN(ProjectName project,
                           ParseProjectName("project", request.project()));
    filter.area_id = project.area_id;
    filter.project_id = project.project_id;
  }
  if (!request.service_area().empty()) {
    RECIP_ASSIGN_OR_RETURN(
        std::string area,
        ParseServiceAreaName("service_area", request.service_area()));
    if (!filter.area_id.empty() && filter.area_id != area) {
      return absl::InvalidArgumentError(
          "service_area: does not match the project's service area");
    }
    filter.area_id = area;
  }
  if (!v1::ClaimState_IsValid(request.state())) {
    return absl::InvalidArgumentError("state: not a claim state");
  }
  filter.state = request.state();
  if (!request.session_date_from().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDate("session_date_from", request.session_date_from()).status());
    filter.session_date_from = request.session_date_from();
  }
  if (!request.session_date_to().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDate("session_date_to", request.session_date_to()).status());
    filter.session_date_to = request.session_date_to();
  }

  // Narrow the listing to what the caller may see.
  const bool staff = caller.HasRole(v1::ROLE_OFFICER) ||
                     caller.HasRole(v1::ROLE_FINANCE) ||
                     caller.HasRole(v1::ROLE_AUDITOR);
  if (!staff) {
    if (caller.participant_id.empty()) {
      return absl::PermissionDeniedError("you may not list claims");
    }
    if (!filter.participant_id.empty() &&
        filter.participant_id != caller.participant_id) {
      return absl::PermissionDeniedError("you may list only your own claims");
    }
    filter.participant_id = caller.participant_id;
  } else if (!caller.ActsIn("*")) {
    if (!filter.area_id.empty()) {
      if (!caller.ActsIn(filter.area_id)) {
        return absl::PermissionDeniedError(
            absl::StrCat("you do not act in service area ", filter.area_id));
      }
    } else {
      filter.area_ids_in = caller.service_areas;
      if (filter.area_ids_in.empty()) return v1::ListClaimsResponse();
    }
  }

  v1::ListClaimsResponse response;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        RECIP_ASSIGN_OR_RETURN(std::vector<store::ClaimRow> rows,
                               tx.ListClaims(filter));
        for (const auto& row : rows) {
          RECIP_ASSIGN_OR_RETURN(*response.add_claims(), FromRow(row));
        }
        if (static_cast<int>(rows.size()) == filter.limit) {
          response.set_next_page_token(absl::WebSafeBase64Escape(
              absl::StrCat(rows.back().id, ":", FilterFingerprint(request))));
        }
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<v1::Claim> ClaimService::Mutate(
    const Principal& caller, absl::string_view method,
    const google::protobuf::Message& request, const std::string& name,
    const std::string& request_id,
    const std::function<absl::Status(v1::Claim&, store::ClaimRow&)>& change) {
  RECIP_ASSIGN_OR_RETURN(int64_t id, ParseClaimName("name", name));
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request_id));
  const int64_t now = Micros(clock_.Now());
  return RunIdempotent<v1::Claim>(
      store_, caller, method, request, request_id, now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Claim> {
        auto row = tx.GetClaim(id);
        if (absl::IsNotFound(row.status())) return MissingRecord(caller, name);
        if (!row.ok()) return row.status();
        RECIP_RETURN_IF_ERROR(
            CheckMayRead(caller, row->participant_id, row->area_id));
        RECIP_ASSIGN_OR_RETURN(v1::Claim claim, FromRow(*row));
        RECIP_RETURN_IF_ERROR(change(claim, *row));
        *claim.mutable_update_time() = ToTimestamp(now);
        row->state = claim.state();
        row->allowed_total_pence = claim.decision().allowed_total_pence();
        row->update_time_micros = now;
        claim.clear_name();
        row->body = claim.SerializeAsString();
        RECIP_RETURN_IF_ERROR(tx.UpdateClaim(*row));
        claim.set_name(name);
        return claim;
      });
}

absl::StatusOr<v1::Claim> ClaimService::ReviewLine(
    const Principal& caller, const v1::ReviewClaimLineRequest& request) {
  if (request.reason().empty()) {
    return absl::InvalidArgumentError(
        "reason: required; the participant will read it");
  }
  if (request.reason().size() > kMaxDescriptionBytes) {
    return absl::InvalidArgumentError("reason: must be at most 500 characters");
  }
  RECIP_RETURN_IF_ERROR(
      CheckFreeText("reason", request.reason(), TextLines::kMany));
  if (request.allowed_pence() < 0 ||
      request.allowed_pence() > kMaxLineAmountPence) {
    return absl::InvalidArgumentError(
        "allowed_pence: must be between 0 and £100,000.00");
  }
  const int64_t now = Micros(clock_.Now());
  return Mutate(
      caller, "ReviewClaimLine", request, request.name(), request.request_id(),
      [&](v1::Claim& claim, store::ClaimRow& row) -> absl::Status {
        RECIP_RETURN_IF_ERROR(CheckIsOfficerIn(caller, row.area_id));
        if (row.entered_by == caller.id ||
            (!caller.participant_id.empty() &&
             caller.participant_id == row.participant_id)) {
          return absl::PermissionDeniedError(
              "you entered this claim, so someone else must review it");
        }
        if (claim.state() != v1::CLAIM_STATE_NEEDS_REVIEW) {
          return absl::FailedPreconditionError(
              absl::StrCat("the claim is not waiting for review (it is ",
                           v1::ClaimState_Name(claim.state()), ")"));
        }
        RECIP_RETURN_IF_ERROR(CheckLineIndex(claim, request.line_index()));
        v1::LineDecision& line =
            *claim.mutable_decision()->mutable_lines(request.line_index());
        if (line.outcome() != v1::LINE_OUTCOME_NEEDS_REVIEW) {
          return absl::FailedPreconditionError(absl::StrCat(
              "line ", request.line_index() + 1, " does not need review"));
        }
        const v1::ClaimLine& claimed = claim.lines(request.line_index());
        const int64_t proposed = line.allowed_pence() > 0
                                     ? line.allowed_pence()
                                     : claimed.amount_pence();
        if (request.approve()) {
          const int64_t allowed =
              request.allowed_pence() > 0 ? request.allowed_pence() : proposed;
          const int64_t ceiling = std::max(proposed, claimed.amount_pence());
          if (allowed > ceiling) {
            return absl::InvalidArgumentError(
                "allowed_pence: more than was claimed");
          }
          line.set_allowed_pence(allowed);
          line.set_outcome(allowed == ceiling ? v1::LINE_OUTCOME_PAID_IN_FULL
                                              : v1::LINE_OUTCOME_REDUCED);
        } else {
          line.set_allowed_pence(0);
          line.set_outcome(v1::LINE_OUTCOME_REFUSED);
        }
        line.set_rule("review");
        line.set_reason(request.reason());
        v1::LineReview* review = line.mutable_review();
        review->set_reviewer(caller.id);
        *review->mutable_review_time() = ToTimestamp(now);
        review->set_receipt_seen(request.receipt_seen());
        RecomputeTotal(*claim.mutable_decision());
        claim.mutable_decision()->set_needs_review(false);
        bool still_open = false;
        for (const auto& l : claim.decision().lines()) {
          still_open |= l.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW;
        }
        claim.mutable_decision()->set_needs_review(still_open);
        claim.set_state(StateFor(claim.decision()));
        claim.mutable_decision()->set_summary(ClaimSummary(claim));
        AddEvent(claim, caller.id,
                 absl::StrCat(kReviewActionPrefix, request.line_index() + 1,
                              request.approve() ? " approved" : " refused",
                              request.receipt_seen() ? " (receipt seen)" : ""),
                 now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Claim> ClaimService::Withdraw(
    const Principal& caller, const v1::WithdrawClaimRequest& request) {
  const int64_t now = Micros(clock_.Now());
  return Mutate(caller, "WithdrawClaim", request, request.name(),
                request.request_id(),
                [&](v1::Claim& claim, store::ClaimRow& row) -> absl::Status {
                  RECIP_RETURN_IF_ERROR(
                      CheckMayActFor(caller, row.participant_id, row.area_id));
                  if (claim.state() != v1::CLAIM_STATE_SUBMITTED &&
                      claim.state() != v1::CLAIM_STATE_NEEDS_REVIEW) {
                    return absl::FailedPreconditionError(absl::StrCat(
                        "only a claim that is not yet approved can be "
                        "withdrawn; this one is ",
                        v1::ClaimState_Name(claim.state())));
                  }
                  claim.set_state(v1::CLAIM_STATE_WITHDRAWN);
                  claim.mutable_decision()->set_summary(ClaimSummary(claim));
                  AddEvent(claim, caller.id, "withdrawn", now);
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::Claim> ClaimService::AppealLine(
    const Principal& caller, const v1::AppealClaimLineRequest& request) {
  if (request.comment().empty() ||
      request.comment().size() > kMaxDescriptionBytes) {
    return absl::InvalidArgumentError(
        "comment: say why the line should be looked at again (up to 500 "
        "characters)");
  }
  RECIP_RETURN_IF_ERROR(
      CheckFreeText("comment", request.comment(), TextLines::kMany));
  const int64_t now = Micros(clock_.Now());
  return Mutate(
      caller, "AppealClaimLine", request, request.name(), request.request_id(),
      [&](v1::Claim& claim, store::ClaimRow& row) -> absl::Status {
        if (caller.participant_id != row.participant_id) {
          return absl::PermissionDeniedError(
              "only the participant can ask for a line to be looked at again");
        }
        if (claim.state() != v1::CLAIM_STATE_APPROVED &&
            claim.state() != v1::CLAIM_STATE_REJECTED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "a line can be looked at again only while the claim is approved "
              "or rejected and not yet in a payment batch; this one is ",
              v1::ClaimState_Name(claim.state())));
        }
        RECIP_RETURN_IF_ERROR(CheckLineIndex(claim, request.line_index()));
        v1::LineDecision& line =
            *claim.mutable_decision()->mutable_lines(request.line_index());
        if (line.outcome() != v1::LINE_OUTCOME_REFUSED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "line ", request.line_index() + 1, " was not refused"));
        }
        if (line.rule() == kDeclinedRule) {
          return absl::FailedPreconditionError(absl::StrCat(
              "line ", request.line_index() + 1,
              " was not paid because you chose not to be paid when you "
              "claimed; ask an officer to change your payment preference "
              "and claim again"));
        }
        if (!line.appeal_comment().empty()) {
          return absl::FailedPreconditionError(
              "you have already asked for this line to be looked at again");
        }
        line.set_appeal_comment(request.comment());
        line.set_outcome(v1::LINE_OUTCOME_NEEDS_REVIEW);
        claim.mutable_decision()->set_needs_review(true);
        claim.set_state(v1::CLAIM_STATE_NEEDS_REVIEW);
        claim.mutable_decision()->set_summary(ClaimSummary(claim));
        AddEvent(claim, caller.id,
                 absl::StrCat("asked for line ", request.line_index() + 1,
                              " to be looked at again"),
                 now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Claim> ClaimFromRow(const store::ClaimRow& row) {
  return FromRow(row);
}

bool IsReviewEvent(const v1::ClaimEvent& event) {
  return absl::StartsWith(event.action(), kReviewActionPrefix);
}

}  // namespace reciprocity
