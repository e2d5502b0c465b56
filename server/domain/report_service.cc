#include "server/domain/report_service.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/batch_service.h"
#include "server/domain/names.h"

namespace reciprocity {
namespace {

absl::StatusOr<v1::Claim> ParseClaim(const store::ClaimRow& row) {
  v1::Claim claim;
  if (!claim.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("claims/", row.id, " is unreadable"));
  }
  return claim;
}

bool Committed(int state) {
  return state == v1::CLAIM_STATE_APPROVED ||
         state == v1::CLAIM_STATE_BATCHED || state == v1::CLAIM_STATE_PAID;
}

// The claim filter for the areas the caller may report on: one named area,
// or all of theirs.
absl::StatusOr<store::ClaimFilter> ScopeFilter(const Principal& caller,
                                               const std::string& area_name) {
  store::ClaimFilter filter;
  if (!area_name.empty()) {
    RECIP_ASSIGN_OR_RETURN(filter.area_id,
                           ParseServiceAreaName("service_area", area_name));
    if (!caller.ActsIn(filter.area_id)) {
      return absl::PermissionDeniedError(
          absl::StrCat("you do not act in service area ", filter.area_id));
    }
  } else if (!caller.ActsIn("*")) {
    filter.area_ids_in = caller.service_areas;
    if (filter.area_ids_in.empty()) {
      return absl::PermissionDeniedError("you act in no service area");
    }
  }
  return filter;
}

bool InScope(const store::ClaimFilter& filter, const std::string& area_id) {
  if (!filter.area_id.empty()) return filter.area_id == area_id;
  if (filter.area_ids_in.empty()) return true;
  return std::find(filter.area_ids_in.begin(), filter.area_ids_in.end(),
                   area_id) != filter.area_ids_in.end();
}

absl::StatusOr<absl::CivilDay> DateOrToday(const std::string& text,
                                           const Clock& clock) {
  if (text.empty()) return clock.TodayInLondon();
  return ParseDateField("date", text);
}

void AddRows(const std::map<std::string, int64_t>& totals,
             google::protobuf::RepeatedPtrField<v1::SpendRow>* rows) {
  for (const auto& [key, pence] : totals) {
    v1::SpendRow* row = rows->Add();
    row->set_key(key);
    row->set_amount_pence(pence);
  }
}

int64_t DaysBetween(int64_t from_micros, absl::CivilDay to) {
  const absl::CivilDay from =
      absl::ToCivilDay(absl::FromUnixMicros(from_micros), LondonTimeZone());
  return to - from;
}

}  // namespace

absl::StatusOr<v1::SpendReport> ReportService::Spend(
    const Principal& caller, const v1::GetSpendReportRequest& request) {
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter filter,
                         ScopeFilter(caller, request.service_area()));
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay day,
                         DateOrToday(request.date(), clock_));
  const absl::CivilDay start = policy::FinancialYearStart(day);
  const absl::CivilDay end = policy::FinancialYearEnd(day);
  filter.session_date_from = policy::FormatIsoDate(start);
  filter.session_date_to = policy::FormatIsoDate(end);

  v1::SpendReport report;
  report.set_financial_year_start(policy::FormatIsoDate(start));
  report.set_financial_year_end(policy::FormatIsoDate(end));

  // Every project in scope appears, even with nothing spent.
  std::map<std::string, v1::ProjectSpend> projects;
  std::map<std::string, int64_t> by_area, by_cost_centre, by_category, by_month;
  for (absl::CivilMonth m(start); m <= absl::CivilMonth(end); ++m) {
    by_month[absl::FormatCivilTime(m)] = 0;
  }
  for (const auto& area : policies_.All()) {
    if (!InScope(filter, area->area_id())) continue;
    by_area[area->area_id()] = 0;
    for (const auto& p : area->projects()) {
      v1::ProjectSpend& spend =
          projects[ProjectResourceName(area->area_id(), p.id)];
      spend.set_project(ProjectResourceName(area->area_id(), p.id));
      spend.set_display_name(p.display_name);
      spend.set_cost_centre(p.cost_centre);
      spend.set_budget_pence(p.BudgetPenceFor(start));
      by_cost_centre[p.cost_centre] += 0;
    }
  }

  RECIP_RETURN_IF_ERROR(store_.Read([&](store::ReadTransaction& tx)
                                        -> absl::Status {
    return tx.ScanClaims(
        filter, [&](const store::ClaimRow& row) -> absl::Status {
          if (!Committed(row.state)) return absl::OkStatus();
          RECIP_ASSIGN_OR_RETURN(v1::Claim claim, ParseClaim(row));
          v1::ProjectSpend& spend =
              projects[ProjectResourceName(row.area_id, row.project_id)];
          spend.set_project(ProjectResourceName(row.area_id, row.project_id));
          spend.set_committed_pence(spend.committed_pence() +
                                    row.allowed_total_pence);
          if (row.state == v1::CLAIM_STATE_PAID) {
            spend.set_paid_pence(spend.paid_pence() + row.allowed_total_pence);
          }
          by_area[row.area_id] += row.allowed_total_pence;
          by_cost_centre[spend.cost_centre()] += row.allowed_total_pence;
          by_month[row.session_date.substr(0, 7)] += row.allowed_total_pence;
          const int lines =
              std::min(claim.lines_size(), claim.decision().lines_size());
          for (int i = 0; i < lines; ++i) {
            by_category[std::string(absl::StripPrefix(
                v1::ExpenseCategory_Name(claim.lines(i).category()),
                "EXPENSE_CATEGORY_"))] +=
                claim.decision().lines(i).allowed_pence();
          }
          return absl::OkStatus();
        });
  }));
  for (auto& [name, spend] : projects) {
    report.set_total_budget_pence(report.total_budget_pence() +
                                  spend.budget_pence());
    report.set_total_committed_pence(report.total_committed_pence() +
                                     spend.committed_pence());
    *report.add_projects() = std::move(spend);
  }
  AddRows(by_area, report.mutable_by_service_area());
  AddRows(by_cost_centre, report.mutable_by_cost_centre());
  AddRows(by_category, report.mutable_by_category());
  AddRows(by_month, report.mutable_by_month());
  return report;
}

absl::StatusOr<v1::ParticipantTotalsReport> ReportService::ParticipantTotals(
    const Principal& caller,
    const v1::GetParticipantTotalsReportRequest& request) {
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter filter,
                         ScopeFilter(caller, request.service_area()));
  RECIP_ASSIGN_OR_RETURN(absl::CivilDay day,
                         DateOrToday(request.date(), clock_));
  filter.session_date_from = policy::FormatIsoDate(policy::TaxYearStart(day));
  filter.session_date_to = policy::FormatIsoDate(policy::TaxYearEnd(day));
  v1::ParticipantTotalsReport report;
  report.set_tax_year_start(filter.session_date_from);
  report.set_tax_year_end(filter.session_date_to);
  std::map<std::string, v1::ParticipantTotal> totals;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        return tx.ScanClaims(
            filter, [&](const store::ClaimRow& row) -> absl::Status {
              if (!Committed(row.state)) return absl::OkStatus();
              RECIP_ASSIGN_OR_RETURN(v1::Claim claim, ParseClaim(row));
              v1::ParticipantTotal& t = totals[row.participant_id];
              t.set_participant(ParticipantName(row.participant_id));
              t.set_claim_count(t.claim_count() + 1);
              // A line paid straight to a provider is the provider's money, not
              // the participant's (it matters for their benefits).
              int64_t third_party = 0;
              for (int i = 0;
                   i < claim.lines_size() && i < claim.decision().lines_size();
                   ++i) {
                if (!claim.lines(i).payee_reference().empty()) {
                  third_party += claim.decision().lines(i).allowed_pence();
                }
              }
              const int64_t own = row.allowed_total_pence - third_party;
              const bool paid = row.state == v1::CLAIM_STATE_PAID;
              t.set_committed_pence(t.committed_pence() + own);
              t.set_third_party_committed_pence(
                  t.third_party_committed_pence() + third_party);
              if (paid) {
                t.set_paid_pence(t.paid_pence() + own);
                t.set_third_party_paid_pence(t.third_party_paid_pence() +
                                             third_party);
              }
              if (claim.payment_method() == v1::PAYMENT_METHOD_VOUCHER) {
                t.set_voucher_pence(t.voucher_pence() + own);
              }
              return absl::OkStatus();
            });
      }));
  // Vouchers earned by attending: payment for time, the money most likely
  // to matter for someone's benefits.
  store::ProgrammeFilter vouchers;
  vouchers.area_id = filter.area_id;
  vouchers.area_ids_in = filter.area_ids_in;
  vouchers.date_from = filter.session_date_from;
  vouchers.date_to = filter.session_date_to;
  vouchers.limit = 1000;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        for (bool more = true; more;) {
          RECIP_ASSIGN_OR_RETURN(std::vector<store::VoucherEntitlementRow> rows,
                                 tx.ListVoucherEntitlements(vouchers));
          more = static_cast<int>(rows.size()) == vouchers.limit;
          for (const auto& row : rows) {
            vouchers.after_id = row.id;
            if (row.state != v1::VOUCHER_ENTITLEMENT_STATE_EARNED &&
                row.state != v1::VOUCHER_ENTITLEMENT_STATE_ISSUED) {
              continue;
            }
            v1::ParticipantTotal& t = totals[row.participant_id];
            t.set_participant(ParticipantName(row.participant_id));
            t.set_attendance_voucher_count(t.attendance_voucher_count() + 1);
            t.set_attendance_voucher_pence(t.attendance_voucher_pence() +
                                           row.value_pence);
          }
        }
        return absl::OkStatus();
      }));
  for (auto& [id, t] : totals) *report.add_participants() = std::move(t);
  return report;
}

absl::StatusOr<v1::TimelinessReport> ReportService::Timeliness(
    const Principal& caller, const v1::GetTimelinessReportRequest& request) {
  if (request.target_days() < 0) {
    return absl::InvalidArgumentError("target_days: must not be negative");
  }
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter filter,
                         ScopeFilter(caller, request.service_area()));
  const int target =
      request.target_days() == 0 ? kDefaultTargetDays : request.target_days();
  const absl::CivilDay today = clock_.TodayInLondon();
  v1::TimelinessReport report;
  report.set_target_days(target);
  std::vector<int64_t> days;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        // Paid claims: from submission to the batch's payment date.
        int64_t before = 0;
        while (true) {
          RECIP_ASSIGN_OR_RETURN(std::vector<store::BatchRow> batches,
                                 tx.ListBatches(before, 500));
          for (const auto& row : batches) {
            if (row.state != v1::BATCH_STATE_PAID) continue;
            v1::Batch batch;
            if (!batch.ParseFromString(row.body)) {
              return absl::InternalError(
                  absl::StrCat("batches/", row.id, " is unreadable"));
            }
            RECIP_ASSIGN_OR_RETURN(
                absl::CivilDay paid,
                ParseDateField("payment_date", batch.payment_date()));
            RECIP_RETURN_IF_ERROR(
                tx.ScanBatchClaims(row.id, [&](const store::ClaimRow& claim) {
                  if (InScope(filter, claim.area_id)) {
                    days.push_back(DaysBetween(claim.create_time_micros, paid));
                  }
                  return absl::OkStatus();
                }));
          }
          if (batches.size() < 500) break;
          before = batches.back().id;
        }
        // Claims approved and waiting to be paid.
        return tx.ScanClaims(filter, [&](const store::ClaimRow& claim) {
          if (claim.state == v1::CLAIM_STATE_APPROVED ||
              claim.state == v1::CLAIM_STATE_BATCHED) {
            report.set_waiting_claim_count(report.waiting_claim_count() + 1);
            if (DaysBetween(claim.create_time_micros, today) > target) {
              report.set_waiting_past_target_count(
                  report.waiting_past_target_count() + 1);
            }
          }
          return absl::OkStatus();
        });
      }));
  std::sort(days.begin(), days.end());
  report.set_paid_claim_count(static_cast<int32_t>(days.size()));
  report.set_within_target_count(static_cast<int32_t>(std::count_if(
      days.begin(), days.end(), [&](int64_t d) { return d <= target; })));
  if (!days.empty()) {
    report.set_median_days(static_cast<int32_t>(days[days.size() / 2]));
    report.set_max_days(static_cast<int32_t>(days.back()));
  }
  return report;
}

}  // namespace reciprocity
