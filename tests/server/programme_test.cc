// ProgrammeService over a real server and SQLite file: the participant
// register, sessions, attendance and voucher entitlements.
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::kAutismForum;
using ::reciprocity::testing::kLdUserVoice;
using ::reciprocity::testing::kParentChampions;
using ::reciprocity::testing::kTacklingPoverty;
using ::reciprocity::testing::ProgrammeTest;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

using ParticipantTest = ProgrammeTest;
using SessionTest = ProgrammeTest;
using VoucherTest = ProgrammeTest;

TEST_F(ParticipantTest, CreateGetUpdateDeactivate) {
  v1::Participant created = MustCreateParticipant("p-0100");
  EXPECT_EQ(created.name(), "participants/p-0100");
  EXPECT_EQ(created.state(), v1::PARTICIPANT_STATE_ACTIVE);

  v1::GetParticipantRequest get;
  get.set_name(created.name());
  v1::Participant read;
  ASSERT_THAT(server_.programme().GetParticipant(
                  TestServer::As(t::kAuditor).get(), get, &read),
              IsOk());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  v1::UpdateParticipantRequest update;
  update.mutable_participant()->set_name(created.name());
  update.mutable_participant()->set_payment_preference(
      v1::PAYMENT_METHOD_VOUCHER);
  update.mutable_participant()->set_display_name("ignored: not in the mask");
  update.mutable_update_mask()->add_paths("payment_preference");
  update.set_request_id(NextId());
  v1::Participant updated;
  ASSERT_THAT(server_.programme().UpdateParticipant(
                  TestServer::As(t::kOfficerCf).get(), update, &updated),
              IsOk());
  EXPECT_EQ(updated.payment_preference(), v1::PAYMENT_METHOD_VOUCHER);
  EXPECT_EQ(updated.display_name(), "Sam");
  EXPECT_EQ(created.updated_by(), t::kOfficerAsc);
  EXPECT_EQ(updated.updated_by(), t::kOfficerCf);

  v1::DeactivateParticipantRequest deactivate;
  deactivate.set_name(created.name());
  deactivate.set_request_id(NextId());
  v1::Participant inactive;
  ASSERT_THAT(server_.programme().DeactivateParticipant(
                  TestServer::As(t::kOfficerAsc).get(), deactivate, &inactive),
              IsOk());
  EXPECT_EQ(inactive.state(), v1::PARTICIPANT_STATE_INACTIVE);
  deactivate.set_request_id(NextId());
  EXPECT_THAT(server_.programme().DeactivateParticipant(
                  TestServer::As(t::kOfficerAsc).get(), deactivate, &inactive),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Still there, for the records.
  ASSERT_THAT(server_.programme().GetParticipant(
                  TestServer::As(t::kOfficerAsc).get(), get, &read),
              IsOk());
  EXPECT_EQ(read.state(), v1::PARTICIPANT_STATE_INACTIVE);
}

TEST_F(ParticipantTest, ServerAssignsAnIdWhenNoneIsGiven) {
  v1::Participant out;
  ASSERT_THAT(CreateParticipant(t::kOfficerAsc, "", v1::PARTICIPANT_TYPE_STAFF,
                                v1::PAYMENT_METHOD_DECLINE, &out),
              IsOk());
  EXPECT_EQ(out.name(), "participants/p-0003");
}

TEST_F(ParticipantTest, BadOrTakenIdsAndMissingFieldsAreRefused) {
  v1::Participant out;
  EXPECT_THAT(
      CreateParticipant(t::kOfficerAsc, "P_1", v1::PARTICIPANT_TYPE_RESIDENT,
                        v1::PAYMENT_METHOD_VOUCHER, &out),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("participant_id")));
  EXPECT_THAT(
      CreateParticipant(t::kOfficerAsc, "p-0001", v1::PARTICIPANT_TYPE_RESIDENT,
                        v1::PAYMENT_METHOD_VOUCHER, &out),
      StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(CreateParticipant(t::kOfficerAsc, "p-0200",
                                v1::PARTICIPANT_TYPE_UNSPECIFIED,
                                v1::PAYMENT_METHOD_VOUCHER, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("participant_type")));
  EXPECT_THAT(
      CreateParticipant(t::kOfficerAsc, "p-0200", v1::PARTICIPANT_TYPE_RESIDENT,
                        v1::PAYMENT_METHOD_UNSPECIFIED, &out),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("payment_preference")));
}

TEST_F(ParticipantTest, OfficersOfAnyAreaRegisterParticipantsOthersMayNot) {
  v1::Participant out;
  EXPECT_THAT(CreateParticipant(t::kOfficerCf, "p-0300",
                                v1::PARTICIPANT_TYPE_PARENT_OR_CARER,
                                v1::PAYMENT_METHOD_VOUCHER, &out),
              IsOk());
  for (const char* who : {t::kParticipant1, t::kFinance, t::kAuditor}) {
    EXPECT_THAT(CreateParticipant(who, "p-0301", v1::PARTICIPANT_TYPE_RESIDENT,
                                  v1::PAYMENT_METHOD_VOUCHER, &out),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << who;
  }
}

TEST_F(ParticipantTest, ParticipantsReadOnlyTheirOwnRecord) {
  v1::GetParticipantRequest get;
  get.set_name("participants/p-0001");
  v1::Participant out;
  EXPECT_THAT(server_.programme().GetParticipant(
                  TestServer::As(t::kParticipant1).get(), get, &out),
              IsOk());
  get.set_name("participants/p-0002");
  EXPECT_THAT(server_.programme().GetParticipant(
                  TestServer::As(t::kParticipant1).get(), get, &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::ListParticipantsResponse list;
  EXPECT_THAT(server_.programme().ListParticipants(
                  TestServer::As(t::kParticipant1).get(), {}, &list),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(ParticipantTest, ListPagesThroughEveryoneOnceAndFiltersByState) {
  for (int i = 10; i < 15; ++i) MustCreateParticipant(absl::StrCat("p-00", i));
  std::vector<std::string> seen;
  v1::ListParticipantsRequest request;
  request.set_page_size(2);
  do {
    v1::ListParticipantsResponse page;
    ASSERT_THAT(server_.programme().ListParticipants(
                    TestServer::As(t::kFinance).get(), request, &page),
                IsOk());
    for (const auto& p : page.participants()) seen.push_back(p.name());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(seen, SizeIs(7));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 7u);

  // A token belongs to the listing (filters) that gave it out.
  request.Clear();
  request.set_page_size(2);
  v1::ListParticipantsResponse first;
  ASSERT_THAT(server_.programme().ListParticipants(
                  TestServer::As(t::kFinance).get(), request, &first),
              IsOk());
  request.set_page_token(first.next_page_token());
  request.set_state(v1::PARTICIPANT_STATE_ACTIVE);
  v1::ListParticipantsResponse misread;
  EXPECT_THAT(
      server_.programme().ListParticipants(TestServer::As(t::kFinance).get(),
                                           request, &misread),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));

  request.Clear();
  request.set_state(v1::PARTICIPANT_STATE_INACTIVE);
  v1::ListParticipantsResponse none;
  ASSERT_THAT(server_.programme().ListParticipants(
                  TestServer::As(t::kOfficerAsc).get(), request, &none),
              IsOk());
  EXPECT_THAT(none.participants(), SizeIs(0));
}

TEST_F(SessionTest, OfficersCreateSessionsOnlyForTheirAreasProjects) {
  v1::Session out;
  ASSERT_THAT(
      CreateSession(t::kOfficerAsc, kLdUserVoice, "2026-11-18", false, &out),
      IsOk());
  EXPECT_EQ(out.name(), "sessions/1");
  EXPECT_EQ(out.created_by(), t::kOfficerAsc);
  EXPECT_THAT(
      CreateSession(t::kOfficerCf, kLdUserVoice, "2026-11-18", false, &out),
      StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(
      CreateSession(t::kOfficerAsc,
                    "serviceAreas/adult-social-care/projects/nope",
                    "2026-11-18", false, &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("project")));
  EXPECT_THAT(
      CreateSession(t::kOfficerAsc, kLdUserVoice, "2026-13-01", false, &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("session.date")));

  v1::CreateSessionRequest backwards;
  backwards.mutable_session()->set_project(kLdUserVoice);
  backwards.mutable_session()->set_date("2026-11-18");
  backwards.mutable_session()->set_start_time("12:00");
  backwards.mutable_session()->set_end_time("10:00");
  backwards.mutable_session()->set_online(true);
  backwards.set_request_id(NextId());
  EXPECT_THAT(
      server_.programme().CreateSession(TestServer::As(t::kOfficerAsc).get(),
                                        backwards, &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("end_time")));

  // A participant reads the sessions they attended (authz_test has the
  // others).
  MustAttend(t::kOfficerAsc, "sessions/1", "participants/p-0001");
  v1::GetSessionRequest get;
  get.set_name("sessions/1");
  ASSERT_THAT(server_.programme().GetSession(
                  TestServer::As(t::kParticipant1).get(), get, &out),
              IsOk());
  EXPECT_EQ(out.date(), "2026-11-18");
  v1::ListSessionsRequest list;
  list.set_project(kLdUserVoice);
  v1::ListSessionsResponse sessions;
  ASSERT_THAT(server_.programme().ListSessions(
                  TestServer::As(t::kFinance).get(), list, &sessions),
              IsOk());
  EXPECT_THAT(sessions.sessions(), SizeIs(1));
}

TEST_F(SessionTest, CrecheFollowsTheProjectsRuleFileUnlessTheSessionSays) {
  // The fixture's CreateSession always says; these leave it unset when
  // `creche` is empty.
  auto create = [&](const std::string& who, const std::string& project,
                    std::optional<bool> creche) {
    v1::CreateSessionRequest request;
    v1::Session* s = request.mutable_session();
    s->set_project(project);
    s->set_date("2026-11-18");
    s->set_start_time("10:00");
    s->set_end_time("12:00");
    s->set_venue("Civic Centre, Victoria Avenue");
    if (creche.has_value()) s->set_creche_provided(*creche);
    request.set_request_id(NextId());
    v1::Session out;
    EXPECT_THAT(server_.programme().CreateSession(TestServer::As(who).get(),
                                                  request, &out),
                IsOk());
    return out;
  };
  // children-and-families says creche_by_default: true for Parent Champions.
  const v1::Session defaulted =
      create(t::kOfficerCf, kParentChampions, std::nullopt);
  EXPECT_TRUE(defaulted.has_creche_provided());
  EXPECT_TRUE(defaulted.creche_provided());
  const v1::Session without =
      create(t::kOfficerCf, kParentChampions, /*creche=*/false);
  EXPECT_TRUE(without.has_creche_provided());
  EXPECT_FALSE(without.creche_provided());
  // adult-social-care says creche_by_default: false for LD user voice.
  const v1::Session plain = create(t::kOfficerAsc, kLdUserVoice, std::nullopt);
  EXPECT_TRUE(plain.has_creche_provided());
  EXPECT_FALSE(plain.creche_provided());
  const v1::Session with = create(t::kOfficerAsc, kLdUserVoice, true);
  EXPECT_TRUE(with.creche_provided());

  // The stored session says the same.
  v1::GetSessionRequest get;
  get.set_name(defaulted.name());
  v1::Session got;
  ASSERT_THAT(server_.programme().GetSession(
                  TestServer::As(t::kOfficerCf).get(), get, &got),
              IsOk());
  EXPECT_TRUE(got.has_creche_provided());
  EXPECT_TRUE(got.creche_provided());
  v1::ListSessionsRequest list;
  list.set_project(kParentChampions);
  v1::ListSessionsResponse sessions;
  ASSERT_THAT(server_.programme().ListSessions(
                  TestServer::As(t::kOfficerCf).get(), list, &sessions),
              IsOk());
  ASSERT_THAT(sessions.sessions(), SizeIs(2));
  EXPECT_TRUE(sessions.sessions(0).creche_provided());
  EXPECT_TRUE(sessions.sessions(1).has_creche_provided());
  EXPECT_FALSE(sessions.sessions(1).creche_provided());
}

TEST_F(VoucherTest, ResidentEarnsAVoucherThatIsLaterIssued) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  v1::VoucherEntitlement earned =
      MustAttend(t::kOfficerAsc, session, "participants/p-0001", 90);
  EXPECT_EQ(earned.state(), v1::VOUCHER_ENTITLEMENT_STATE_EARNED);
  EXPECT_EQ(earned.value_pence(), 1500);
  EXPECT_EQ(earned.provider(), "Tesco");
  EXPECT_THAT(earned.reason(), HasSubstr("£15 Tesco"));

  // The "not yet issued" report.
  EXPECT_THAT(
      ListEntitlements(t::kOfficerAsc, v1::VOUCHER_ENTITLEMENT_STATE_EARNED)
          .voucher_entitlements(),
      SizeIs(1));

  v1::IssueVoucherRequest issue;
  issue.set_name(earned.name());
  issue.set_serial("TES-000123");
  issue.set_request_id(NextId());
  v1::VoucherEntitlement issued;
  EXPECT_THAT(server_.programme().IssueVoucher(
                  TestServer::As(t::kOfficerCf).get(), issue, &issued),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_THAT(server_.programme().IssueVoucher(
                  TestServer::As(t::kOfficerAsc).get(), issue, &issued),
              IsOk());
  EXPECT_EQ(issued.state(), v1::VOUCHER_ENTITLEMENT_STATE_ISSUED);
  EXPECT_EQ(issued.serial(), "TES-000123");
  EXPECT_EQ(issued.issued_by(), t::kOfficerAsc);
  EXPECT_THAT(
      ListEntitlements(t::kOfficerAsc, v1::VOUCHER_ENTITLEMENT_STATE_EARNED)
          .voucher_entitlements(),
      SizeIs(0));

  issue.set_request_id(NextId());
  EXPECT_THAT(
      server_.programme().IssueVoucher(TestServer::As(t::kOfficerAsc).get(),
                                       issue, &issued),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already")));
}

struct EligibilityCase {
  std::string label;
  std::string officer;
  std::string project;
  v1::ParticipantType type;
  v1::PaymentMethod preference;
  int minutes;
  int64_t value_pence;  // 0: nothing earned
  std::string rule;
};
void PrintTo(const EligibilityCase& c, std::ostream* os) { *os << c.label; }

class VoucherEligibilityTest
    : public ProgrammeTest,
      public ::testing::WithParamInterface<EligibilityCase> {};

TEST_P(VoucherEligibilityTest, EntitlementFollowsTheProjectsRuleFile) {
  const EligibilityCase& c = GetParam();
  MustCreateParticipant("p-0500", c.type, c.preference);
  const std::string session = MustCreateSession(c.officer, c.project);
  v1::VoucherEntitlement e =
      MustAttend(c.officer, session, "participants/p-0500", c.minutes);
  EXPECT_EQ(e.value_pence(), c.value_pence);
  EXPECT_EQ(e.state(), c.value_pence > 0
                           ? v1::VOUCHER_ENTITLEMENT_STATE_EARNED
                           : v1::VOUCHER_ENTITLEMENT_STATE_NOT_EARNED);
  EXPECT_EQ(e.rule(), c.rule);
  // The reason is stored either way.
  EXPECT_FALSE(e.reason().empty());
  v1::ListVoucherEntitlementsResponse all =
      ListEntitlements(t::kAuditor, v1::VOUCHER_ENTITLEMENT_STATE_UNSPECIFIED,
                       "participants/p-0500");
  ASSERT_THAT(all.voucher_entitlements(), SizeIs(1));
  EXPECT_EQ(all.voucher_entitlements(0).reason(), e.reason());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, VoucherEligibilityTest,
    ::testing::Values(
        EligibilityCase{"ResidentInLdUserVoice", t::kOfficerAsc, kLdUserVoice,
                        v1::PARTICIPANT_TYPE_RESIDENT,
                        v1::PAYMENT_METHOD_VOUCHER, 120, 1500,
                        "vouchers.per_session"},
        EligibilityCase{"ParentInParentChampions", t::kOfficerCf,
                        kParentChampions, v1::PARTICIPANT_TYPE_PARENT_OR_CARER,
                        v1::PAYMENT_METHOD_VOUCHER, 120, 1500,
                        "vouchers.per_session"},
        EligibilityCase{
            "OrganisationRepInAutismForumGetsNone", t::kOfficerSc, kAutismForum,
            v1::PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE,
            v1::PAYMENT_METHOD_VOUCHER, 120, 0, "vouchers.eligibility"},
        EligibilityCase{
            "OrganisationRepInTacklingPovertyGetsOne", t::kOfficerSc,
            kTacklingPoverty, v1::PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE,
            v1::PAYMENT_METHOD_VOUCHER, 120, 1500, "vouchers.per_session"},
        EligibilityCase{"StaffGetNone", t::kOfficerAsc, kLdUserVoice,
                        v1::PARTICIPANT_TYPE_STAFF, v1::PAYMENT_METHOD_VOUCHER,
                        120, 0, "vouchers.eligibility"},
        EligibilityCase{"YoungPersonInParentChampionsGetsNone", t::kOfficerCf,
                        kParentChampions, v1::PARTICIPANT_TYPE_YOUNG_PERSON,
                        v1::PAYMENT_METHOD_VOUCHER, 120, 0,
                        "vouchers.eligibility"},
        EligibilityCase{"TooShort", t::kOfficerAsc, kLdUserVoice,
                        v1::PARTICIPANT_TYPE_RESIDENT,
                        v1::PAYMENT_METHOD_VOUCHER, 45, 0,
                        "vouchers.minimum_attendance"},
        EligibilityCase{"TackingPovertyNeedsTwoHours", t::kOfficerSc,
                        kTacklingPoverty, v1::PARTICIPANT_TYPE_RESIDENT,
                        v1::PAYMENT_METHOD_VOUCHER, 90, 0,
                        "vouchers.minimum_attendance"},
        EligibilityCase{"Declined", t::kOfficerAsc, kLdUserVoice,
                        v1::PARTICIPANT_TYPE_RESIDENT,
                        v1::PAYMENT_METHOD_DECLINE, 120, 0,
                        "vouchers.declined"}),
    [](const auto& info) { return info.param.label; });

TEST_F(VoucherTest, YearlyCapStopsVouchersUntilTheNextTaxYear) {
  // Adult social care: £15 a session, at most £150 a tax year.
  for (int day = 1; day <= 11; ++day) {
    const std::string date = absl::StrFormat("2026-11-%02d", day);
    const std::string session =
        MustCreateSession(t::kOfficerAsc, kLdUserVoice, date);
    v1::VoucherEntitlement e =
        MustAttend(t::kOfficerAsc, session, "participants/p-0001");
    if (day <= 10) {
      EXPECT_EQ(e.value_pence(), 1500) << date;
    } else {
      EXPECT_EQ(e.value_pence(), 0);
      EXPECT_EQ(e.rule(), "vouchers.yearly_cap");
      EXPECT_THAT(e.reason(), HasSubstr("£150."));
    }
  }
  // The previous tax year has its own cap.
  const std::string march =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-03-20");
  EXPECT_EQ(
      MustAttend(t::kOfficerAsc, march, "participants/p-0001").value_pence(),
      1000);
}

TEST_F(VoucherTest, ParticipantTotalsCountVouchersEarnedByAttending) {
  // Vouchers for time may count as earnings for benefits: the participants'
  // totals report must show them, not only the expenses claimed.
  for (const char* date : {"2026-11-02", "2026-11-09"}) {
    MustAttend(t::kOfficerAsc,
               MustCreateSession(t::kOfficerAsc, kLdUserVoice, date),
               "participants/p-0001");
  }
  // Too short to earn one, and one in the previous tax year: not counted.
  MustAttend(t::kOfficerAsc,
             MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-11-16"),
             "participants/p-0001", 30);
  MustAttend(t::kOfficerAsc,
             MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-03-20"),
             "participants/p-0001");

  auto finance = v1::FinanceService::NewStub(server_.channel());
  auto report = [&](const std::string& who) {
    v1::ParticipantTotalsReport out;
    EXPECT_THAT(finance->GetParticipantTotalsReport(TestServer::As(who).get(),
                                                    {}, &out),
                IsOk());
    return out;
  };
  v1::ParticipantTotalsReport people = report(t::kOfficerAsc);
  ASSERT_THAT(people.participants(), SizeIs(1));
  const v1::ParticipantTotal& p = people.participants(0);
  EXPECT_EQ(p.participant(), "participants/p-0001");
  EXPECT_EQ(p.claim_count(), 0);
  EXPECT_EQ(p.attendance_voucher_count(), 2);
  EXPECT_EQ(p.attendance_voucher_pence(), 2 * 1500);
  // Another area's officer does not see them.
  EXPECT_THAT(report(t::kOfficerCf).participants(), SizeIs(0));
  v1::ParticipantTotalsReport all = report(t::kAuditor);
  ASSERT_THAT(all.participants(), SizeIs(1));
  EXPECT_EQ(all.participants(0).attendance_voucher_pence(), 3000);
}

TEST_F(VoucherTest, AttendanceIsRecordedOncePerParticipantAndSession) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  v1::Attendance out;
  EXPECT_THAT(RecordAttendance(t::kOfficerAsc, session, "participants/p-0001",
                               60, NextId(), &out),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(RecordAttendance(t::kOfficerAsc, session, "participants/p-0404",
                               60, NextId(), &out),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("participant")));
  // AIP-211: a session that does not exist and one in another area get the
  // same answer, so neither its existence nor its area shows.
  const std::string elsewhere =
      MustCreateSession(t::kOfficerCf, kParentChampions);
  grpc::Status missing = RecordAttendance(
      t::kOfficerAsc, "sessions/99", "participants/p-0001", 60, NextId(), &out);
  grpc::Status other = RecordAttendance(
      t::kOfficerAsc, elsewhere, "participants/p-0001", 60, NextId(), &out);
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kPermissionDenied,
                                HasSubstr("session: sessions/99")));
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(absl::StrReplaceAll(missing.error_message(), {{"sessions/99", ""}}),
            absl::StrReplaceAll(other.error_message(), {{elsewhere, ""}}));
  EXPECT_THAT(other.error_message(), Not(HasSubstr("children")));
  EXPECT_THAT(
      RecordAttendance(t::kOfficerAsc, session, "participants/p-0002", -1,
                       NextId(), &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("minutes")));
  const std::string future =
      MustCreateSession(t::kOfficerAsc, kLdUserVoice, "2026-12-01");
  EXPECT_THAT(RecordAttendance(t::kOfficerAsc, future, "participants/p-0002",
                               60, NextId(), &out),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(VoucherTest, SixteenConcurrentRetriesMakeOneEntitlement) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  std::vector<std::thread> threads;
  std::vector<v1::Attendance> answers(16);
  std::vector<grpc::Status> statuses(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      statuses[i] =
          RecordAttendance(t::kOfficerAsc, session, "participants/p-0001", 120,
                           "same-id", &answers[i]);
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < 16; ++i) {
    EXPECT_THAT(statuses[i], IsOk());
    EXPECT_EQ(answers[i].SerializeAsString(), answers[0].SerializeAsString());
  }
  EXPECT_THAT(ListEntitlements(t::kOfficerAsc,
                               v1::VOUCHER_ENTITLEMENT_STATE_UNSPECIFIED)
                  .voucher_entitlements(),
              SizeIs(1));

  // The same id for a different request changes nothing.
  v1::Attendance other;
  EXPECT_THAT(
      RecordAttendance(t::kOfficerAsc, session, "participants/p-0002", 120,
                       "same-id", &other),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("request_id")));
  EXPECT_THAT(ListEntitlements(t::kOfficerAsc,
                               v1::VOUCHER_ENTITLEMENT_STATE_UNSPECIFIED)
                  .voucher_entitlements(),
              SizeIs(1));
  // And the id survives a restart.
  server_.Restart();
  v1::Attendance again;
  ASSERT_THAT(RecordAttendance(t::kOfficerAsc, session, "participants/p-0001",
                               120, "same-id", &again),
              IsOk());
  EXPECT_EQ(again.SerializeAsString(), answers[0].SerializeAsString());
}

TEST_F(VoucherTest, ParticipantsSeeOnlyTheirOwnOfficersOnlyTheirAreas) {
  const std::string session = MustCreateSession(t::kOfficerAsc, kLdUserVoice);
  MustAttend(t::kOfficerAsc, session, "participants/p-0001");
  MustAttend(t::kOfficerAsc, session, "participants/p-0002");
  const auto any = v1::VOUCHER_ENTITLEMENT_STATE_UNSPECIFIED;
  EXPECT_THAT(ListEntitlements(t::kParticipant1, any).voucher_entitlements(),
              SizeIs(1));
  EXPECT_THAT(ListEntitlements(t::kOfficerCf, any).voucher_entitlements(),
              SizeIs(0));
  EXPECT_THAT(ListEntitlements(t::kFinance, any).voucher_entitlements(),
              SizeIs(2));
  v1::ListVoucherEntitlementsRequest theirs;
  theirs.set_participant("participants/p-0002");
  v1::ListVoucherEntitlementsResponse out;
  EXPECT_THAT(server_.programme().ListVoucherEntitlements(
                  TestServer::As(t::kParticipant1).get(), theirs, &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace reciprocity
