#include "server/domain/claim_service.h"

#include <cstring>
#include <functional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "policy/claim_outcome.h"
#include "server/domain/access.h"
#include "server/domain/acting_for.h"
#include "server/domain/claim_facts.h"
#include "server/domain/claim_validation.h"
#include "server/domain/idempotency.h"
#include "server/domain/names.h"
#include "server/domain/paging.h"
#include "server/domain/programme_service.h"

namespace reciprocity {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

google::protobuf::Timestamp ToTimestamp(int64_t micros) {
  return TimeUtil::MicrosecondsToTimestamp(micros);
}

// How every review event's action begins: "line 2 approved".
constexpr char kReviewActionPrefix[] = "line ";

// `on_behalf_of`: the participant, when the actor is their appointee.
void AddEvent(v1::Claim& claim, absl::string_view actor,
              absl::string_view action, int64_t now_micros,
              absl::string_view on_behalf_of = "") {
  v1::ClaimEvent* e = claim.add_history();
  *e->mutable_time() = ToTimestamp(now_micros);
  e->set_actor(std::string(actor));
  e->set_action(std::string(action));
  e->set_state(claim.state());
  e->set_on_behalf_of(std::string(on_behalf_of));
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

}  // namespace

absl::StatusOr<ClaimService::Judged> ClaimService::Judge(
    const Principal& caller, const v1::Claim& claim, store::ReadTransaction& tx,
    const store::ClaimRow* replacing) {
  RECIP_ASSIGN_OR_RETURN(ClaimReferences references,
                         ValidateClaim("claim", claim));
  const ProjectName& project = references.project;
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
      CheckMayActFor(caller, references.participant_id, project.area_id));
  RECIP_ASSIGN_OR_RETURN(store::ParticipantRow participant,
                         FindActiveParticipant(tx, "claim.participant",
                                               references.participant_id));
  RECIP_ASSIGN_OR_RETURN(
      GatheredFacts gathered,
      GatherClaimFacts(tx, *area, claim, references, participant,
                       clock_.TodayInLondon(), nullptr, replacing));
  const policy::ClaimFacts& facts = gathered.facts;
  policy::ClaimOutcome outcome = policy::DecideClaim(*area, facts);

  Judged judged;
  judged.area_id = project.area_id;
  judged.project_id = project.project_id;
  judged.car_tenths = outcome.car_tenths;
  judged.claim = claim;
  judged.claim.clear_name();
  judged.claim.clear_history();
  judged.claim.clear_earlier_versions();
  judged.claim.set_version(1);
  judged.claim.set_session(gathered.session_name);
  judged.claim.set_session_date(policy::FormatIsoDate(facts.session_date));
  if (facts.creche_provided.has_value()) {
    judged.claim.set_creche_provided(*facts.creche_provided);
  }
  judged.claim.mutable_lines()->Assign(outcome.lines.begin(),
                                       outcome.lines.end());
  *judged.claim.mutable_decision() = std::move(outcome.decision);
  judged.claim.set_payment_method(facts.payment_method);
  judged.claim.set_state(outcome.state);
  judged.claim.set_claimed_total_pence(outcome.claimed_total_pence);
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
        RECIP_ASSIGN_OR_RETURN(claim, ClaimFromRow(*row));
        return absl::OkStatus();
      }));
  return claim;
}

absl::StatusOr<v1::ListClaimsResponse> ClaimService::List(
    const Principal& caller, const v1::ListClaimsRequest& request) {
  store::ClaimFilter filter;
  RECIP_ASSIGN_OR_RETURN(filter.limit, PageLimit(request.page_size()));
  const std::string kind = ListingKind("claims", request);
  RECIP_ASSIGN_OR_RETURN(filter.after_id,
                         ParseIdPageToken(kind, request.page_token()));
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
  // AIP-132. Claims are numbered as they arrive, so id order is the order of
  // submission: the review queue by age.
  if (request.order_by() == "submit_time desc") {
    filter.newest_first = true;
  } else if (!request.order_by().empty() &&
             request.order_by() != "submit_time" &&
             request.order_by() != "submit_time asc") {
    return absl::InvalidArgumentError(
        "order_by: use \"submit_time\" (oldest first) or \"submit_time "
        "desc\" (newest first)");
  }
  if (!request.session_date_from().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDateField("session_date_from", request.session_date_from())
            .status());
    filter.session_date_from = request.session_date_from();
  }
  if (!request.session_date_to().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDateField("session_date_to", request.session_date_to()).status());
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
  RECIP_RETURN_IF_ERROR((ReadPage<store::ClaimRow, v1::Claim>(
      store_, filter.limit, kind,
      [&](store::ReadTransaction& tx) { return tx.ListClaims(filter); },
      ClaimFromRow, IdKey<store::ClaimRow>, response.mutable_claims(),
      response.mutable_next_page_token())));
  return response;
}

absl::StatusOr<v1::Claim> ClaimService::Mutate(
    const Principal& caller, absl::string_view method,
    const google::protobuf::Message& request, const std::string& name,
    const std::string& request_id,
    const std::function<absl::Status(v1::Claim&, store::ClaimRow&,
                                     store::WriteTransaction&)>& change) {
  RECIP_ASSIGN_OR_RETURN(int64_t id, ParseClaimName("name", name));
  RECIP_RETURN_IF_ERROR(ValidateRequestId("request_id", request_id));
  const int64_t now = Micros(clock_.Now());
  return RunIdempotent<v1::Claim>(
      store_, caller, method, request, request_id, now,
      [&](store::WriteTransaction& tx) -> absl::StatusOr<v1::Claim> {
        auto row = tx.GetClaim(id);
        if (absl::IsNotFound(row.status())) return MissingRecord(caller, name);
        if (!row.ok()) return row.status();
        // An appointee reaches the claim only to do what `change` allows
        // them (an appeal); every other change checks its own caller.
        RECIP_RETURN_IF_ERROR(MayReachAsAppointee(tx, caller,
                                                  row->participant_id,
                                                  row->area_id));
        RECIP_ASSIGN_OR_RETURN(v1::Claim claim, ClaimFromRow(*row));
        RECIP_RETURN_IF_ERROR(change(claim, *row, tx));
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
      [&](v1::Claim& claim, store::ClaimRow& row,
          store::WriteTransaction&) -> absl::Status {
        RECIP_RETURN_IF_ERROR(CheckIsOfficerIn(caller, row.area_id));
        if (row.entered_by == caller.id ||
            (!caller.participant_id.empty() &&
             caller.participant_id == row.participant_id)) {
          return absl::PermissionDeniedError(
              "you entered this claim, so someone else must review it");
        }
        // Whoever amended the claim entered its lines as they stand.
        for (const v1::ClaimVersion& version : claim.earlier_versions()) {
          if (version.replaced_by() == caller.id) {
            return absl::PermissionDeniedError(
                "you amended this claim, so someone else must review it");
          }
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
        // A fair appeal: the officer who refused the line does not decide
        // the appeal against that refusal.
        if (!line.appeal_comment().empty() &&
            line.review().reviewer() == caller.id) {
          return absl::PermissionDeniedError(absl::StrCat(
              "you refused line ", request.line_index() + 1,
              ", so another officer must decide the appeal"));
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
        claim.set_state(policy::ClaimStateFor(claim.decision()));
        claim.mutable_decision()->set_summary(policy::ClaimSummary(claim));
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
  return Mutate(
      caller, "WithdrawClaim", request, request.name(), request.request_id(),
      [&](v1::Claim& claim, store::ClaimRow& row,
          store::WriteTransaction&) -> absl::Status {
        RECIP_RETURN_IF_ERROR(
            CheckMayActFor(caller, row.participant_id, row.area_id));
        if (claim.state() != v1::CLAIM_STATE_SUBMITTED &&
            claim.state() != v1::CLAIM_STATE_NEEDS_REVIEW) {
          return absl::FailedPreconditionError(
              absl::StrCat("only a claim that is not yet approved can be "
                           "withdrawn; this one is ",
                           v1::ClaimState_Name(claim.state())));
        }
        claim.set_state(v1::CLAIM_STATE_WITHDRAWN);
        claim.mutable_decision()->set_summary(policy::ClaimSummary(claim));
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
      [&](v1::Claim& claim, store::ClaimRow& row,
          store::WriteTransaction& tx) -> absl::Status {
        // The participant, an officer for them, or their appointee; the
        // claim's history shows who asked, and for whom.
        RECIP_ASSIGN_OR_RETURN(
            ActingAs acting,
            MayActForParticipant(tx, caller, row.participant_id, row.area_id));
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
        if (line.rule() == policy::kDeclinedRule) {
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
        claim.mutable_decision()->set_summary(policy::ClaimSummary(claim));
        AddEvent(claim, caller.id,
                 absl::StrCat("asked for line ", request.line_index() + 1,
                              " to be looked at again"),
                 now,
                 acting == ActingAs::kAppointee
                     ? ParticipantName(row.participant_id)
                     : "");
        return absl::OkStatus();
      });
}

bool IsReviewEvent(const v1::ClaimEvent& event) {
  return absl::StartsWith(event.action(), kReviewActionPrefix);
}

}  // namespace reciprocity
