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
#include "server/domain/report_scope.h"

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

// The spend breakdown's key for vouchers earned by attending, beside the
// expense categories.
constexpr char kVoucherCategory[] = "ATTENDANCE_VOUCHER";

bool Committed(int state) {
  return state == v1::CLAIM_STATE_APPROVED ||
         state == v1::CLAIM_STATE_BATCHED || state == v1::CLAIM_STATE_PAID;
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

}  // namespace

absl::StatusOr<v1::SpendReport> ReportService::Spend(
    const Principal& caller, const v1::GetSpendReportRequest& request) {
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter filter,
                         ReportScope(caller, request.service_area()));
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
    if (!InReportScope(filter, area->area_id())) continue;
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
  // Attendance vouchers earned or issued: committed from the moment they
  // are earned, paid once handed over.
  std::map<std::string, int64_t> vouchers_by_month;
  for (const auto& [month, pence] : by_month) vouchers_by_month[month] = 0;
  int64_t voucher_total = 0;
  RECIP_RETURN_IF_ERROR(ScanCommittedVouchers(
      filter, [&](const store::VoucherEntitlementRow& row) {
        const std::string name =
            ProjectResourceName(row.area_id, row.project_id);
        v1::ProjectSpend& spend = projects[name];
        spend.set_project(name);
        spend.set_committed_pence(spend.committed_pence() + row.value_pence);
        spend.set_voucher_pence(spend.voucher_pence() + row.value_pence);
        if (row.state == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED) {
          spend.set_paid_pence(spend.paid_pence() + row.value_pence);
          spend.set_voucher_issued_pence(spend.voucher_issued_pence() +
                                         row.value_pence);
        }
        by_area[row.area_id] += row.value_pence;
        by_cost_centre[spend.cost_centre()] += row.value_pence;
        by_category[kVoucherCategory] += row.value_pence;
        by_month[row.session_date.substr(0, 7)] += row.value_pence;
        vouchers_by_month[row.session_date.substr(0, 7)] += row.value_pence;
        voucher_total += row.value_pence;
      }));
  report.set_total_voucher_pence(voucher_total);
  AddRows(vouchers_by_month, report.mutable_vouchers_by_month());
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

absl::Status ReportService::ScanCommittedVouchers(
    const store::ClaimFilter& scope,
    const std::function<void(const store::VoucherEntitlementRow&)>& fn) {
  store::ProgrammeFilter vouchers;
  vouchers.area_id = scope.area_id;
  vouchers.area_ids_in = scope.area_ids_in;
  vouchers.date_from = scope.session_date_from;
  vouchers.date_to = scope.session_date_to;
  return store_.Read([&](store::ReadTransaction& tx) {
    return ScanVoucherEntitlements(
        tx, vouchers, [&](const store::VoucherEntitlementRow& row) {
          if (row.state == v1::VOUCHER_ENTITLEMENT_STATE_EARNED ||
              row.state == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED) {
            fn(row);
          }
          return absl::OkStatus();
        });
  });
}

absl::StatusOr<v1::ParticipantTotalsReport> ReportService::ParticipantTotals(
    const Principal& caller,
    const v1::GetParticipantTotalsReportRequest& request) {
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter filter,
                         ReportScope(caller, request.service_area()));
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
  RECIP_RETURN_IF_ERROR(ScanCommittedVouchers(
      filter, [&](const store::VoucherEntitlementRow& row) {
        v1::ParticipantTotal& t = totals[row.participant_id];
        t.set_participant(ParticipantName(row.participant_id));
        t.set_attendance_voucher_count(t.attendance_voucher_count() + 1);
        t.set_attendance_voucher_pence(t.attendance_voucher_pence() +
                                       row.value_pence);
      }));
  for (auto& [id, t] : totals) *report.add_participants() = std::move(t);
  return report;
}

}  // namespace reciprocity
