// What recip prints for people: the statement of a participant's claims and
// vouchers, and the preview's verdict, in every claim state.
#include "client/statement.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/output.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/explain.h"

namespace reciprocity::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kProject[] =
    "serviceAreas/adult-social-care/projects/ld-user-voice";

v1::Participant Sam() {
  v1::Participant participant;
  participant.set_name("participants/p-0001");
  participant.set_display_name("Sam");
  return participant;
}

// Claim `id` in `state`: one bus fare of `pence`, allowed in full unless the
// state says otherwise.
v1::Claim FareClaim(int id, v1::ClaimState state, int64_t pence = 320) {
  v1::Claim claim;
  claim.set_name(absl::StrCat("claims/", id));
  claim.set_project(kProject);
  claim.set_session_date("2026-11-18");
  claim.set_state(state);
  claim.set_claimed_total_pence(pence);
  v1::ClaimLine* line = claim.add_lines();
  line->set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
  line->set_amount_pence(pence);
  v1::LineDecision* decision = claim.mutable_decision()->add_lines();
  const bool refused =
      state == v1::CLAIM_STATE_REJECTED || state == v1::CLAIM_STATE_DECLINED;
  decision->set_outcome(refused ? v1::LINE_OUTCOME_REFUSED
                                : v1::LINE_OUTCOME_PAID_IN_FULL);
  decision->set_allowed_pence(refused ? 0 : pence);
  decision->set_reason("We pay bus and train fares.");
  claim.mutable_decision()->set_allowed_total_pence(refused ? 0 : pence);
  return claim;
}

// A £12.50 taxi waiting for a person, in `state`.
v1::Claim WaitingTaxi(int id, v1::ClaimState state) {
  v1::Claim claim = FareClaim(id, state, 1250);
  claim.mutable_lines(0)->set_category(v1::EXPENSE_CATEGORY_TAXI);
  v1::LineDecision* decision = claim.mutable_decision()->mutable_lines(0);
  decision->set_outcome(v1::LINE_OUTCOME_NEEDS_REVIEW);
  decision->set_reason("A person will check it before we pay.");
  return claim;
}

std::string Statement(
    const std::vector<v1::Claim>& claims,
    const std::vector<v1::VoucherEntitlement>& vouchers = {}) {
  std::ostringstream out;
  PrintStatement(out, Sam(), claims, vouchers,
                 {{kProject, "Learning Disability user voice group"}});
  return out.str();
}

TEST(StatementTest, EveryStateHasItsOwnPlainSentence) {
  const std::pair<v1::ClaimState, const char*> cases[] = {
      {v1::CLAIM_STATE_SUBMITTED, "We have this claim and will check it soon."},
      {v1::CLAIM_STATE_NEEDS_REVIEW, "We are still checking this claim."},
      {v1::CLAIM_STATE_APPROVED, "We will pay this claim."},
      {v1::CLAIM_STATE_REJECTED, "We cannot pay this claim."},
      {v1::CLAIM_STATE_WITHDRAWN,
       "This claim was withdrawn, so we will not pay it."},
      {v1::CLAIM_STATE_BATCHED, "We will pay this claim soon."},
      {v1::CLAIM_STATE_PAID, "We have paid this claim."},
      {v1::CLAIM_STATE_DECLINED,
       "You chose not to be paid, so we will not pay this claim. We keep it "
       "as a record."},
  };
  for (const auto& [state, sentence] : cases) {
    SCOPED_TRACE(v1::ClaimState_Name(state));
    EXPECT_EQ(ClaimStateSentence(state), sentence);
    EXPECT_GT(policy::FleschReadingEase(sentence), 95.0);
    const std::string statement = Statement({FareClaim(1, state)});
    EXPECT_THAT(statement, HasSubstr(sentence));
    EXPECT_THAT(statement, Not(HasSubstr("It is ")));
  }
  // Every state the API has is covered.
  for (int state = v1::ClaimState_MIN + 1; state <= v1::ClaimState_MAX;
       ++state) {
    if (!v1::ClaimState_IsValid(state)) continue;
    EXPECT_FALSE(ClaimStateSentence(static_cast<v1::ClaimState>(state)).empty())
        << state;
  }
}

TEST(StatementTest, MoneyFollowsTheState) {
  EXPECT_THAT(Statement({FareClaim(1, v1::CLAIM_STATE_APPROVED)}),
              HasSubstr("For this claim we allowed £3.20."));
  EXPECT_THAT(Statement({WaitingTaxi(1, v1::CLAIM_STATE_NEEDS_REVIEW)}),
              HasSubstr("We can pay up to £12.50 once it is checked."));
  EXPECT_THAT(Statement({FareClaim(1, v1::CLAIM_STATE_REJECTED)}),
              Not(HasSubstr("For this claim")));
}

TEST(StatementTest, AWithdrawnClaimsLinesAreNotStillBeingChecked) {
  const std::string statement =
      Statement({WaitingTaxi(1, v1::CLAIM_STATE_WITHDRAWN)});
  EXPECT_THAT(statement, Not(HasSubstr("still checking")));
  EXPECT_THAT(statement, Not(HasSubstr("A person will check")));
  EXPECT_THAT(statement,
              HasSubstr("Taxi: you claimed £12.50. The claim was withdrawn."));
  // A taxi waiting in a live claim still is.
  EXPECT_THAT(Statement({WaitingTaxi(1, v1::CLAIM_STATE_NEEDS_REVIEW)}),
              HasSubstr("Taxi: you claimed £12.50. We are still checking "
                        "this."));
}

TEST(StatementTest, TotalClaimedLeavesOutClaimsThatWillNotBePaid) {
  const std::string statement = Statement({
      FareClaim(1, v1::CLAIM_STATE_APPROVED),
      FareClaim(2, v1::CLAIM_STATE_PAID, 450),
      FareClaim(3, v1::CLAIM_STATE_REJECTED, 320),
      WaitingTaxi(4, v1::CLAIM_STATE_WITHDRAWN),
      FareClaim(5, v1::CLAIM_STATE_DECLINED, 200),
  });
  EXPECT_THAT(statement,
              HasSubstr("You made 5 claims. 1 was withdrawn. We could not pay "
                        "1. You chose not to be paid for 1. Leaving those "
                        "out, you claimed £7.70 in all."));
  EXPECT_THAT(statement, HasSubstr("In total we allowed £7.70."));
  EXPECT_THAT(statement, HasSubstr("Of that, we have paid £4.50."));

  // Nothing left out: no need to say so.
  EXPECT_THAT(Statement({FareClaim(1, v1::CLAIM_STATE_APPROVED)}),
              HasSubstr("You made 1 claim. You claimed £3.20 in all."));
}

v1::VoucherEntitlement Voucher(v1::VoucherEntitlementState state, int64_t pence,
                               const std::string& date) {
  v1::VoucherEntitlement voucher;
  voucher.set_project(kProject);
  voucher.set_session_date(date);
  voucher.set_value_pence(pence);
  voucher.set_provider("Tesco");
  voucher.set_state(state);
  voucher.set_reason("You came for 2 hours.");
  return voucher;
}

TEST(StatementTest, VouchersEarnedAreListedWithTheirTotal) {
  const std::string statement = Statement(
      {FareClaim(1, v1::CLAIM_STATE_APPROVED)},
      {Voucher(v1::VOUCHER_ENTITLEMENT_STATE_ISSUED, 1000, "2026-11-04"),
       Voucher(v1::VOUCHER_ENTITLEMENT_STATE_EARNED, 1000, "2026-11-18"),
       Voucher(v1::VOUCHER_ENTITLEMENT_STATE_NOT_EARNED, 0, "2026-11-11")});
  EXPECT_THAT(statement, HasSubstr("Vouchers"));
  EXPECT_THAT(statement,
              HasSubstr("4 November 2026, Learning Disability user voice "
                        "group: a £10.00 Tesco voucher. We gave it to you."));
  EXPECT_THAT(statement,
              HasSubstr("18 November 2026, Learning Disability user voice "
                        "group: a £10.00 Tesco voucher. We have not given it "
                        "to you yet."));
  EXPECT_THAT(statement, Not(HasSubstr("11 November 2026")));
  EXPECT_THAT(statement,
              HasSubstr("You earned vouchers worth £20.00. We have given you "
                        "£10.00 of them."));

  // Vouchers and no claims.
  const std::string vouchers_only = Statement(
      {}, {Voucher(v1::VOUCHER_ENTITLEMENT_STATE_EARNED, 1000, "2026-11-18")});
  EXPECT_THAT(vouchers_only, HasSubstr("There are no claims yet."));
  EXPECT_THAT(vouchers_only, HasSubstr("a £10.00 Tesco voucher"));
}

TEST(StatementTest, IsBuiltOnceAsSentencesForTextAndWeb) {
  const auto statement = BuildStatement(
      Sam(),
      {FareClaim(7, v1::CLAIM_STATE_APPROVED),
       WaitingTaxi(8, v1::CLAIM_STATE_NEEDS_REVIEW)},
      {Voucher(v1::VOUCHER_ENTITLEMENT_STATE_EARNED, 1000, "2026-11-18")},
      {{kProject, "Learning Disability user voice group"}});
  EXPECT_EQ(statement.for_whom, "Sam (participants/p-0001)");
  ASSERT_EQ(statement.claims.size(), 2u);
  EXPECT_EQ(statement.claims[0].id, "7");
  EXPECT_EQ(statement.claims[0].heading,
            "Claim 7, for the Learning Disability user voice group session "
            "on 18 November 2026.");
  ASSERT_EQ(statement.claims[0].lines.size(), 1u);
  EXPECT_EQ(statement.claims[0].lines[0].what, "Bus or train fare");
  EXPECT_EQ(statement.claims[0].lines[0].claimed, "£3.20");
  EXPECT_EQ(statement.claims[0].lines[0].allowed, "£3.20");
  EXPECT_EQ(statement.claims[0].lines[0].reason, "We pay bus and train fares.");
  // Nothing allowed yet: the status says why.
  EXPECT_EQ(statement.claims[1].lines[0].allowed, "");
  EXPECT_EQ(statement.claims[1].lines[0].status, "We are still checking this.");
  ASSERT_EQ(statement.vouchers.size(), 1u);
  EXPECT_THAT(statement.voucher_total, HasSubstr("£10.00"));
  ASSERT_EQ(statement.totals.size(), 4u);
  // The text is these same sentences.
  std::ostringstream text;
  PrintStatement(text, statement);
  for (const std::string& total : statement.totals) {
    EXPECT_THAT(text.str(), HasSubstr(total));
  }
  EXPECT_THAT(text.str(), HasSubstr(statement.claims[0].heading));
}

TEST(ProjectNamesTest, OneCallPerAreaAndIdsWhenUnknown) {
  std::vector<std::string> asked;
  const ProjectNames names = LookUpProjectNames(
      {kProject, kProject, "serviceAreas/gone/projects/old"},
      [&](const v1::ListProjectsRequest& request,
          v1::ListProjectsResponse* response) {
        asked.push_back(request.parent());
        if (request.parent() != "serviceAreas/adult-social-care") {
          return grpc::Status(grpc::StatusCode::NOT_FOUND, "");
        }
        auto* project = response->add_projects();
        project->set_name(kProject);
        project->set_display_name("Learning Disability user voice group");
        return grpc::Status::OK;
      });
  EXPECT_EQ(asked.size(), 2u);
  EXPECT_EQ(ProjectLabel(names, kProject),
            "Learning Disability user voice group");
  EXPECT_EQ(ProjectLabel(names, "serviceAreas/gone/projects/old"), "old");
}

TEST(PreviewVerdictTest, SaysWhatWouldHappenInPlainWords) {
  EXPECT_EQ(PreviewVerdict(v1::CLAIM_STATE_APPROVED), "would be approved");
  EXPECT_EQ(PreviewVerdict(v1::CLAIM_STATE_NEEDS_REVIEW),
            "a person would check it before we pay");
  EXPECT_EQ(PreviewVerdict(v1::CLAIM_STATE_REJECTED),
            "we could not pay any of it");
  EXPECT_EQ(PreviewVerdict(v1::CLAIM_STATE_DECLINED),
            "we would keep it as a record and not pay it, as you chose not to "
            "be paid");
  for (int state = v1::ClaimState_MIN + 1; state <= v1::ClaimState_MAX;
       ++state) {
    if (!v1::ClaimState_IsValid(state)) continue;
    const std::string verdict =
        PreviewVerdict(static_cast<v1::ClaimState>(state));
    EXPECT_THAT(verdict, Not(HasSubstr("would be needs")));
    EXPECT_THAT(verdict, Not(HasSubstr("would be not")));
  }
}

}  // namespace
}  // namespace reciprocity::client
