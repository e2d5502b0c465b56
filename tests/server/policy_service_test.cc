// PolicyService over a real server: areas, projects, explain, reload.
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

class PolicyServiceTest : public ::testing::Test {
 protected:
  v1::ReloadPoliciesResponse MustReload() {
    v1::ReloadPoliciesRequest request;
    request.set_request_id("reload");
    v1::ReloadPoliciesResponse response;
    EXPECT_THAT(
        server_.policies().ReloadPolicies(
            TestServer::As(t::kAdministrator).get(), request, &response),
        IsOk());
    return response;
  }
  // Rule-file versions kept in the database for `area`.
  int CountVersions(const std::string& area) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(server_.db_path().c_str(), &db,
                              SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT COUNT(*) FROM policy_versions "
                                 "WHERE area_id = ? AND length(content) > 0",
                                 -1, &q, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(q, 1, area.c_str(), -1, SQLITE_TRANSIENT);
    int count = -1;
    if (sqlite3_step(q) == SQLITE_ROW) count = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return count;
  }
  TestServer server_;
};

TEST_F(PolicyServiceTest, ListsTheShippedServiceAreasAndProjects) {
  v1::ListServiceAreasResponse areas;
  ASSERT_THAT(server_.policies().ListServiceAreas(
                  TestServer::As(t::kParticipant1).get(), {}, &areas),
              IsOk());
  ASSERT_THAT(areas.service_areas(), SizeIs(3));
  EXPECT_EQ(areas.service_areas(0).name(), "serviceAreas/adult-social-care");

  v1::ListProjectsRequest request;
  request.set_parent("serviceAreas/adult-social-care");
  v1::ListProjectsResponse projects;
  ASSERT_THAT(server_.policies().ListProjects(
                  TestServer::As(t::kOfficerAsc).get(), request, &projects),
              IsOk());
  std::vector<std::string> names;
  for (const auto& p : projects.projects()) names.push_back(p.name());
  EXPECT_THAT(
      names, Contains("serviceAreas/adult-social-care/projects/ld-user-voice"));

  request.set_parent("serviceAreas/nowhere");
  EXPECT_THAT(server_.policies().ListProjects(
                  TestServer::As(t::kOfficerAsc).get(), request, &projects),
              StatusIs(absl::StatusCode::kNotFound));
  request.set_parent("areas/Bad Name");
  EXPECT_THAT(
      server_.policies().ListProjects(TestServer::As(t::kOfficerAsc).get(),
                                      request, &projects),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parent")));
}

TEST_F(PolicyServiceTest, ExplainGivesAPlainEnglishLeaflet) {
  v1::ExplainPolicyRequest request;
  request.set_service_area("serviceAreas/adult-social-care");
  v1::ExplainPolicyResponse response;
  ASSERT_THAT(server_.policies().ExplainPolicy(
                  TestServer::As(t::kParticipant1).get(), request, &response),
              IsOk());
  EXPECT_THAT(response.text(), HasSubstr("55p"));
  EXPECT_THAT(response.policy_version(), HasSubstr("adult-social-care@"));
}

TEST_F(PolicyServiceTest, OnlyAdministratorsReload) {
  v1::ReloadPoliciesRequest request;
  request.set_request_id("r");
  v1::ReloadPoliciesResponse response;
  EXPECT_THAT(server_.policies().ReloadPolicies(
                  TestServer::As(t::kOfficerAsc).get(), request, &response),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(PolicyServiceTest, ABrokenRuleFileIsRefusedAndTheOldRulesStay) {
  const auto file = server_.rules_dir() / "adult-social-care.textproto";
  v1::ListServiceAreasResponse before;
  ASSERT_THAT(server_.policies().ListServiceAreas(
                  TestServer::As(t::kAuditor).get(), {}, &before),
              IsOk());
  {
    std::ofstream out(file, std::ios::app);
    out << "\nthis is not a field\n";
  }
  v1::ReloadPoliciesResponse response = MustReload();
  ASSERT_THAT(response.errors(), SizeIs(1));
  EXPECT_THAT(response.errors(0), HasSubstr("adult-social-care.textproto:"));

  v1::ListServiceAreasResponse after;
  ASSERT_THAT(server_.policies().ListServiceAreas(
                  TestServer::As(t::kAuditor).get(), {}, &after),
              IsOk());
  EXPECT_EQ(after.service_areas(0).policy_version(),
            before.service_areas(0).policy_version());
  // Claims are still judged by the old rules.
  v1::SubmitClaimRequest submit;
  *submit.mutable_claim() = t::BusFareClaim();
  submit.set_request_id("after-bad-reload");
  v1::Claim claim;
  ASSERT_THAT(server_.claims().SubmitClaim(
                  TestServer::As(t::kParticipant1).get(), submit, &claim),
              IsOk());
  EXPECT_EQ(claim.decision().policy_version(),
            before.service_areas(0).policy_version());
}

// Found in use: such files loaded, and then every client's ListServiceAreas
// and ExplainPolicy failed.
TEST_F(PolicyServiceTest, RuleFileTextThatClientsCannotReadIsRefused) {
  const auto file = server_.rules_dir() / "adult-social-care.textproto";
  std::string original;
  {
    std::ifstream in(file, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string name = "display_name: \"Adult Social Care\"";
  ASSERT_NE(original.find(name), std::string::npos);
  v1::ListServiceAreasResponse before;
  ASSERT_THAT(server_.policies().ListServiceAreas(
                  TestServer::As(t::kAuditor).get(), {}, &before),
              IsOk());
  const std::pair<std::string, std::string> cases[] = {
      {"display_name: \"Adult \xff Care\"", ".textproto:8:22: "},
      {"display_name: \"Adult \\377 Care\"", ".textproto:8:1: "},
      {"display_name: \"" + std::string(100'000, 'A') + "\"",
       ".textproto:8:1: "},
      // Bigger than a client accepts in one response.
      {"display_name: \"" + std::string(5'000'000, 'A') + "\"",
       ".textproto:1:1: "},
  };
  for (const auto& [bad, where] : cases) {
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << absl::StrReplaceAll(original, {{name, bad}});
    }
    v1::ReloadPoliciesResponse response = MustReload();
    ASSERT_THAT(response.errors(), SizeIs(1)) << where;
    EXPECT_THAT(response.errors(0), HasSubstr("adult-social-care" + where));
    EXPECT_THAT(response.loaded_versions(), IsEmpty());

    v1::ListServiceAreasResponse after;
    ASSERT_THAT(server_.policies().ListServiceAreas(
                    TestServer::As(t::kParticipant1).get(), {}, &after),
                IsOk());
    EXPECT_EQ(after.service_areas(0).policy_version(),
              before.service_areas(0).policy_version());
    EXPECT_EQ(after.service_areas(0).display_name(), "Adult Social Care");
    v1::ExplainPolicyRequest explain;
    explain.set_service_area("serviceAreas/adult-social-care");
    v1::ExplainPolicyResponse leaflet;
    EXPECT_THAT(server_.policies().ExplainPolicy(
                    TestServer::As(t::kParticipant1).get(), explain, &leaflet),
                IsOk());
  }
}

TEST_F(PolicyServiceTest, AChangedRuleFileTakesEffectOnReload) {
  const auto file = server_.rules_dir() / "adult-social-care.textproto";
  {
    std::ofstream out(file, std::ios::app);
    out << "\n# a harmless change\n";
  }
  v1::ReloadPoliciesResponse response = MustReload();
  EXPECT_THAT(response.errors(), IsEmpty());
  ASSERT_THAT(response.loaded_versions(), SizeIs(1));
  EXPECT_THAT(response.loaded_versions(0), HasSubstr("adult-social-care@"));
  EXPECT_THAT(response.unchanged_versions(), SizeIs(2));
  // Both versions are kept, content and all, so old decisions stay
  // explainable.
  EXPECT_EQ(CountVersions("adult-social-care"), 2);
}

TEST_F(PolicyServiceTest, AClaimThatWouldOverspendTheBudgetGoesToReview) {
  // The LD user voice group gets £5 for 2026-27: one £3.20 fare fits, the
  // second would take the project past it.
  const auto file = server_.rules_dir() / "adult-social-care.textproto";
  std::stringstream text;
  text << std::ifstream(file).rdbuf();
  const std::string small = absl::StrReplaceAll(
      text.str(), {{"budgets { financial_year_start: \"2026-04-01\" "
                    "amount_pence: 650000 }",
                    "budgets { financial_year_start: \"2026-04-01\" "
                    "amount_pence: 500 }"}});
  ASSERT_NE(small, text.str()) << "the budget line moved";
  std::ofstream(file) << small;
  ASSERT_THAT(MustReload().errors(), IsEmpty());

  auto submit = [&](const std::string& participant, const std::string& id) {
    v1::SubmitClaimRequest request;
    *request.mutable_claim() = t::BusFareClaim(participant);
    request.set_request_id(id);
    v1::Claim claim;
    EXPECT_THAT(server_.claims().SubmitClaim(
                    TestServer::As(t::kOfficerAsc).get(), request, &claim),
                IsOk());
    return claim;
  };
  EXPECT_EQ(submit("participants/p-0001", "within").state(),
            v1::CLAIM_STATE_APPROVED);
  v1::Claim over = submit("participants/p-0002", "over");
  EXPECT_EQ(over.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  EXPECT_THAT(over.decision().summary(), HasSubstr("almost used its money"));
}

}  // namespace
}  // namespace reciprocity
