#include "server/domain/batch_builder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "policy/policy.h"
#include "server/domain/batch_duties.h"
#include "server/domain/names.h"

namespace reciprocity {

v1::PaymentMethod PaymentMethodOfClaim(const v1::Claim& claim) {
  return claim.payment_method() == v1::PAYMENT_METHOD_UNSPECIFIED
             ? v1::PAYMENT_METHOD_BANK_TRANSFER
             : claim.payment_method();
}

const BatchBuilder::ProjectFacts& BatchBuilder::FactsFor(
    const std::string& area_id, const std::string& project_id) {
  auto key = std::make_pair(area_id, project_id);
  auto it = projects_.find(key);
  if (it != projects_.end()) return it->second;
  ProjectFacts facts;
  if (auto area = policies_.Find(area_id)) {
    if (const auto* project = area->FindProject(project_id)) {
      facts.cost_centre = project->cost_centre;
    }
    facts.voucher_provider = policy::VoucherProvider(*area, project_id);
  }
  return projects_.emplace(key, std::move(facts)).first->second;
}

absl::Status BatchBuilder::Add(const store::ClaimRow& row) {
  v1::Claim claim;
  if (!claim.ParseFromString(row.body)) {
    return absl::InternalError(
        absl::StrCat("claims/", row.id, " is unreadable"));
  }
  const v1::PaymentMethod method = PaymentMethodOfClaim(claim);
  if (only_method_ != v1::PAYMENT_METHOD_UNSPECIFIED) {
    if (method != only_method_) return absl::OkStatus();
    taken_ids_.push_back(row.id);
  }
  const ProjectFacts& facts = FactsFor(row.area_id, row.project_id);
  ++claim_count_;
  total_pence_ += row.allowed_total_pence;
  auto& project =
      project_totals_[ProjectResourceName(row.area_id, row.project_id)];
  project.cost_centre = facts.cost_centre;
  ++project.claims;
  project.pence += row.allowed_total_pence;

  if (claim.entered_by().empty()) claim.set_entered_by(row.entered_by);
  AddPeopleWithAPart(claim, involved_);

  // Money per (method, payee) for this claim. A line with its own payee
  // (a childminder paid directly) is always a bank transfer to them.
  std::map<std::pair<int, std::string>, int64_t> owed;
  const int lines = std::min(claim.lines_size(), claim.decision().lines_size());
  for (int i = 0; i < lines; ++i) {
    const int64_t allowed = claim.decision().lines(i).allowed_pence();
    if (allowed <= 0) continue;
    const std::string& payee = claim.lines(i).payee_reference();
    if (!payee.empty()) {
      owed[{v1::PAYMENT_METHOD_BANK_TRANSFER, payee}] += allowed;
    } else if (method == v1::PAYMENT_METHOD_DECLINE) {
      // A declined claim pays the participant nothing (its own lines are
      // refused at submission). Money for them here means the record was
      // changed outside the service: refuse rather than pay it.
      return absl::FailedPreconditionError(absl::StrCat(
          "claims/", row.id,
          " is for a participant who declined payment yet owes them money, "
          "so it cannot be paid; choose a selection without it and ask an "
          "administrator to look at it"));
    } else {
      owed[{method, row.participant_id}] += allowed;
    }
  }
  // Totals by the way money is actually paid, so that they agree with the
  // payment file and the voucher list.
  std::set<int> methods;
  for (const auto& [key, pence] : owed) {
    auto& by_method = method_totals_[key.first];
    if (methods.insert(key.first).second) ++by_method.first;
    by_method.second += pence;
  }
  for (const auto& [key, pence] : owed) {
    store::BatchPaymentRow payment;
    payment.batch_id = batch_id_;
    payment.payment_method = key.first;
    payment.payee = key.second;
    payment.cost_centre = facts.cost_centre;
    if (key.first == v1::PAYMENT_METHOD_VOUCHER) {
      payment.provider = facts.voucher_provider;
    }
    payment.claim_id = row.id;
    payment.amount_pence = pence;
    RECIP_RETURN_IF_ERROR(tx_.InsertBatchPayment(payment));
  }
  return absl::OkStatus();
}

void BatchBuilder::Fill(v1::Batch& batch) const {
  batch.set_claim_count(static_cast<int32_t>(claim_count_));
  batch.set_total_pence(total_pence_);
  for (const auto& [method, totals] : method_totals_) {
    v1::PaymentMethodTotal* t = batch.add_payment_method_totals();
    t->set_payment_method(static_cast<v1::PaymentMethod>(method));
    t->set_claim_count(totals.first);
    t->set_amount_pence(totals.second);
  }
  for (const auto& [name, totals] : project_totals_) {
    v1::ProjectTotal* t = batch.add_project_totals();
    t->set_project(name);
    t->set_cost_centre(totals.cost_centre);
    t->set_claim_count(totals.claims);
    t->set_amount_pence(totals.pence);
  }
}

std::string BatchBuilder::Involved() const {
  return absl::StrJoin(involved_, "\n");
}

absl::StatusOr<store::ClaimFilter> SelectionFilter(
    const Principal& caller, const v1::BatchSelection& selection) {
  store::ClaimFilter filter;
  if (!selection.project().empty()) {
    RECIP_ASSIGN_OR_RETURN(
        ProjectName project,
        ParseProjectName("selection.project", selection.project()));
    filter.area_id = project.area_id;
    filter.project_id = project.project_id;
  }
  if (!selection.service_area().empty()) {
    RECIP_ASSIGN_OR_RETURN(std::string area,
                           ParseServiceAreaName("selection.service_area",
                                                selection.service_area()));
    if (!filter.area_id.empty() && filter.area_id != area) {
      return absl::InvalidArgumentError(
          "selection.service_area: does not match the project's service "
          "area");
    }
    filter.area_id = area;
  }
  if (!selection.session_date_from().empty()) {
    RECIP_RETURN_IF_ERROR(ParseDateField("selection.session_date_from",
                                         selection.session_date_from())
                              .status());
    filter.session_date_from = selection.session_date_from();
  }
  if (!v1::PaymentMethod_IsValid(selection.payment_method())) {
    return absl::InvalidArgumentError(
        "selection.payment_method: not a payment method");
  }
  if (selection.payment_method() == v1::PAYMENT_METHOD_DECLINE) {
    return absl::InvalidArgumentError(
        "selection.payment_method: claims of participants who declined "
        "payment are never paid, so no batch takes them");
  }
  if (!selection.session_date_to().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDateField("selection.session_date_to", selection.session_date_to())
            .status());
    filter.session_date_to = selection.session_date_to();
  }
  if (!filter.session_date_from.empty() && !filter.session_date_to.empty() &&
      filter.session_date_to < filter.session_date_from) {
    return absl::InvalidArgumentError(absl::StrCat(
        "selection.session_date_to: ", filter.session_date_to,
        " is before session_date_from ", filter.session_date_from));
  }
  if (!caller.ActsIn("*")) {
    if (filter.area_id.empty()) {
      return absl::PermissionDeniedError(
          "selection.service_area: name one of your service areas");
    }
    if (!caller.ActsIn(filter.area_id)) {
      return absl::PermissionDeniedError(
          absl::StrCat("you do not act in service area ", filter.area_id));
    }
  }
  filter.state = v1::CLAIM_STATE_APPROVED;
  return filter;
}

}  // namespace reciprocity
