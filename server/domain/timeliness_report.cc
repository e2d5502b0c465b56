// ReportService::Timeliness: days from submission to payment against each
// area's payment promise, and the claims not yet paid that break it or are
// about to, oldest first.
#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "policy/dates.h"
#include "policy/validate.h"
#include "reciprocity/v1/claims.pb.h"
#include "server/domain/names.h"
#include "server/domain/report_scope.h"
#include "server/domain/report_service.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

// A claim not yet paid is at risk with this many days or fewer left, unless
// the request says otherwise.
constexpr int kDefaultAtRiskDays = 3;

// A batch not yet paid, and the words for its state.
struct OpenBatch {
  int64_t id = 0;
  const char* state = "";
};

const char* BatchStateWords(int state) {
  switch (state) {
    case v1::BATCH_STATE_DRAFT:
      return "draft, waiting for a second person to approve it";
    case v1::BATCH_STATE_APPROVED:
      return "approved, waiting to be exported";
    case v1::BATCH_STATE_EXPORTED:
      return "exported, waiting to be marked paid";
    default:
      return "not yet paid";
  }
}

// What the claim waits for, and why in plain English.
void SayWhy(const store::ClaimRow& claim, const OpenBatch* batch,
            v1::ClaimAtRisk* out) {
  if (claim.state == v1::CLAIM_STATE_SUBMITTED ||
      claim.state == v1::CLAIM_STATE_NEEDS_REVIEW) {
    out->set_waiting_for(v1::CLAIM_WAIT_REVIEW);
    out->set_reason("Waiting for an officer to review it.");
  } else if (claim.state == v1::CLAIM_STATE_APPROVED || batch == nullptr) {
    out->set_waiting_for(v1::CLAIM_WAIT_BATCH);
    out->set_reason("Approved, but not yet in a payment batch.");
  } else {
    out->set_waiting_for(v1::CLAIM_WAIT_PAYMENT);
    out->set_batch(absl::StrCat("batches/", batch->id));
    out->set_reason(absl::StrCat("In batches/", batch->id, " (", batch->state,
                                 "), not yet paid."));
  }
}

bool NotYetPaid(int state) {
  return state == v1::CLAIM_STATE_SUBMITTED ||
         state == v1::CLAIM_STATE_NEEDS_REVIEW ||
         state == v1::CLAIM_STATE_APPROVED || state == v1::CLAIM_STATE_BATCHED;
}

}  // namespace

absl::StatusOr<v1::TimelinessReport> ReportService::Timeliness(
    const Principal& caller, const v1::GetTimelinessReportRequest& request) {
  if (request.target_days() < 0) {
    return absl::InvalidArgumentError("target_days: must not be negative");
  }
  if (request.at_risk_days() < 0) {
    return absl::InvalidArgumentError("at_risk_days: must not be negative");
  }
  RECIP_ASSIGN_OR_RETURN(store::ClaimFilter filter,
                         ReportScope(caller, request.service_area()));
  const int at_risk =
      request.at_risk_days() == 0 ? kDefaultAtRiskDays : request.at_risk_days();
  // Each area's target: the request's, else the promise in its rule file.
  std::map<std::string, int> targets;
  for (const auto& area : policies_.All()) {
    if (!InReportScope(filter, area->area_id())) continue;
    targets[area->area_id()] = request.target_days() > 0
                                   ? request.target_days()
                                   : area->payment_promise_days();
  }
  const int fallback = request.target_days() > 0
                           ? request.target_days()
                           : policy::kDefaultPaymentPromiseDays;
  auto target_of = [&](const std::string& area_id) {
    auto it = targets.find(area_id);
    return it == targets.end() ? fallback : it->second;
  };

  const absl::CivilDay today = clock_.TodayInLondon();
  v1::TimelinessReport report;
  report.set_target_days(fallback);
  if (request.target_days() == 0 && !targets.empty()) {
    const int first = targets.begin()->second;
    const bool same = std::all_of(
        targets.begin(), targets.end(),
        [first](const auto& entry) { return entry.second == first; });
    report.set_target_days(same ? first : 0);
  }
  report.set_at_risk_days(at_risk);

  std::vector<int64_t> days;
  int within = 0;
  std::map<int64_t, OpenBatch> open_batches;  // claim id -> its batch
  std::vector<v1::ClaimAtRisk> listed;
  RECIP_RETURN_IF_ERROR(
      store_.Read([&](store::ReadTransaction& tx) -> absl::Status {
        // Paid claims: from submission to the batch's payment date. Claims in
        // batches not yet paid: which batch holds them.
        int64_t before = 0;
        while (true) {
          RECIP_ASSIGN_OR_RETURN(std::vector<store::BatchRow> batches,
                                 tx.ListBatches(before, 500));
          for (const auto& row : batches) {
            if (row.state == v1::BATCH_STATE_CANCELLED) continue;
            if (row.state != v1::BATCH_STATE_PAID) {
              const OpenBatch open{row.id, BatchStateWords(row.state)};
              RECIP_RETURN_IF_ERROR(
                  tx.ScanBatchClaims(row.id, [&](const store::ClaimRow& claim) {
                    open_batches[claim.id] = open;
                    return absl::OkStatus();
                  }));
              continue;
            }
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
                  if (InReportScope(filter, claim.area_id)) {
                    const int64_t d = DaysSince(claim.create_time_micros, paid);
                    days.push_back(d);
                    if (d <= target_of(claim.area_id)) ++within;
                  }
                  return absl::OkStatus();
                }));
          }
          if (batches.size() < 500) break;
          before = batches.back().id;
        }
        // Claims not yet paid: late, at risk, or still in time.
        return tx.ScanClaims(filter, [&](const store::ClaimRow& claim) {
          if (!NotYetPaid(claim.state)) return absl::OkStatus();
          const int target = target_of(claim.area_id);
          const int64_t waited = DaysSince(claim.create_time_micros, today);
          const int64_t left = target - waited;
          if (claim.state == v1::CLAIM_STATE_APPROVED ||
              claim.state == v1::CLAIM_STATE_BATCHED) {
            report.set_waiting_claim_count(report.waiting_claim_count() + 1);
            if (left < 0) {
              report.set_waiting_past_target_count(
                  report.waiting_past_target_count() + 1);
            }
          }
          if (left > at_risk) return absl::OkStatus();
          v1::ClaimAtRisk item;
          item.set_claim(absl::StrCat("claims/", claim.id));
          item.set_project(
              ProjectResourceName(claim.area_id, claim.project_id));
          item.set_participant(ParticipantName(claim.participant_id));
          *item.mutable_submit_time() =
              TimeUtil::MicrosecondsToTimestamp(claim.create_time_micros);
          item.set_submit_date(policy::FormatIsoDate(today - waited));
          item.set_days_waiting(static_cast<int32_t>(waited));
          item.set_target_days(target);
          item.set_days_left(static_cast<int32_t>(left));
          item.set_status(left < 0 ? v1::PROMISE_STATUS_LATE
                                   : v1::PROMISE_STATUS_AT_RISK);
          item.set_allowed_total_pence(claim.allowed_total_pence);
          auto batch = open_batches.find(claim.id);
          SayWhy(claim, batch == open_batches.end() ? nullptr : &batch->second,
                 &item);
          listed.push_back(std::move(item));
          return absl::OkStatus();
        });
      }));
  // Oldest first: by submission, then claim id (the order they arrived).
  std::stable_sort(listed.begin(), listed.end(),
                   [](const v1::ClaimAtRisk& a, const v1::ClaimAtRisk& b) {
                     return TimeUtil::TimestampToMicroseconds(a.submit_time()) <
                            TimeUtil::TimestampToMicroseconds(b.submit_time());
                   });
  for (auto& item : listed) {
    if (item.status() == v1::PROMISE_STATUS_LATE) {
      report.set_late_count(report.late_count() + 1);
    } else {
      report.set_at_risk_count(report.at_risk_count() + 1);
    }
    *report.add_claims() = std::move(item);
  }
  std::sort(days.begin(), days.end());
  report.set_paid_claim_count(static_cast<int32_t>(days.size()));
  report.set_within_target_count(within);
  if (!days.empty()) {
    report.set_median_days(static_cast<int32_t>(days[days.size() / 2]));
    report.set_max_days(static_cast<int32_t>(days.back()));
  }
  return report;
}

}  // namespace reciprocity
