#include "server/domain/whatif.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "policy/claim_outcome.h"
#include "policy/dates.h"
#include "server/domain/claim_facts.h"
#include "server/domain/names.h"

namespace reciprocity {
namespace {

// A project's or a participant's year: (id, the year the year starts in).
using YearKey = std::pair<std::string, int64_t>;
using YearSums = absl::flat_hash_map<YearKey, int64_t>;

bool SameLine(const v1::LineDecision& a, const v1::LineDecision& b) {
  return a.outcome() == b.outcome() && a.allowed_pence() == b.allowed_pence() &&
         a.rule() == b.rule() && a.reason() == b.reason();
}

// What the claim would count against its project's budget: as stored when
// the draft leaves its state as the rules in force do (an officer's review
// stands), moved by the difference between the two judgements; else by the
// draft's state, which only a change of rules could have given.
int64_t CommittedChange(const store::ClaimRow& row,
                        const policy::ClaimOutcome& now,
                        const policy::ClaimOutcome& draft) {
  const bool committed = CountsAgainstBudget(row.state);
  const bool draft_committed =
      now.state == draft.state ? committed : CountsAgainstBudget(draft.state);
  const int64_t stored = committed ? row.allowed_total_pence : 0;
  const int64_t under_draft =
      draft_committed
          ? std::max<int64_t>(0, row.allowed_total_pence +
                                     draft.decision.allowed_total_pence() -
                                     now.decision.allowed_total_pence())
          : 0;
  return under_draft - stored;
}

class Replay {
 public:
  Replay(const policy::AreaPolicy& live, const policy::AreaPolicy& draft,
         absl::CivilDay from, absl::CivilDay to, int max_listed,
         v1::WhatIfReport& report)
      : live_(live),
        draft_(draft),
        from_(from),
        to_(to),
        max_listed_(max_listed),
        report_(report) {}

  // Every claim whose session falls in the years (financial and tax) that
  // the range touches, by ascending id: so that, at each claim, the sums
  // hold exactly the claims before it.
  absl::Status Run(store::ReadTransaction& tx) {
    store::ClaimFilter filter;
    filter.session_date_from = policy::FormatIsoDate(std::min(
        policy::FinancialYearStart(from_), policy::TaxYearStart(from_)));
    filter.session_date_to = policy::FormatIsoDate(
        std::max(policy::FinancialYearEnd(to_), policy::TaxYearEnd(to_)));
    RECIP_RETURN_IF_ERROR(
        ReadVouchers(tx, filter.session_date_from, filter.session_date_to));
    return tx.ScanClaims(
        filter, [&](const store::ClaimRow& row) { return Add(tx, row); });
  }

  void AddBudgets() {
    std::vector<std::string> projects;
    for (const auto& p : live_.projects()) projects.push_back(p.id);
    for (const auto& p : draft_.projects()) {
      if (live_.FindProject(p.id) == nullptr) projects.push_back(p.id);
    }
    for (int64_t year = policy::FinancialYearStart(from_).year();
         year <= policy::FinancialYearStart(to_).year(); ++year) {
      const absl::CivilDay start(year, 4, 1);
      for (const std::string& id : projects) {
        v1::WhatIfBudget* budget = report_.add_budgets();
        budget->set_project(ProjectResourceName(live_.area_id(), id));
        budget->set_financial_year_start(policy::FormatIsoDate(start));
        if (const auto* p = live_.FindProject(id); p != nullptr) {
          if (auto pence = p->FindBudgetFor(start)) {
            budget->set_budget_pence(*pence);
          }
        }
        if (const auto* p = draft_.FindProject(id); p != nullptr) {
          if (auto pence = p->FindBudgetFor(start)) {
            budget->set_draft_budget_pence(*pence);
          }
        }
        const YearKey key{id, year};
        const int64_t vouchers = VouchersBefore(key, INT64_MAX);
        const int64_t committed = Find(committed_, key) + vouchers;
        budget->set_vouchers_pence(vouchers);
        budget->set_committed_pence(committed);
        budget->set_draft_committed_pence(committed + Find(draft_change_, key));
        budget->set_claims_changed(
            static_cast<int32_t>(Find(claims_changed_, key)));
      }
    }
  }

 private:
  static int64_t Find(const YearSums& sums, const YearKey& key) {
    auto it = sums.find(key);
    return it == sums.end() ? 0 : it->second;
  }

  // The area's vouchers that count against a budget, with session dates in
  // [from, to]: by project year, in the order they were earned.
  absl::Status ReadVouchers(store::ReadTransaction& tx, const std::string& from,
                            const std::string& to) {
    store::ProgrammeFilter filter;
    filter.area_id = live_.area_id();
    filter.date_from = from;
    filter.date_to = to;
    filter.limit = 1000;
    for (;;) {
      RECIP_ASSIGN_OR_RETURN(std::vector<store::VoucherEntitlementRow> rows,
                             tx.ListVoucherEntitlements(filter));
      for (const store::VoucherEntitlementRow& v : rows) {
        const std::optional<absl::CivilDay> day =
            policy::ParseIsoDate(v.session_date);
        if (!day.has_value() || !VoucherCountsAgainstBudget(v.state)) continue;
        vouchers_[{v.project_id, policy::FinancialYearStart(*day).year()}]
            .push_back({v.create_time_micros, v.value_pence});
      }
      if (rows.size() < static_cast<size_t>(filter.limit)) break;
      filter.after_id = rows.back().id;
    }
    for (auto& [key, earned] : vouchers_) {
      std::sort(earned.begin(), earned.end());
      for (size_t i = 1; i < earned.size(); ++i) {
        earned[i].second += earned[i - 1].second;  // running totals
      }
    }
    return absl::OkStatus();
  }

  // The vouchers of the project year earned by `micros`: what counted
  // against the budget, besides claims, when a claim was made then (a
  // voucher earned in the same microsecond was stored first).
  int64_t VouchersBefore(const YearKey& key, int64_t micros) const {
    auto it = vouchers_.find(key);
    if (it == vouchers_.end()) return 0;
    const auto& earned = it->second;
    auto end =
        std::upper_bound(earned.begin(), earned.end(), micros,
                         [](int64_t t, const std::pair<int64_t, int64_t>& v) {
                           return t < v.first;
                         });
    return end == earned.begin() ? 0 : std::prev(end)->second;
  }

  absl::Status Add(store::ReadTransaction& tx, const store::ClaimRow& row) {
    const std::optional<absl::CivilDay> day =
        policy::ParseIsoDate(row.session_date);
    if (!day.has_value()) {
      return absl::InternalError(
          absl::StrCat(ClaimName(row.id), " has an unreadable session date"));
    }
    const bool in_area = row.area_id == live_.area_id();
    const YearKey project_year{row.project_id,
                               policy::FinancialYearStart(*day).year()};
    const YearKey miles_year{row.participant_id,
                             policy::TaxYearStart(*day).year()};
    if (in_area && *day >= from_ && *day <= to_ &&
        row.state != v1::CLAIM_STATE_WITHDRAWN) {
      RECIP_RETURN_IF_ERROR(
          Judge(tx, row, *day, project_year, Find(car_tenths_, miles_year)));
    }
    if (in_area && CountsAgainstBudget(row.state)) {
      committed_[project_year] += row.allowed_total_pence;
    }
    if (CountsTowardsCarMiles(row.state)) {
      car_tenths_[miles_year] += row.car_tenths;
    }
    return absl::OkStatus();
  }

  // The participant's type, read once per participant.
  absl::StatusOr<const store::ParticipantRow*> Participant(
      store::ReadTransaction& tx, const std::string& id) {
    auto it = participants_.find(id);
    if (it == participants_.end()) {
      RECIP_ASSIGN_OR_RETURN(store::ParticipantRow row, tx.GetParticipant(id));
      row.body.clear();  // the personal data is not needed here
      it = participants_.emplace(id, std::move(row)).first;
    }
    return &it->second;
  }

  absl::Status Judge(store::ReadTransaction& tx, const store::ClaimRow& row,
                     absl::CivilDay day, const YearKey& project_year,
                     int64_t car_tenths_before) {
    RECIP_ASSIGN_OR_RETURN(v1::Claim claim, ClaimFromRow(row));
    ClaimReferences references;
    references.participant_id = row.participant_id;
    references.project = ProjectName{row.area_id, row.project_id};
    references.session_date = day;
    if (int64_t session_id = 0; !row.session_id.empty() &&
                                absl::SimpleAtoi(row.session_id, &session_id)) {
      references.session_id = session_id;
    }
    RECIP_ASSIGN_OR_RETURN(const store::ParticipantRow* participant,
                           Participant(tx, row.participant_id));
    AsStored as_stored;
    as_stored.claim_id = row.id;
    as_stored.create_time_micros = row.create_time_micros;
    as_stored.car_tenths_earlier_in_tax_year = car_tenths_before;
    as_stored.project_committed_pence =
        Find(committed_, project_year) +
        VouchersBefore(project_year, row.create_time_micros);
    const absl::CivilDay made = absl::ToCivilDay(
        absl::FromUnixMicros(row.create_time_micros), LondonTimeZone());
    RECIP_ASSIGN_OR_RETURN(GatheredFacts gathered,
                           GatherClaimFacts(tx, live_, claim, references,
                                            *participant, made, &as_stored));
    policy::ClaimFacts& facts = gathered.facts;
    const policy::ClaimOutcome now = policy::DecideClaim(live_, facts);
    // Under the draft, the changes to earlier claims in the range have moved
    // the project's committed money.
    facts.project_committed_pence += Find(draft_change_, project_year);
    const policy::ClaimOutcome draft = policy::DecideClaim(draft_, facts);

    report_.set_claims_replayed(report_.claims_replayed() + 1);
    report_.set_allowed_pence(report_.allowed_pence() +
                              now.decision.allowed_total_pence());
    report_.set_draft_allowed_pence(report_.draft_allowed_pence() +
                                    draft.decision.allowed_total_pence());

    v1::WhatIfClaimChange change;
    for (int i = 0; i < now.decision.lines_size() &&
                    i < draft.decision.lines_size() && i < claim.lines_size();
         ++i) {
      const v1::LineDecision& a = now.decision.lines(i);
      const v1::LineDecision& b = draft.decision.lines(i);
      if (SameLine(a, b)) continue;
      v1::WhatIfLineChange* line = change.add_lines();
      line->set_line_index(i);
      line->set_category(claim.lines(i).category());
      line->set_outcome(a.outcome());
      line->set_allowed_pence(a.allowed_pence());
      line->set_rule(a.rule());
      line->set_reason(a.reason());
      line->set_draft_outcome(b.outcome());
      line->set_draft_allowed_pence(b.allowed_pence());
      line->set_draft_rule(b.rule());
      line->set_draft_reason(b.reason());
    }
    if (change.lines().empty() && now.state == draft.state) {
      return absl::OkStatus();
    }
    const int64_t committed_change = CommittedChange(row, now, draft);
    draft_change_[project_year] += committed_change;
    ++claims_changed_[project_year];
    report_.set_claims_changed(report_.claims_changed() + 1);
    report_.set_lines_changed(report_.lines_changed() + change.lines_size());
    report_.set_committed_change_pence(report_.committed_change_pence() +
                                       committed_change);
    if (report_.changed_claims_size() >= max_listed_) {
      report_.set_changed_claims_not_listed(
          report_.changed_claims_not_listed() + 1);
      return absl::OkStatus();
    }
    change.set_claim(ClaimName(row.id));
    change.set_project(ProjectResourceName(row.area_id, row.project_id));
    change.set_session_date(row.session_date);
    change.set_stored_state(static_cast<v1::ClaimState>(row.state));
    change.set_state(now.state);
    change.set_draft_state(draft.state);
    change.set_allowed_pence(now.decision.allowed_total_pence());
    change.set_draft_allowed_pence(draft.decision.allowed_total_pence());
    change.set_committed_change_pence(committed_change);
    *report_.add_changed_claims() = std::move(change);
    return absl::OkStatus();
  }

  const policy::AreaPolicy& live_;
  const policy::AreaPolicy& draft_;
  const absl::CivilDay from_;
  const absl::CivilDay to_;
  const int max_listed_;
  v1::WhatIfReport& report_;
  // Money counted against each project's budget by the claims scanned so
  // far, as stored (project, financial year).
  YearSums committed_;
  // What the draft's changes to the claims so far add to that.
  YearSums draft_change_;
  YearSums claims_changed_;
  // (earned at, running total of value) by project year, oldest first.
  absl::flat_hash_map<YearKey, std::vector<std::pair<int64_t, int64_t>>>
      vouchers_;
  // Car miles (tenths) towards the HMRC tier (participant, tax year).
  YearSums car_tenths_;
  absl::flat_hash_map<std::string, store::ParticipantRow> participants_;
};

}  // namespace

absl::StatusOr<v1::WhatIfReport> ReplayUnderDraft(
    store::Store& store, const policy::AreaPolicy& live,
    const policy::AreaPolicy& draft, absl::CivilDay from, absl::CivilDay to,
    int max_listed) {
  v1::WhatIfReport report;
  report.set_service_area(absl::StrCat("serviceAreas/", live.area_id()));
  report.set_policy_version(live.version());
  report.set_draft_version(draft.version());
  report.set_date_from(policy::FormatIsoDate(from));
  report.set_date_to(policy::FormatIsoDate(to));
  Replay replay(live, draft, from, to, max_listed, report);
  RECIP_RETURN_IF_ERROR(
      store.Read([&](store::ReadTransaction& tx) { return replay.Run(tx); }));
  replay.AddBudgets();
  return report;
}

}  // namespace reciprocity
