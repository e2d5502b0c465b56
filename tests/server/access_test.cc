// The RPC x role table: every method of every service has a row, so none is
// refused to everyone by accident.
#include "server/domain/access.h"

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"

namespace reciprocity {
namespace {

TEST(AccessTableTest, EveryMethodOfEveryServiceHasARow) {
  for (const char* service : {v1::ClaimService::service_full_name(),
                              v1::PolicyService::service_full_name(),
                              v1::ProgrammeService::service_full_name()}) {
    const google::protobuf::ServiceDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const std::string method =
          "/" + std::string(service) + "/" + descriptor->method(i)->name();
      EXPECT_FALSE(RolesFor(method).empty()) << method;
    }
  }
}

TEST(AccessTableTest, OnlyOfficersChangeTheProgramme) {
  for (const char* method :
       {"CreateParticipant", "DeactivateParticipant", "CreateSession",
        "CreateAgreement", "RecordAttendance", "IssueVoucher"}) {
    EXPECT_EQ(
        RolesFor(std::string("/reciprocity.v1.ProgrammeService/") + method),
        std::vector<v1::Role>{v1::ROLE_OFFICER})
        << method;
  }
}

TEST(AccessTableTest, ParticipantsMayAskToUpdateTheirRecord) {
  // The domain narrows this to their own payment_preference.
  EXPECT_EQ(RolesFor("/reciprocity.v1.ProgrammeService/UpdateParticipant"),
            (std::vector<v1::Role>{v1::ROLE_OFFICER, v1::ROLE_PARTICIPANT}));
}

TEST(AccessTableTest, OnlyOfficersCorrectSessionsAndTheRegister) {
  for (const char* method :
       {"UpdateSession", "CancelSession", "UpdateAttendance",
        "DeleteAttendance", "ListAttendances", "DecideVoucher"}) {
    EXPECT_EQ(
        RolesFor(std::string("/reciprocity.v1.ProgrammeService/") + method),
        std::vector<v1::Role>{v1::ROLE_OFFICER})
        << method;
  }
}

TEST(AccessTableTest, ParticipantsAndOfficersAmendClaims) {
  // The domain narrows this to the participant's own claims and an
  // officer's areas.
  EXPECT_EQ(RolesFor("/reciprocity.v1.ClaimService/AmendClaim"),
            (std::vector<v1::Role>{v1::ROLE_PARTICIPANT, v1::ROLE_OFFICER}));
}

}  // namespace
}  // namespace reciprocity
