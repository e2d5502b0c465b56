// PolicyService.WhatIfPolicy over a real server and SQLite file: a draft
// rule file judged against the claims already made, nothing saved.
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

constexpr char kOver55s[] =
    "serviceAreas/adult-social-care/projects/over-55s-user-voice";
// The car rate from 6 April 2026, as adult-social-care's file has it.
constexpr char kCarRate[] =
    "effective_from: \"2026-04-06\"\n        pence_per_mile: 55";

class WhatIfTest : public t::ProgrammeTest {
 protected:
  std::string RuleFile(const std::string& area = "adult-social-care") {
    std::ifstream in(server_.rules_dir() / (area + ".textproto"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The file in force with the car rate from 6 April 2026 at `pence`.
  std::string DraftWithCarRate(int pence) {
    const std::string live = RuleFile();
    EXPECT_THAT(live, HasSubstr(kCarRate));
    return absl::StrReplaceAll(
        live, {{kCarRate, absl::StrCat("effective_from: \"2026-04-06\"\n"
                                       "        pence_per_mile: ",
                                       pence)}});
  }
  grpc::Status WhatIf(const std::string& who, const std::string& draft,
                      const std::string& from, const std::string& to,
                      v1::WhatIfReport* out, int page_size = 0) {
    v1::WhatIfPolicyRequest request;
    request.set_service_area("serviceAreas/adult-social-care");
    request.set_rule_file_text(draft);
    request.set_rule_file_name("draft.textproto");
    request.set_date_from(from);
    request.set_date_to(to);
    request.set_page_size(page_size);
    return server_.policies().WhatIfPolicy(TestServer::As(who).get(), request,
                                           out);
  }
  v1::WhatIfReport MustWhatIf(const std::string& draft,
                              const std::string& from = "2026-11-01",
                              const std::string& to = "2026-11-30",
                              int page_size = 0) {
    v1::WhatIfReport out;
    EXPECT_THAT(WhatIf(t::kFinance, draft, from, to, &out, page_size), IsOk());
    return out;
  }
  static v1::Claim MileageClaim(const std::string& participant,
                                const std::string& project,
                                const std::string& session,
                                const std::string& date, int tenths) {
    v1::Claim claim;
    claim.set_participant(participant);
    claim.set_project(project);
    if (!session.empty()) claim.set_session(session);
    if (session.empty()) claim.set_session_date(date);
    v1::ClaimLine* line = claim.add_lines();
    line->set_category(v1::EXPENSE_CATEGORY_MILEAGE);
    line->set_vehicle(v1::VEHICLE_TYPE_CAR);
    line->set_distance_tenths_of_mile(tenths);
    return claim;
  }
  // Four claims in November 2026 (claims/1 to claims/4):
  //  1. p-0001 at sessions/1: 12 miles (£6.60) and a bus fare: approved.
  //  2. p-0002 at sessions/1: a bus fare only: approved.
  //  3. p-0001, over-55s, no session recorded: 10 miles (£5.50): approved.
  //  4. p-0002 at sessions/2: 20 miles (£11.00), made before the register
  //     said they came, so it waits for a person (and the register, filled
  //     in later, does not change that in the what-if).
  void MakeClaims() {
    const std::string s1 =
        MustCreateSession(t::kOfficerAsc, t::kLdUserVoice, "2026-11-18");
    const std::string s2 =
        MustCreateSession(t::kOfficerAsc, t::kLdUserVoice, "2026-11-19");
    MustAttend(t::kOfficerAsc, s1, "participants/p-0001");
    MustAttend(t::kOfficerAsc, s1, "participants/p-0002");
    v1::Claim first =
        MileageClaim("participants/p-0001", t::kLdUserVoice, s1, "", 120);
    v1::ClaimLine* bus = first.add_lines();
    bus->set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
    bus->set_amount_pence(320);
    EXPECT_EQ(MustSubmit(t::kParticipant1, first).state(),
              v1::CLAIM_STATE_APPROVED);
    EXPECT_EQ(
        MustSubmit(t::kParticipant2,
                   SessionClaim("participants/p-0002", t::kLdUserVoice, s1,
                                v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 320))
            .state(),
        v1::CLAIM_STATE_APPROVED);
    EXPECT_EQ(MustSubmit(t::kParticipant1,
                         MileageClaim("participants/p-0001", kOver55s, "",
                                      "2026-11-18", 100))
                  .state(),
              v1::CLAIM_STATE_APPROVED);
    EXPECT_EQ(
        MustSubmit(t::kParticipant2, MileageClaim("participants/p-0002",
                                                  t::kLdUserVoice, s2, "", 200))
            .state(),
        v1::CLAIM_STATE_NEEDS_REVIEW);
    // The register is filled in an hour later.
    server_.clock().Set(server_.clock().Now() + absl::Hours(1));
    MustAttend(t::kOfficerAsc, s2, "participants/p-0002");
  }

  // Everything the what-if must leave as it was: every claim row, the audit
  // chain's head and the rule-file versions kept.
  std::string DatabaseFingerprint() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(server_.db_path().c_str(), &db,
                              SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    std::string fingerprint;
    for (const char* sql :
         {"SELECT COUNT(*) || ':' || COALESCE(SUM(state), 0) || ':' || "
          "COALESCE(SUM(allowed_total_pence), 0) || ':' || "
          "COALESCE(MAX(update_time_micros), 0) || ':' || "
          "COALESCE(SUM(length(body)), 0) FROM claims",
          "SELECT COALESCE(MAX(sequence), 0) || ':' || "
          "COALESCE((SELECT hash FROM audit_events ORDER BY sequence DESC "
          "LIMIT 1), '') FROM audit_events",
          "SELECT COUNT(*) FROM policy_versions"}) {
      sqlite3_stmt* q = nullptr;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &q, nullptr), SQLITE_OK) << sql;
      if (sqlite3_step(q) == SQLITE_ROW) {
        absl::StrAppend(
            &fingerprint,
            reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "|");
      }
      sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return fingerprint;
  }

  std::string LiveVersion() {
    v1::ListServiceAreasResponse areas;
    EXPECT_THAT(server_.policies().ListServiceAreas(
                    TestServer::As(t::kOfficerAsc).get(), {}, &areas),
                IsOk());
    for (const auto& area : areas.service_areas()) {
      if (area.name() == "serviceAreas/adult-social-care") {
        return area.policy_version();
      }
    }
    return "";
  }

  const v1::WhatIfBudget* Budget(const v1::WhatIfReport& report,
                                 const std::string& project) {
    for (const auto& b : report.budgets()) {
      if (b.project() == project && b.financial_year_start() == "2026-04-01") {
        return &b;
      }
    }
    ADD_FAILURE() << "no budget row for " << project;
    return nullptr;
  }
};

TEST_F(WhatIfTest, ARaisedCarRateChangesTheMileageLinesByExactPence) {
  MakeClaims();
  const std::string before = DatabaseFingerprint();
  const v1::WhatIfReport report = MustWhatIf(DraftWithCarRate(60));

  EXPECT_EQ(report.policy_version(), LiveVersion());
  EXPECT_NE(report.draft_version(), report.policy_version());
  EXPECT_EQ(report.claims_replayed(), 4);
  EXPECT_EQ(report.claims_changed(), 3);
  EXPECT_EQ(report.lines_changed(), 3);
  // 660 + 320 + 320 + 550 + 1100 under the rules in force; 5p a mile more
  // on 12, 10 and 20 miles under the draft.
  EXPECT_EQ(report.allowed_pence(), 2950);
  EXPECT_EQ(report.draft_allowed_pence(), 2950 + 60 + 50 + 100);
  // Claim 4 waits for a person, so it counts against no budget yet.
  EXPECT_EQ(report.committed_change_pence(), 60 + 50);
  EXPECT_EQ(report.changed_claims_not_listed(), 0);
  ASSERT_THAT(report.changed_claims(), SizeIs(3));

  const v1::WhatIfClaimChange& first = report.changed_claims(0);
  EXPECT_EQ(first.claim(), "claims/1");
  EXPECT_EQ(first.project(), t::kLdUserVoice);
  EXPECT_EQ(first.session_date(), "2026-11-18");
  EXPECT_EQ(first.stored_state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(first.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(first.draft_state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(first.allowed_pence(), 980);
  EXPECT_EQ(first.draft_allowed_pence(), 1040);
  EXPECT_EQ(first.committed_change_pence(), 60);
  ASSERT_THAT(first.lines(), SizeIs(1));  // the bus fare does not change
  const v1::WhatIfLineChange& line = first.lines(0);
  EXPECT_EQ(line.line_index(), 0);
  EXPECT_EQ(line.category(), v1::EXPENSE_CATEGORY_MILEAGE);
  EXPECT_EQ(line.allowed_pence(), 660);
  EXPECT_EQ(line.draft_allowed_pence(), 720);
  EXPECT_EQ(line.outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_EQ(line.draft_outcome(), v1::LINE_OUTCOME_PAID_IN_FULL);
  EXPECT_THAT(line.reason(), HasSubstr("55p"));
  EXPECT_THAT(line.draft_reason(), HasSubstr("60p"));

  EXPECT_EQ(report.changed_claims(1).claim(), "claims/3");
  EXPECT_EQ(report.changed_claims(1).draft_allowed_pence(), 600);
  // Judged on the facts it was made with: nobody had said p-0002 came.
  const v1::WhatIfClaimChange& fourth = report.changed_claims(2);
  EXPECT_EQ(fourth.claim(), "claims/4");
  EXPECT_EQ(fourth.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(fourth.draft_state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(fourth.allowed_pence(), 1100);
  EXPECT_EQ(fourth.draft_allowed_pence(), 1200);
  EXPECT_EQ(fourth.committed_change_pence(), 0);
  ASSERT_THAT(fourth.lines(), SizeIs(1));
  EXPECT_EQ(fourth.lines(0).rule(), "claims.attendance");

  const v1::WhatIfBudget* ld = Budget(report, t::kLdUserVoice);
  ASSERT_NE(ld, nullptr);
  EXPECT_EQ(ld->budget_pence(), 650000);
  EXPECT_EQ(ld->draft_budget_pence(), 650000);
  // Three attendances of two hours earned £15 vouchers each: the budget's
  // money too, and the draft leaves them as they are.
  EXPECT_EQ(ld->vouchers_pence(), 3 * 1500);
  EXPECT_EQ(ld->committed_pence(), 980 + 320 + 3 * 1500);
  EXPECT_EQ(ld->draft_committed_pence(), 980 + 320 + 60 + 3 * 1500);
  EXPECT_EQ(ld->claims_changed(), 2);
  const v1::WhatIfBudget* over55s = Budget(report, kOver55s);
  ASSERT_NE(over55s, nullptr);
  EXPECT_EQ(over55s->vouchers_pence(), 0);
  EXPECT_EQ(over55s->committed_pence(), 550);
  EXPECT_EQ(over55s->draft_committed_pence(), 600);
  EXPECT_EQ(over55s->claims_changed(), 1);

  // Nothing was written: no claim, no audit event, no rule-file version.
  EXPECT_EQ(DatabaseFingerprint(), before);
}

TEST_F(WhatIfTest, ASmallerBudgetSendsLaterClaimsToAPersonAndShowsTheMoney) {
  MakeClaims();
  // £40 for the Learning Disability group this year. When claim 1 (£9.80)
  // was made the register had already earned two £15 vouchers, so it fits
  // (£39.80); claim 2 (£3.20) would then overspend, so a person would
  // check it and it would no longer count against the budget; claim 4
  // waits for a person either way, now for the budget. The third voucher,
  // earned after every claim, counts in the year's total only.
  const std::string live = RuleFile();
  const std::string budget =
      "financial_year_start: \"2026-04-01\" amount_pence: 650000";
  ASSERT_THAT(live, HasSubstr(budget));
  const v1::WhatIfReport report = MustWhatIf(
      absl::StrReplaceAll(live, {{budget,
                                  "financial_year_start: \"2026-04-01\" "
                                  "amount_pence: 4000"}}));
  EXPECT_EQ(report.claims_changed(), 2);
  EXPECT_EQ(report.committed_change_pence(), -320);
  ASSERT_THAT(report.changed_claims(), SizeIs(2));
  const v1::WhatIfClaimChange& second = report.changed_claims(0);
  EXPECT_EQ(second.claim(), "claims/2");
  EXPECT_EQ(second.state(), v1::CLAIM_STATE_APPROVED);
  EXPECT_EQ(second.draft_state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_EQ(second.committed_change_pence(), -320);
  ASSERT_THAT(second.lines(), SizeIs(1));
  EXPECT_EQ(second.lines(0).draft_rule(), "general.budget");
  EXPECT_EQ(report.changed_claims(1).claim(), "claims/4");
  EXPECT_EQ(report.changed_claims(1).committed_change_pence(), 0);
  const v1::WhatIfBudget* ld = Budget(report, t::kLdUserVoice);
  ASSERT_NE(ld, nullptr);
  EXPECT_EQ(ld->budget_pence(), 650000);
  EXPECT_EQ(ld->draft_budget_pence(), 4000);
  EXPECT_EQ(ld->vouchers_pence(), 4500);
  EXPECT_EQ(ld->committed_pence(), 1300 + 4500);
  EXPECT_EQ(ld->draft_committed_pence(), 980 + 4500);
}

TEST_F(WhatIfTest, TheRulesInForceAsADraftChangeNothing) {
  MakeClaims();
  const v1::WhatIfReport report = MustWhatIf(RuleFile());
  EXPECT_EQ(report.draft_version(), report.policy_version());
  EXPECT_EQ(report.claims_replayed(), 4);
  EXPECT_EQ(report.claims_changed(), 0);
  EXPECT_EQ(report.lines_changed(), 0);
  EXPECT_EQ(report.draft_allowed_pence(), report.allowed_pence());
  EXPECT_EQ(report.committed_change_pence(), 0);
  EXPECT_THAT(report.changed_claims(), SizeIs(0));
  const v1::WhatIfBudget* ld = Budget(report, t::kLdUserVoice);
  ASSERT_NE(ld, nullptr);
  EXPECT_EQ(ld->draft_committed_pence(), ld->committed_pence());
}

TEST_F(WhatIfTest, OnlyTheRangeIsReplayedAndTheListIsCappedNotTheTotals) {
  MakeClaims();
  // 19 November: claim 4 only.
  v1::WhatIfReport one_day =
      MustWhatIf(DraftWithCarRate(60), "2026-11-19", "2026-11-19");
  EXPECT_EQ(one_day.claims_replayed(), 1);
  EXPECT_EQ(one_day.claims_changed(), 1);

  const v1::WhatIfReport capped =
      MustWhatIf(DraftWithCarRate(60), "2026-11-01", "2026-11-30", 1);
  EXPECT_THAT(capped.changed_claims(), SizeIs(1));
  EXPECT_EQ(capped.changed_claims_not_listed(), 2);
  EXPECT_EQ(capped.claims_changed(), 3);
  EXPECT_EQ(capped.committed_change_pence(), 110);
}

TEST_F(WhatIfTest, ABadDraftIsRefusedWithItsPositionAndTheRulesStay) {
  MakeClaims();
  const std::string version = LiveVersion();
  const std::string before = DatabaseFingerprint();
  v1::WhatIfReport out;
  const grpc::Status status =
      WhatIf(t::kOfficerAsc, RuleFile() + "\nthis is not a field\n",
             "2026-11-01", "2026-11-30", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              MatchesRegex("rule_file_text: draft\\.textproto:[0-9]+:[0-9]+: "
                           ".+"));
  // A rate the validator refuses, at its line and column.
  const grpc::Status too_dear = WhatIf(t::kOfficerAsc, DraftWithCarRate(900),
                                       "2026-11-01", "2026-11-30", &out);
  EXPECT_EQ(too_dear.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(too_dear.error_message(),
              MatchesRegex("rule_file_text: draft\\.textproto:[0-9]+:[0-9]+: "
                           ".*pence_per_mile.*"));
  EXPECT_EQ(LiveVersion(), version);
  EXPECT_EQ(DatabaseFingerprint(), before);
  // New claims are still judged by the rules in force.
  v1::Claim claim = MustSubmit(
      t::kParticipant1,
      MileageClaim("participants/p-0001", kOver55s, "", "2026-11-19", 10));
  EXPECT_EQ(claim.decision().allowed_total_pence(), 55);
}

TEST_F(WhatIfTest, DatesAreCheckedNamingTheField) {
  const std::string draft = RuleFile();
  v1::WhatIfReport out;
  EXPECT_THAT(WhatIf(t::kFinance, draft, "2026-11-30", "2026-11-01", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("date_to: 2026-11-01 is before date_from")));
  EXPECT_THAT(WhatIf(t::kFinance, draft, "2026-13-01", "2026-11-01", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("date_from: '2026-13-01' is not a date")));
  EXPECT_THAT(WhatIf(t::kFinance, draft, "2026-11-01", "30/11/2026", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("date_to: '30/11/2026' is not a date")));
  EXPECT_THAT(WhatIf(t::kFinance, draft, "", "2026-11-01", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("date_from: required")));
  EXPECT_THAT(WhatIf(t::kFinance, draft, "2020-01-01", "2026-11-01", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("date_to: at most three years")));
  EXPECT_THAT(WhatIf(t::kFinance, "", "2026-11-01", "2026-11-30", &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rule_file_text: required")));
}

TEST_F(WhatIfTest, OfficersOfOtherAreasAndAuditorsMayNotTryADraft) {
  MakeClaims();
  v1::WhatIfReport out;
  for (const char* who : {t::kOfficerCf, t::kAuditor, t::kParticipant1}) {
    EXPECT_THAT(WhatIf(who, RuleFile(), "2026-11-01", "2026-11-30", &out),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << who;
    EXPECT_EQ(out.ByteSizeLong(), 0u) << who;
  }
  for (const char* who : {t::kOfficerAsc, t::kFinance, t::kAdministrator}) {
    EXPECT_THAT(WhatIf(who, RuleFile(), "2026-11-01", "2026-11-30", &out),
                IsOk())
        << who;
  }
}

}  // namespace
}  // namespace reciprocity
