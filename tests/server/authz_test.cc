// Every RPC the API declares, against every role: the access table must name
// each RPC, and a role it does not list is refused with PERMISSION_DENIED
// before anything else happens.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/audit.grpc.pb.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "server/domain/access.h"
#include "tests/server/programme_fixture.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::TestServer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
namespace t = ::reciprocity::testing;

struct RoleCase {
  v1::Role role;
  const char* principal;
};

constexpr RoleCase kRoles[] = {
    {v1::ROLE_PARTICIPANT, t::kParticipant1},
    {v1::ROLE_OFFICER, t::kOfficerAsc},
    {v1::ROLE_FINANCE, t::kFinance},
    {v1::ROLE_ADMINISTRATOR, t::kAdministrator},
    {v1::ROLE_AUDITOR, t::kAuditor},
};

// Full method names of every RPC in every reciprocity.v1 service, read from
// the descriptors of each .proto file in proto/reciprocity/v1.
std::vector<std::string> AllMethods() {
  std::vector<std::string> methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& entry :
       std::filesystem::directory_iterator(RECIP_PROTO_DIR)) {
    if (entry.path().extension() != ".proto") continue;
    const std::string file =
        "reciprocity/v1/" + entry.path().filename().string();
    const auto* descriptor = pool->FindFileByName(file);
    EXPECT_NE(descriptor, nullptr) << file << " is not linked into the test";
    if (descriptor == nullptr) continue;
    for (int s = 0; s < descriptor->service_count(); ++s) {
      const auto* service = descriptor->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back("/" + service->full_name() + "/" +
                          service->method(m)->name());
      }
    }
  }
  return methods;
}

grpc::Status CallWithEmptyRequest(TestServer& server, const std::string& method,
                                  const std::string& principal) {
  return t::CallWithBytes(server.channel(), method, "", principal);
}

TEST(AuthorizationTest, EveryRpcIsInTheAccessTable) {
  std::vector<std::string> methods = AllMethods();
  ASSERT_GT(methods.size(), 5u);
  for (const auto& method : methods) {
    EXPECT_FALSE(RolesFor(method).empty())
        << method
        << " is missing from the RPC x role table in server/access.cc";
  }
}

TEST(AuthorizationTest, RolesNotInTheTableAreRefusedForEveryRpc) {
  TestServer server;
  for (const auto& method : AllMethods()) {
    const std::vector<v1::Role> allowed = RolesFor(method);
    for (const RoleCase& role : kRoles) {
      grpc::Status status =
          CallWithEmptyRequest(server, method, role.principal);
      const bool in_table =
          std::find(allowed.begin(), allowed.end(), role.role) != allowed.end();
      if (!in_table) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << method << " as " << v1::Role_Name(role.role) << ": "
            << status.error_message();
      } else {
        // Allowed roles get past the table: an empty request is then judged
        // on its content, never refused for the role itself.
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
            << method;
        EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL)
            << method << " as " << v1::Role_Name(role.role) << ": "
            << status.error_message();
      }
      EXPECT_EQ(CallWithEmptyRequest(server, method, "").error_code(),
                grpc::StatusCode::UNAUTHENTICATED)
          << method;
    }
  }
}

// Own record against someone else's. Records: claims/1 (p-0001) and
// claims/2 (p-0002) in adult social care, claims/3 (p-0001) in children and
// families; sessions/1 in adult social care, sessions/2 in children and
// families; voucherEntitlements/1 (p-0001 at sessions/1) and
// voucherEntitlements/2 (p-0002 at sessions/2). Ids 999 exist nowhere.
class OwnAndOtherTest : public t::ProgrammeTest {
 protected:
  void SetUp() override {
    MustSubmit(t::kParticipant1, t::BusFareClaim("participants/p-0001"));
    MustSubmit(t::kParticipant2, t::BusFareClaim("participants/p-0002"));
    v1::Claim cf = t::BusFareClaim("participants/p-0001");
    cf.set_project(t::kParentChampions);
    MustSubmit(t::kOfficerCf, cf);
    const std::string asc = MustCreateSession(t::kOfficerAsc, t::kLdUserVoice);
    const std::string cf_session =
        MustCreateSession(t::kOfficerCf, t::kParentChampions);
    ASSERT_EQ(asc, "sessions/1");
    ASSERT_EQ(cf_session, "sessions/2");
    MustAttend(t::kOfficerAsc, asc, "participants/p-0001");
    MustAttend(t::kOfficerCf, cf_session, "participants/p-0002");
    // agreements/1: a standing agreement in adult social care.
    v1::CreateAgreementRequest standing;
    standing.mutable_agreement()->set_participant("participants/p-0001");
    standing.mutable_agreement()->set_project(t::kLdUserVoice);
    standing.mutable_agreement()->set_date_from("2026-11-20");
    standing.mutable_agreement()->set_date_to("2026-12-31");
    standing.mutable_agreement()->set_category(v1::EXPENSE_CATEGORY_TAXI);
    standing.set_request_id("standing-1");
    v1::Agreement agreement;
    ASSERT_THAT(server_.programme().CreateAgreement(
                    TestServer::As(t::kOfficerAsc).get(), standing, &agreement),
                IsOk());
    ASSERT_EQ(agreement.name(), "agreements/1");
  }
};

enum class Expect { kAllowed, kDenied };

struct OwnOtherCase {
  const char* rpc;
  const char* principal;
  const char* record;
  Expect expect;
};

// The allowed cases prove the denials are about whose record it is: the same
// call on the caller's own record gets past authorization (it may still fail
// for other reasons, e.g. FAILED_PRECONDITION for a claim already approved).
constexpr OwnOtherCase kOwnOther[] = {
    {"GetClaim", t::kParticipant1, "claims/1", Expect::kAllowed},
    {"GetClaim", t::kParticipant1, "claims/2", Expect::kDenied},
    {"GetClaim", t::kParticipant1, "claims/999", Expect::kDenied},
    {"GetClaim", t::kParticipant2, "claims/2", Expect::kAllowed},
    {"GetClaim", t::kParticipant2, "claims/1", Expect::kDenied},
    {"GetClaim", t::kOfficerAsc, "claims/1", Expect::kAllowed},
    {"GetClaim", t::kOfficerAsc, "claims/3", Expect::kDenied},
    {"GetClaim", t::kOfficerAsc, "claims/999", Expect::kDenied},
    {"GetClaim", t::kOfficerCf, "claims/3", Expect::kAllowed},
    {"GetClaim", t::kOfficerCf, "claims/1", Expect::kDenied},
    {"WithdrawClaim", t::kParticipant1, "claims/1", Expect::kAllowed},
    {"WithdrawClaim", t::kParticipant1, "claims/2", Expect::kDenied},
    {"WithdrawClaim", t::kParticipant1, "claims/999", Expect::kDenied},
    {"WithdrawClaim", t::kOfficerCf, "claims/1", Expect::kDenied},
    {"WithdrawClaim", t::kOfficerCf, "claims/3", Expect::kAllowed},
    {"AppealClaimLine", t::kParticipant1, "claims/1", Expect::kAllowed},
    {"AppealClaimLine", t::kParticipant2, "claims/1", Expect::kDenied},
    {"AppealClaimLine", t::kParticipant2, "claims/999", Expect::kDenied},
    {"AppealClaimLine", t::kOfficerAsc, "claims/1", Expect::kAllowed},
    {"AppealClaimLine", t::kOfficerCf, "claims/1", Expect::kDenied},
    // Nobody named carer-1 an appointee here.
    {"AppealClaimLine", t::kCarer, "claims/1", Expect::kDenied},
    {"AppealClaimLine", t::kCarer, "claims/999", Expect::kDenied},
    {"EndAgreement", t::kOfficerAsc, "agreements/1", Expect::kAllowed},
    {"EndAgreement", t::kOfficerCf, "agreements/1", Expect::kDenied},
    {"EndAgreement", t::kOfficerCf, "agreements/999", Expect::kDenied},
    {"ReviewClaimLine", t::kOfficerAsc, "claims/2", Expect::kAllowed},
    {"ReviewClaimLine", t::kOfficerCf, "claims/2", Expect::kDenied},
    {"ReviewClaimLine", t::kOfficerCf, "claims/999", Expect::kDenied},
    {"GetParticipant", t::kParticipant1, "participants/p-0001",
     Expect::kAllowed},
    {"GetParticipant", t::kParticipant1, "participants/p-0002",
     Expect::kDenied},
    {"GetParticipant", t::kParticipant1, "participants/p-9999",
     Expect::kDenied},
    {"ExportParticipantData", t::kParticipant1, "participants/p-0001",
     Expect::kAllowed},
    {"ExportParticipantData", t::kParticipant1, "participants/p-0002",
     Expect::kDenied},
    {"ExportParticipantData", t::kParticipant2, "participants/p-0001",
     Expect::kDenied},
    {"ExportParticipantData", t::kParticipant2, "participants/p-9999",
     Expect::kDenied},
    {"ListClaims", t::kParticipant1, "participants/p-0001", Expect::kAllowed},
    {"ListClaims", t::kParticipant1, "participants/p-0002", Expect::kDenied},
    {"ListVoucherEntitlements", t::kParticipant1, "participants/p-0001",
     Expect::kAllowed},
    {"ListVoucherEntitlements", t::kParticipant1, "participants/p-0002",
     Expect::kDenied},
    {"ListAgreements", t::kParticipant2, "participants/p-0002",
     Expect::kAllowed},
    {"ListAgreements", t::kParticipant2, "participants/p-0001",
     Expect::kDenied},
    {"SubmitClaim", t::kParticipant1, "participants/p-0001", Expect::kAllowed},
    {"SubmitClaim", t::kParticipant1, "participants/p-0002", Expect::kDenied},
    {"IssueVoucher", t::kOfficerAsc, "voucherEntitlements/1", Expect::kAllowed},
    {"IssueVoucher", t::kOfficerAsc, "voucherEntitlements/2", Expect::kDenied},
    {"IssueVoucher", t::kOfficerCf, "voucherEntitlements/1", Expect::kDenied},
    {"RecordAttendance", t::kOfficerAsc, "sessions/1", Expect::kAllowed},
    {"RecordAttendance", t::kOfficerCf, "sessions/1", Expect::kDenied},
    {"CreateAgreement", t::kOfficerAsc, "sessions/1", Expect::kAllowed},
    {"CreateAgreement", t::kOfficerCf, "sessions/1", Expect::kDenied},
    // A participant sees the sessions they attended; staff their areas'.
    {"GetSession", t::kParticipant1, "sessions/1", Expect::kAllowed},
    {"GetSession", t::kParticipant1, "sessions/2", Expect::kDenied},
    {"GetSession", t::kParticipant1, "sessions/999", Expect::kDenied},
    {"GetSession", t::kParticipant2, "sessions/2", Expect::kAllowed},
    {"GetSession", t::kOfficerAsc, "sessions/1", Expect::kAllowed},
    {"GetSession", t::kOfficerAsc, "sessions/2", Expect::kDenied},
    {"GetSession", t::kOfficerAsc, "sessions/999", Expect::kDenied},
    {"GetSession", t::kOfficerCf, "sessions/2", Expect::kAllowed},
    {"GetSession", t::kOfficerCf, "sessions/1", Expect::kDenied},
    {"GetSession", t::kAuditorAsc, "sessions/2", Expect::kDenied},
    {"GetSession", t::kFinance, "sessions/2", Expect::kAllowed},
    {"ListSessions", t::kOfficerAsc, t::kLdUserVoice, Expect::kAllowed},
    {"ListSessions", t::kOfficerAsc, t::kParentChampions, Expect::kDenied},
    {"ListSessions", t::kOfficerCf, t::kLdUserVoice, Expect::kDenied},
    {"ListSessions", t::kAuditorAsc, t::kParentChampions, Expect::kDenied},
    {"ListAuditEvents", t::kAuditorAsc, "claims/1", Expect::kAllowed},
    {"ListAuditEvents", t::kAuditorAsc, "sessions/1", Expect::kAllowed},
    {"ListAuditEvents", t::kAuditorAsc, "claims/3", Expect::kDenied},
    {"ListAuditEvents", t::kAuditorAsc, "sessions/2", Expect::kDenied},
    {"ListAuditEvents", t::kAuditorAsc, "claims/999", Expect::kDenied},
    {"ListAuditEvents", t::kAuditor, "claims/3", Expect::kAllowed},
    // Reports name a service area: the caller's own, or refused.
    {"GetTimelinessReport", t::kOfficerAsc, "serviceAreas/adult-social-care",
     Expect::kAllowed},
    {"GetTimelinessReport", t::kOfficerAsc,
     "serviceAreas/children-and-families", Expect::kDenied},
    {"ReconcileVouchers", t::kAuditorAsc, "serviceAreas/adult-social-care",
     Expect::kAllowed},
    {"ReconcileVouchers", t::kAuditorAsc, "serviceAreas/children-and-families",
     Expect::kDenied},
    // A what-if shows every claim of the area: its officers, finance and
    // administrators only.
    {"WhatIfPolicy", t::kOfficerAsc, "adult-social-care", Expect::kAllowed},
    {"WhatIfPolicy", t::kOfficerCf, "adult-social-care", Expect::kDenied},
    {"WhatIfPolicy", t::kOfficerCf, "children-and-families", Expect::kAllowed},
    {"WhatIfPolicy", t::kFinance, "children-and-families", Expect::kAllowed},
    {"WhatIfPolicy", t::kAdministrator, "adult-social-care", Expect::kAllowed},
    {"WhatIfPolicy", t::kAuditor, "adult-social-care", Expect::kDenied},
    {"WhatIfPolicy", t::kParticipant1, "adult-social-care", Expect::kDenied},
    // Corrections. Last, as they change the records above: an attendance
    // corrected then removed, the session changed then cancelled.
    {"AmendClaim", t::kParticipant1, "claims/1", Expect::kAllowed},
    {"AmendClaim", t::kParticipant2, "claims/1", Expect::kDenied},
    {"AmendClaim", t::kParticipant2, "claims/999", Expect::kDenied},
    {"AmendClaim", t::kOfficerAsc, "claims/1", Expect::kAllowed},
    {"AmendClaim", t::kOfficerCf, "claims/1", Expect::kDenied},
    {"UpdateAttendance", t::kOfficerAsc, "sessions/1/attendances/p-0001",
     Expect::kAllowed},
    {"UpdateAttendance", t::kOfficerCf, "sessions/1/attendances/p-0001",
     Expect::kDenied},
    {"UpdateAttendance", t::kOfficerCf, "sessions/999/attendances/p-0001",
     Expect::kDenied},
    {"DeleteAttendance", t::kOfficerCf, "sessions/1/attendances/p-0001",
     Expect::kDenied},
    {"DeleteAttendance", t::kOfficerAsc, "sessions/1/attendances/p-0001",
     Expect::kAllowed},
    {"UpdateSession", t::kOfficerAsc, "sessions/1", Expect::kAllowed},
    {"UpdateSession", t::kOfficerCf, "sessions/1", Expect::kDenied},
    {"UpdateSession", t::kOfficerCf, "sessions/999", Expect::kDenied},
    {"CancelSession", t::kOfficerCf, "sessions/1", Expect::kDenied},
    {"CancelSession", t::kOfficerAsc, "sessions/1", Expect::kAllowed},
    // The register listed, and a flagged voucher decided (voucherEntitlements/1
    // is not flagged: an officer of its area is refused for that, not for
    // who they are).
    {"ListAttendances", t::kOfficerAsc, "sessions/1", Expect::kAllowed},
    {"ListAttendances", t::kOfficerCf, "sessions/1", Expect::kDenied},
    {"ListAttendances", t::kOfficerCf, "sessions/999", Expect::kDenied},
    {"DecideVoucher", t::kOfficerAsc, "voucherEntitlements/1",
     Expect::kAllowed},
    {"DecideVoucher", t::kOfficerCf, "voucherEntitlements/1", Expect::kDenied},
    {"DecideVoucher", t::kOfficerAsc, "voucherEntitlements/2", Expect::kDenied},
};

// Calls `rpc` as `principal` on `record`; returns the status and the
// response's size in bytes.
std::pair<grpc::Status, size_t> CallOn(TestServer& server,
                                       const OwnOtherCase& c, int n) {
  auto context = TestServer::As(c.principal);
  const std::string request_id = absl::StrCat("own-other-", n);
  auto done = [](grpc::Status s, const google::protobuf::Message& m) {
    return std::make_pair(std::move(s), m.ByteSizeLong());
  };
  const std::string rpc = c.rpc;
  if (rpc == "GetClaim") {
    v1::GetClaimRequest r;
    r.set_name(c.record);
    v1::Claim out;
    return done(server.claims().GetClaim(context.get(), r, &out), out);
  }
  if (rpc == "WithdrawClaim") {
    v1::WithdrawClaimRequest r;
    r.set_name(c.record);
    r.set_request_id(request_id);
    v1::Claim out;
    return done(server.claims().WithdrawClaim(context.get(), r, &out), out);
  }
  if (rpc == "AppealClaimLine") {
    v1::AppealClaimLineRequest r;
    r.set_name(c.record);
    r.set_comment("Please look again");
    r.set_request_id(request_id);
    v1::Claim out;
    return done(server.claims().AppealClaimLine(context.get(), r, &out), out);
  }
  if (rpc == "ReviewClaimLine") {
    v1::ReviewClaimLineRequest r;
    r.set_name(c.record);
    r.set_approve(true);
    r.set_reason("Checked");
    r.set_request_id(request_id);
    v1::Claim out;
    return done(server.claims().ReviewClaimLine(context.get(), r, &out), out);
  }
  if (rpc == "GetParticipant") {
    v1::GetParticipantRequest r;
    r.set_name(c.record);
    v1::Participant out;
    return done(server.programme().GetParticipant(context.get(), r, &out), out);
  }
  if (rpc == "ExportParticipantData") {
    v1::ExportParticipantDataRequest r;
    r.set_name(c.record);
    v1::ExportParticipantDataResponse out;
    return done(
        server.programme().ExportParticipantData(context.get(), r, &out), out);
  }
  if (rpc == "ListClaims") {
    v1::ListClaimsRequest r;
    r.set_participant(c.record);
    v1::ListClaimsResponse out;
    return done(server.claims().ListClaims(context.get(), r, &out), out);
  }
  if (rpc == "ListVoucherEntitlements") {
    v1::ListVoucherEntitlementsRequest r;
    r.set_participant(c.record);
    v1::ListVoucherEntitlementsResponse out;
    return done(
        server.programme().ListVoucherEntitlements(context.get(), r, &out),
        out);
  }
  if (rpc == "ListAgreements") {
    v1::ListAgreementsRequest r;
    r.set_participant(c.record);
    v1::ListAgreementsResponse out;
    return done(server.programme().ListAgreements(context.get(), r, &out), out);
  }
  if (rpc == "SubmitClaim") {
    v1::SubmitClaimRequest r;
    *r.mutable_claim() = t::BusFareClaim(c.record);
    r.set_request_id(request_id);
    v1::Claim out;
    return done(server.claims().SubmitClaim(context.get(), r, &out), out);
  }
  if (rpc == "IssueVoucher") {
    v1::IssueVoucherRequest r;
    r.set_name(c.record);
    r.set_serial(absl::StrCat("SERIAL-", n));
    r.set_request_id(request_id);
    v1::VoucherEntitlement out;
    return done(server.programme().IssueVoucher(context.get(), r, &out), out);
  }
  if (rpc == "RecordAttendance") {
    v1::RecordAttendanceRequest r;
    r.set_session(c.record);
    r.set_participant("participants/p-0002");
    r.set_minutes(90);
    r.set_request_id(request_id);
    v1::Attendance out;
    return done(server.programme().RecordAttendance(context.get(), r, &out),
                out);
  }
  if (rpc == "CreateAgreement") {
    v1::CreateAgreementRequest r;
    r.mutable_agreement()->set_session(c.record);
    r.mutable_agreement()->set_participant("participants/p-0002");
    r.mutable_agreement()->set_category(v1::EXPENSE_CATEGORY_TAXI);
    r.set_request_id(request_id);
    v1::Agreement out;
    return done(server.programme().CreateAgreement(context.get(), r, &out),
                out);
  }
  if (rpc == "EndAgreement") {
    v1::EndAgreementRequest r;
    r.set_name(c.record);
    r.set_last_day("2026-12-01");
    r.set_request_id(request_id);
    v1::Agreement out;
    return done(server.programme().EndAgreement(context.get(), r, &out), out);
  }
  if (rpc == "GetSession") {
    v1::GetSessionRequest r;
    r.set_name(c.record);
    v1::Session out;
    return done(server.programme().GetSession(context.get(), r, &out), out);
  }
  if (rpc == "ListSessions") {
    v1::ListSessionsRequest r;
    r.set_project(c.record);
    v1::ListSessionsResponse out;
    return done(server.programme().ListSessions(context.get(), r, &out), out);
  }
  if (rpc == "ListAuditEvents") {
    auto audit = v1::AuditService::NewStub(server.channel());
    v1::ListAuditEventsRequest r;
    r.set_record(c.record);
    v1::ListAuditEventsResponse out;
    return done(audit->ListAuditEvents(context.get(), r, &out), out);
  }
  if (rpc == "GetTimelinessReport") {
    auto finance = v1::FinanceService::NewStub(server.channel());
    v1::GetTimelinessReportRequest r;
    r.set_service_area(c.record);
    v1::TimelinessReport out;
    return done(finance->GetTimelinessReport(context.get(), r, &out), out);
  }
  if (rpc == "ReconcileVouchers") {
    auto finance = v1::FinanceService::NewStub(server.channel());
    v1::ReconcileVouchersRequest r;
    r.set_service_area(c.record);
    r.set_provider("Tesco");
    r.set_invoice_csv("serial,value,date\nTS-1,15.00,2026-11-18\n");
    v1::VoucherReconciliation out;
    return done(finance->ReconcileVouchers(context.get(), r, &out), out);
  }
  if (rpc == "WhatIfPolicy") {
    // The area's own rule file as the draft.
    std::ifstream in(server.rules_dir() / absl::StrCat(c.record, ".textproto"));
    std::stringstream text;
    text << in.rdbuf();
    v1::WhatIfPolicyRequest r;
    r.set_service_area(absl::StrCat("serviceAreas/", c.record));
    r.set_rule_file_text(text.str());
    r.set_date_from("2026-04-01");
    r.set_date_to("2027-03-31");
    v1::WhatIfReport out;
    return done(server.policies().WhatIfPolicy(context.get(), r, &out), out);
  }
  if (rpc == "AmendClaim") {
    v1::AmendClaimRequest r;
    *r.mutable_claim() = t::BusFareClaim();
    r.mutable_claim()->set_name(c.record);
    r.mutable_claim()->clear_participant();
    r.set_request_id(request_id);
    v1::Claim out;
    return done(server.claims().AmendClaim(context.get(), r, &out), out);
  }
  if (rpc == "UpdateAttendance") {
    v1::UpdateAttendanceRequest r;
    r.mutable_attendance()->set_name(c.record);
    r.mutable_attendance()->set_minutes(60);
    r.mutable_update_mask()->add_paths("minutes");
    r.set_reason("Left at the break");
    r.set_request_id(request_id);
    v1::Attendance out;
    return done(server.programme().UpdateAttendance(context.get(), r, &out),
                out);
  }
  if (rpc == "DeleteAttendance") {
    v1::DeleteAttendanceRequest r;
    r.set_name(c.record);
    r.set_reason("Recorded in error");
    r.set_request_id(request_id);
    v1::Attendance out;
    return done(server.programme().DeleteAttendance(context.get(), r, &out),
                out);
  }
  if (rpc == "UpdateSession") {
    v1::UpdateSessionRequest r;
    r.mutable_session()->set_name(c.record);
    r.mutable_session()->set_venue("Southend Library");
    r.mutable_update_mask()->add_paths("venue");
    r.set_request_id(request_id);
    v1::Session out;
    return done(server.programme().UpdateSession(context.get(), r, &out), out);
  }
  if (rpc == "CancelSession") {
    v1::CancelSessionRequest r;
    r.set_name(c.record);
    r.set_reason("The room flooded");
    r.set_request_id(request_id);
    v1::Session out;
    return done(server.programme().CancelSession(context.get(), r, &out), out);
  }
  if (rpc == "ListAttendances") {
    v1::ListAttendancesRequest r;
    r.set_parent(c.record);
    v1::ListAttendancesResponse out;
    return done(server.programme().ListAttendances(context.get(), r, &out),
                out);
  }
  if (rpc == "DecideVoucher") {
    v1::DecideVoucherRequest r;
    r.set_name(c.record);
    r.set_decision(v1::VOUCHER_DECISION_KEEP);
    r.set_reason("Spoke to them");
    r.set_request_id(request_id);
    v1::VoucherEntitlement out;
    return done(server.programme().DecideVoucher(context.get(), r, &out), out);
  }
  ADD_FAILURE() << "no call for " << rpc;
  return {grpc::Status::OK, 0};
}

TEST_F(OwnAndOtherTest, EachRoleReachesItsOwnRecordsAndNobodyElses) {
  int n = 0;
  for (const OwnOtherCase& c : kOwnOther) {
    auto [status, response_bytes] = CallOn(server_, c, ++n);
    const std::string what =
        absl::StrCat(c.rpc, " as ", c.principal, " on ", c.record, ": ",
                     status.error_code(), " ", status.error_message());
    if (c.expect == Expect::kDenied) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << what;
      EXPECT_EQ(response_bytes, 0u) << what << " leaked data";
    } else {
      EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << what;
      EXPECT_NE(status.error_code(), grpc::StatusCode::NOT_FOUND) << what;
      EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL) << what;
    }
  }
}

// Listings without a filter are narrowed the same way.
TEST_F(OwnAndOtherTest, SessionListingsShowOnlyWhatTheCallerMaySee) {
  auto sessions_of = [&](const std::string& who) {
    v1::ListSessionsResponse out;
    EXPECT_THAT(
        server_.programme().ListSessions(TestServer::As(who).get(), {}, &out),
        IsOk());
    std::vector<std::string> names;
    for (const auto& s : out.sessions()) names.push_back(s.name());
    return names;
  };
  EXPECT_THAT(sessions_of(t::kParticipant1), ElementsAre("sessions/1"));
  EXPECT_THAT(sessions_of(t::kParticipant2), ElementsAre("sessions/2"));
  EXPECT_THAT(sessions_of(t::kOfficerAsc), ElementsAre("sessions/1"));
  EXPECT_THAT(sessions_of(t::kOfficerCf), ElementsAre("sessions/2"));
  EXPECT_THAT(sessions_of(t::kOfficerSc), IsEmpty());
  EXPECT_THAT(sessions_of(t::kAuditor),
              ElementsAre("sessions/1", "sessions/2"));
}

}  // namespace
}  // namespace reciprocity
