// Personal data: the subject-access export, the retention period and
// anonymisation, over a real server and database.
#include "reciprocity/v1/admin.grpc.pb.h"
#include "reciprocity/v1/audit.grpc.pb.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

constexpr char kCanaryName[] = "Zebedee Quackenbush-Canary";
constexpr char kCanaryContact[] = "canary-7741@example.org";
constexpr char kCanaryNote[] = "Canary uses a wheelchair";
constexpr char kCanaryLine[] = "Canary bus from Shoebury";

class PrivacyTest : public t::ProgrammeTest {
 protected:
  // Registers p-canary with personal data everywhere it can go: a session
  // in adult social care with an agreement and attendance, and a claim with
  // a free-text line. The session was on 1 October 2026; today is 20
  // November 2026.
  void SetUp() override {
    v1::CreateParticipantRequest request;
    request.set_participant_id("p-canary");
    request.set_request_id("register-canary");
    request.mutable_participant()->set_participant_type(
        v1::PARTICIPANT_TYPE_RESIDENT);
    request.mutable_participant()->set_payment_preference(
        v1::PAYMENT_METHOD_BANK_TRANSFER);
    request.mutable_participant()->set_display_name(kCanaryName);
    request.mutable_participant()->set_contact(kCanaryContact);
    v1::Participant out;
    ASSERT_THAT(server_.programme().CreateParticipant(
                    TestServer::As(t::kOfficerAsc).get(), request, &out),
                IsOk());
    session_ = MustCreateSession(t::kOfficerAsc, t::kLdUserVoice, "2026-10-01");
    v1::CreateAgreementRequest agree;
    agree.mutable_agreement()->set_participant("participants/p-canary");
    agree.mutable_agreement()->set_session(session_);
    agree.mutable_agreement()->set_category(v1::EXPENSE_CATEGORY_TAXI);
    agree.mutable_agreement()->set_up_to_pence(2000);
    agree.mutable_agreement()->set_note(kCanaryNote);
    agree.set_request_id(NextId());
    v1::Agreement agreement;
    ASSERT_THAT(server_.programme().CreateAgreement(
                    TestServer::As(t::kOfficerAsc).get(), agree, &agreement),
                IsOk());
    MustAttend(t::kOfficerAsc, session_, "participants/p-canary");
    v1::Claim claim =
        SessionClaim("participants/p-canary", t::kLdUserVoice, session_,
                     v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 450);
    claim.mutable_lines(0)->set_description(kCanaryLine);
    claim_ = MustSubmit(t::kOfficerAsc, claim);
  }

  grpc::Status Export(const std::string& who, const std::string& participant,
                      v1::ExportParticipantDataResponse* out) {
    v1::ExportParticipantDataRequest request;
    request.set_name(participant);
    return server_.programme().ExportParticipantData(TestServer::As(who).get(),
                                                     request, out);
  }
  grpc::Status SetRetention(const std::string& who, int days,
                            v1::RetentionPolicy* out = nullptr) {
    v1::UpdateRetentionPolicyRequest request;
    request.mutable_retention_policy()->set_retention_days(days);
    request.set_request_id(NextId());
    v1::RetentionPolicy ignored;
    return admin_->UpdateRetentionPolicy(TestServer::As(who).get(), request,
                                         out ? out : &ignored);
  }
  grpc::Status Anonymise(const std::string& who, const std::string& name,
                         v1::Participant* out = nullptr) {
    v1::AnonymiseParticipantRequest request;
    request.set_name(name);
    request.set_request_id(NextId());
    v1::Participant ignored;
    return server_.programme().AnonymiseParticipant(
        TestServer::As(who).get(), request, out ? out : &ignored);
  }

  std::string session_;
  v1::Claim claim_;
  std::unique_ptr<v1::AdminService::Stub> admin_ =
      v1::AdminService::NewStub(server_.channel());
};

TEST_F(PrivacyTest, ExportHoldsEverythingAboutTheParticipant) {
  v1::ExportParticipantDataResponse out;
  ASSERT_THAT(Export(t::kAuditor, "participants/p-canary", &out), IsOk());
  EXPECT_EQ(out.participant().display_name(), kCanaryName);
  EXPECT_EQ(out.participant().contact(), kCanaryContact);
  ASSERT_THAT(out.claims(), SizeIs(1));
  EXPECT_EQ(out.claims(0).name(), claim_.name());
  EXPECT_EQ(out.claims(0).lines(0).description(), kCanaryLine);
  EXPECT_EQ(out.claims(0).decision().lines_size(), 1);
  ASSERT_THAT(out.attendances(), SizeIs(1));
  EXPECT_EQ(out.attendances(0).minutes(), 120);
  EXPECT_TRUE(out.attendances(0).has_voucher_entitlement());
  EXPECT_THAT(out.voucher_entitlements(), SizeIs(1));
  ASSERT_THAT(out.agreements(), SizeIs(1));
  EXPECT_EQ(out.agreements(0).note(), kCanaryNote);
  // Registration, agreement, attendance and claim were each audited.
  std::set<std::string> actions;
  for (const auto& e : out.audit_events()) actions.insert(e.action());
  EXPECT_EQ(actions,
            (std::set<std::string>{"CreateParticipant", "CreateAgreement",
                                   "RecordAttendance", "SubmitClaim"}));
  EXPECT_TRUE(out.has_export_time());
}

TEST_F(PrivacyTest, ParticipantsExportOnlyTheirOwnData) {
  v1::ExportParticipantDataResponse out;
  EXPECT_THAT(Export(t::kParticipant1, "participants/p-0001", &out), IsOk());
  EXPECT_EQ(out.participant().name(), "participants/p-0001");
  for (const char* other : {"participants/p-canary", "participants/p-9999"}) {
    v1::ExportParticipantDataResponse denied;
    EXPECT_THAT(Export(t::kParticipant1, other, &denied),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << other;
    EXPECT_FALSE(denied.has_participant());
  }
  EXPECT_THAT(Export(t::kFinance, "participants/p-canary", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Export(t::kAuditor, "participants/p-9999", &out),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Export(t::kAuditor, "people/p-1", &out),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(PrivacyTest, OfficersSeeOnlyTheRecordsInTheirAreas) {
  v1::ExportParticipantDataResponse out;
  ASSERT_THAT(Export(t::kOfficerCf, "participants/p-canary", &out), IsOk());
  EXPECT_EQ(out.participant().name(), "participants/p-canary");
  EXPECT_THAT(out.claims(), SizeIs(0));
  EXPECT_THAT(out.attendances(), SizeIs(0));
  EXPECT_THAT(out.agreements(), SizeIs(0));
  EXPECT_THAT(out.voucher_entitlements(), SizeIs(0));
  ASSERT_THAT(Export(t::kOfficerAsc, "participants/p-canary", &out), IsOk());
  EXPECT_THAT(out.claims(), SizeIs(1));
}

TEST_F(PrivacyTest, OnlyAdministratorsSetTheRetentionPeriodAndItIsAudited) {
  EXPECT_THAT(SetRetention(t::kOfficerAsc, 30),
              StatusIs(absl::StatusCode::kPermissionDenied));
  grpc::Status bad = SetRetention(t::kAdministrator, 0);
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(bad.error_message(), HasSubstr("retention_days"));
  EXPECT_THAT(SetRetention(t::kAdministrator, 40000),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::RetentionPolicy set;
  ASSERT_THAT(SetRetention(t::kAdministrator, 730, &set), IsOk());
  EXPECT_EQ(set.retention_days(), 730);
  EXPECT_EQ(set.updated_by(), t::kAdministrator);

  v1::GetRetentionPolicyRequest get;
  get.set_name("retentionPolicy");
  v1::RetentionPolicy read;
  ASSERT_THAT(admin_->GetRetentionPolicy(TestServer::As(t::kOfficerCf).get(),
                                         get, &read),
              IsOk());
  EXPECT_EQ(read.retention_days(), 730);

  auto audit = v1::AuditService::NewStub(server_.channel());
  v1::ListAuditEventsRequest list;
  list.set_record("retentionPolicy");
  v1::ListAuditEventsResponse events;
  ASSERT_THAT(
      audit->ListAuditEvents(TestServer::As(t::kAuditor).get(), list, &events),
      IsOk());
  ASSERT_THAT(events.audit_events(), SizeIs(1));
  EXPECT_EQ(events.audit_events(0).action(), "UpdateRetentionPolicy");
  EXPECT_EQ(events.audit_events(0).principal(), t::kAdministrator);
}

TEST_F(PrivacyTest, AnonymisingBeforeTheRetentionPeriodNamesTheDate) {
  grpc::Status unset = Anonymise(t::kAdministrator, "participants/p-canary");
  EXPECT_THAT(unset, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(unset.error_message(), HasSubstr("retention"));

  ASSERT_THAT(SetRetention(t::kAdministrator, 365), IsOk());
  grpc::Status early = Anonymise(t::kAdministrator, "participants/p-canary");
  EXPECT_THAT(early, StatusIs(absl::StatusCode::kFailedPrecondition));
  // Last activity: the session of 1 October 2026.
  EXPECT_THAT(early.error_message(), HasSubstr("2026-10-01"));
  EXPECT_THAT(early.error_message(), HasSubstr("from 2027-10-01"));
  v1::GetParticipantRequest get;
  get.set_name("participants/p-canary");
  v1::Participant p;
  ASSERT_THAT(server_.programme().GetParticipant(
                  TestServer::As(t::kOfficerAsc).get(), get, &p),
              IsOk());
  EXPECT_EQ(p.display_name(), kCanaryName);
}

TEST_F(PrivacyTest, OnlyAdministratorsAnonymise) {
  ASSERT_THAT(SetRetention(t::kAdministrator, 30), IsOk());
  EXPECT_THAT(Anonymise(t::kOfficerAsc, "participants/p-canary"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Anonymise(t::kParticipant1, "participants/p-0001"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Anonymise(t::kAdministrator, "participants/p-9999"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(PrivacyTest, AnonymisingRemovesPersonalDataAndKeepsTheMoney) {
  ASSERT_THAT(SetRetention(t::kAdministrator, 30), IsOk());
  v1::Participant anonymised;
  ASSERT_THAT(
      Anonymise(t::kAdministrator, "participants/p-canary", &anonymised),
      IsOk());
  EXPECT_EQ(anonymised.state(), v1::PARTICIPANT_STATE_ANONYMISED);
  EXPECT_EQ(anonymised.display_name(), "Anonymised participant");
  EXPECT_EQ(anonymised.contact(), "");

  v1::ExportParticipantDataResponse out;
  ASSERT_THAT(Export(t::kAuditor, "participants/p-canary", &out), IsOk());
  const std::string everything = out.SerializeAsString();
  for (const char* personal :
       {kCanaryName, kCanaryContact, kCanaryNote, kCanaryLine}) {
    EXPECT_THAT(everything, Not(HasSubstr(personal))) << personal;
  }
  // The reference and the money stay.
  ASSERT_THAT(out.claims(), SizeIs(1));
  EXPECT_EQ(out.claims(0).participant(), "participants/p-canary");
  EXPECT_EQ(out.claims(0).lines(0).amount_pence(), 450);
  EXPECT_EQ(out.claims(0).decision().allowed_total_pence(),
            claim_.decision().allowed_total_pence());
  EXPECT_EQ(out.claims(0).state(), claim_.state());
  EXPECT_THAT(out.attendances(), SizeIs(1));
  EXPECT_THAT(out.agreements(), SizeIs(1));

  // A retry of the registration no longer hands back the name.
  v1::CreateParticipantRequest again;
  again.set_participant_id("p-canary");
  again.set_request_id("register-canary");
  again.mutable_participant()->set_participant_type(
      v1::PARTICIPANT_TYPE_RESIDENT);
  again.mutable_participant()->set_payment_preference(
      v1::PAYMENT_METHOD_BANK_TRANSFER);
  again.mutable_participant()->set_display_name(kCanaryName);
  again.mutable_participant()->set_contact(kCanaryContact);
  v1::Participant retried;
  ASSERT_THAT(server_.programme().CreateParticipant(
                  TestServer::As(t::kOfficerAsc).get(), again, &retried),
              IsOk());
  EXPECT_NE(retried.display_name(), kCanaryName);

  // Nobody can add the data back, claim for them, or anonymise twice.
  v1::UpdateParticipantRequest update;
  update.mutable_participant()->set_name("participants/p-canary");
  update.mutable_participant()->set_display_name(kCanaryName);
  update.mutable_update_mask()->add_paths("display_name");
  update.set_request_id(NextId());
  v1::Participant ignored;
  EXPECT_THAT(server_.programme().UpdateParticipant(
                  TestServer::As(t::kOfficerAsc).get(), update, &ignored),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::Claim refused;
  EXPECT_THAT(
      Submit(t::kOfficerAsc,
             SessionClaim("participants/p-canary", t::kLdUserVoice, session_,
                          v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT, 100),
             &refused),
      StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(Anonymise(t::kAdministrator, "participants/p-canary"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace reciprocity
