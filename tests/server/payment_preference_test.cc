// A participant changes how they are paid: their own payment_preference and
// nothing else, over a real server and SQLite file. Officers may still
// change every field (programme_test.cc).
#include "reciprocity/v1/audit.grpc.pb.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

class PaymentPreferenceTest : public ProgrammeTest {
 protected:
  // `who` asks to change `field` of participants/`id` (to a voucher, or to
  // a new display name).
  grpc::Status Update(const std::string& who, const std::string& id,
                      const std::string& field, v1::Participant* out) {
    v1::UpdateParticipantRequest request;
    request.mutable_participant()->set_name("participants/" + id);
    request.mutable_participant()->set_payment_preference(
        v1::PAYMENT_METHOD_VOUCHER);
    request.mutable_participant()->set_display_name("Sammy");
    request.mutable_update_mask()->add_paths(field);
    request.set_request_id(NextId());
    return server_.programme().UpdateParticipant(TestServer::As(who).get(),
                                                 request, out);
  }

  v1::Participant Read(const std::string& id) {
    v1::GetParticipantRequest request;
    request.set_name("participants/" + id);
    v1::Participant out;
    EXPECT_THAT(server_.programme().GetParticipant(
                    TestServer::As(t::kOfficerAsc).get(), request, &out),
                IsOk());
    return out;
  }
};

TEST_F(PaymentPreferenceTest, AParticipantChangesTheirOwnPreference) {
  v1::Participant updated;
  ASSERT_THAT(
      Update(t::kParticipant1, "p-0001", "payment_preference", &updated),
      IsOk());
  EXPECT_EQ(updated.payment_preference(), v1::PAYMENT_METHOD_VOUCHER);
  EXPECT_EQ(updated.updated_by(), t::kParticipant1);
  const v1::Participant stored = Read("p-0001");
  EXPECT_EQ(stored.payment_preference(), v1::PAYMENT_METHOD_VOUCHER);
  EXPECT_NE(stored.display_name(), "Sammy");

  // The audit log says who changed the record, as for an officer's change.
  auto audit = v1::AuditService::NewStub(server_.channel());
  v1::ListAuditEventsRequest request;
  request.set_record("participants/p-0001");
  v1::ListAuditEventsResponse events;
  ASSERT_THAT(audit->ListAuditEvents(TestServer::As(t::kAuditor).get(), request,
                                     &events),
              IsOk());
  ASSERT_THAT(events.audit_events(), SizeIs(2));  // registered, then changed
  EXPECT_EQ(events.audit_events(1).principal(), t::kParticipant1);
  EXPECT_EQ(events.audit_events(1).action(), "UpdateParticipant");
}

TEST_F(PaymentPreferenceTest, AnotherParticipantsRecordIsRefused) {
  v1::Participant out;
  EXPECT_THAT(Update(t::kParticipant1, "p-0002", "payment_preference", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // The same answer whether or not the record exists (AIP-211).
  EXPECT_THAT(Update(t::kParticipant1, "p-9999", "payment_preference", &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(Read("p-0002").payment_preference(),
            v1::PAYMENT_METHOD_BANK_TRANSFER);
}

TEST_F(PaymentPreferenceTest, OtherFieldsOfTheirOwnRecordAreRefused) {
  for (const char* field : {"display_name", "contact", "participant_type"}) {
    v1::Participant out;
    EXPECT_THAT(Update(t::kParticipant1, "p-0001", field, &out),
                StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr(field)))
        << field;
  }
  // Not even alongside the field they may change.
  v1::UpdateParticipantRequest both;
  both.mutable_participant()->set_name("participants/p-0001");
  both.mutable_participant()->set_payment_preference(
      v1::PAYMENT_METHOD_CASH_ON_THE_DAY);
  both.mutable_participant()->set_display_name("Sammy");
  both.mutable_update_mask()->add_paths("payment_preference");
  both.mutable_update_mask()->add_paths("display_name");
  both.set_request_id(NextId());
  v1::Participant out;
  EXPECT_THAT(
      server_.programme().UpdateParticipant(
          TestServer::As(t::kParticipant1).get(), both, &out),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("display_name")));
  EXPECT_NE(Read("p-0001").display_name(), "Sammy");
}

TEST_F(PaymentPreferenceTest, StaffWhoAreNotOfficersStillMayNot) {
  for (const char* who : {t::kFinance, t::kAuditor}) {
    v1::Participant out;
    EXPECT_THAT(Update(who, "p-0001", "payment_preference", &out),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << who;
  }
}

}  // namespace
}  // namespace reciprocity
